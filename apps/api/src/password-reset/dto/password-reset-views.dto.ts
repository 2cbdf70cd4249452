/** A reset step's answer. */
export class ResetMessage {
  /** @example "Code verified." */
  message: string;
}

/** A refused reset step: DRF's `detail`, and the same text as `message`, which the client shows. */
export class ResetRefusal {
  /** @example "Invalid or expired code." */
  detail: string;
  /** @example "Invalid or expired code." */
  message: string;
}
