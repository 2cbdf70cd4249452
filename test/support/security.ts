import type pg from 'pg';
import type { Test } from 'supertest';
import { bearer, type Diver, signupAndSignin, startApi, type TestApi } from './api.js';
import { PNG } from './fixtures.js';
import { connectDb } from './likes-model.js';

/** Shared by the security files (test/security/): each tries one property against the real app and prints what got through. */

export type Res = Awaited<Test>;
export type Headers = Record<string, string>;
export type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';
/** A request that waits for its caller's headers (a token, or none for anonymous). */
export type Send = (h?: Headers) => Test;

export const SIGNUP = '/api/auths/signup/';
export const SIGNIN = '/api/auths/signin/';
export const REFRESH = '/api/auths/token/refresh/';
export const LOGOUT = '/api/auths/logout/';
export const ME = '/api/auths/me/';
export const LOGBOOKS = '/api/logbooks/';
export const MINE = '/api/logbooks/my_logbooks/';
export const PHOTOS = '/api/photo/';
export const CLASSIFY = '/api/photo/classify/';

/** Low, so the brute-force test stays short; the pinned default (20) is tested in auth.e2e-spec.ts. */
export const MAX_IP_FAILURES = 8;

export const b64url = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
export const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
export const idsOf = (rows: Array<{ id: number }>) => rows.map((r) => r.id).toSorted();
export const path = (url: string) => new URL(url).pathname;

export interface SecurityWorld {
  api: TestApi;
  db: pg.Client;
  alice: Diver;
  bob: Diver;
  close: () => Promise<void>;
}

/** The app every security file runs against, with two divers of its own. */
export async function startSecurityWorld(): Promise<SecurityWorld> {
  // Rotation on, so reuse detection can be tried; small uploads, so size limits cost no bandwidth.
  const api = await startApi({
    JWT_REFRESH_ROTATION: 'true',
    UPLOAD_MAX_BYTES: '4096',
    SIGNIN_MAX_FAILURES_IP: String(MAX_IP_FAILURES),
  });
  const db = await connectDb();
  const [alice, bob] = await Promise.all([signupAndSignin(api, 'alice'), signupAndSignin(api, 'bob')]);
  return {
    api,
    db,
    alice,
    bob,
    close: async () => {
      await db.end();
      await api.close();
    },
  };
}

/** Request builders for the app `api()` returns once it is started (they are called inside tests). */
export function requestsTo(api: () => TestApi) {
  /** `method url` with a JSON body, if any. */
  const call =
    (method: Method, url: string, body?: object): Send =>
    (h = {}) => {
      const req = api().http()[method](url).set(h);
      return body === undefined ? req : req.send(body);
    };
  /** The same with the body as multipart form fields, as the original client sends, and a PNG in `file`. */
  const multipart =
    (method: Method, url: string, fields: object, file?: string): Send =>
    (h = {}) => {
      let req = api().http()[method](url).set(h);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, String(v));
      return file ? req.attach(file, PNG, `${file}.png`) : req;
    };
  async function presign(d: Diver, filename = 'fish.png') {
    const query = `filename=${encodeURIComponent(filename)}&filetype=image/png`;
    const res = await api().http().get(`${PHOTOS}generate_presigned_url/?${query}`).set(bearer(d)).expect(200);
    const url = new URL(res.body.uploadUrl);
    return {
      path: `${url.pathname}${url.search}`,
      fileUrl: res.body.fileUrl as string,
    };
  }
  const putFile = (uploadPath: string, bytes = PNG) => api().http().put(uploadPath).set('Content-Type', 'image/png').send(bytes);
  const createPhoto = async (d: Diver): Promise<{ id: number; image_url: string }> =>
    (await multipart('post', PHOTOS, { title: 'fish' }, 'image')(bearer(d)).expect(201)).body;
  return { call, multipart, presign, putFile, createPhoto };
}
