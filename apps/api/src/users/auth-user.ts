/** What the JWT guard puts on the request and `GET /api/auths/me/` returns: no hash, JSON-ready. */
export interface AuthUser {
  id: number;
  email: string;
  username: string;
  country: string;
  license: string | null;
  introduction: string | null;
  profile_image: string | null;
  date_joined: string;
}
