/** DRF's error body, for every error status: `{"detail": "..."}`; token errors add `code` and `messages`. */
export class ErrorDetail {
  /** @example "Not found." */
  detail: string;
  /**
   * A machine-readable reason on token errors (simplejwt's)
   * @example "token_not_valid"
   */
  code?: string;
  /** Which token was refused, on token errors (simplejwt's) */
  messages?: TokenMessage[];
}

export class TokenMessage {
  /** @example "AccessToken" */
  token_class: string;
  /** @example "access" */
  token_type: string;
  /** @example "Token is invalid or expired" */
  message: string;
}

/** `{"error": "..."}`: the original's shape for a refused search or buddy request. */
export class ErrorMessage {
  /** @example "Enter a search term (q)." */
  error: string;
}
