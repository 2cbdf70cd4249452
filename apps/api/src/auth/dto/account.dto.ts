/** A new account. */
export class Account {
  /** @example 7 */
  id: number;
  /** @example "diver@example.com" */
  email: string;
  /** @example "diver" */
  username: string;
  /** @example "KR" */
  country: string;
}

/** A signed-in diver's tokens and account. */
export class SignedIn extends Account {
  /** Refresh token (JWT) */
  refresh: string;
  /** Access token (JWT), sent as `Authorization: Bearer <access>` */
  access: string;
}

export class RefreshedTokens {
  access: string;
  /** A new refresh token, when rotation is on (the one sent is then revoked) */
  refresh?: string;
}

/** The caller's own record. */
export class Me extends Account {
  license: string | null;
  introduction: string | null;
  /** Absolute URL */
  profile_image: string | null;
  /** ISO 8601, UTC */
  date_joined: string;
}

/** An acknowledgement, in DRF's shape. */
export class Acknowledged {
  /** @example "Logout successful." */
  detail: string;
}
