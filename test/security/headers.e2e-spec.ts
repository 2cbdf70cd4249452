import { bearer, type Diver, type TestApi } from '../support/api.js';
import { logbookFields } from '../support/fixtures.js';
import { LOGBOOKS, ME, path, REFRESH, requestsTo, type Res, type Send, SIGNIN, SIGNUP, startSecurityWorld } from '../support/security.js';

/** The baseline security headers on every kind of answer, and no-store on tokens. */
describe('security: security headers (e2e)', () => {
  let api: TestApi;
  let alice: Diver;
  let bob: Diver;
  let close: () => Promise<void>;
  const { call, multipart } = requestsTo(() => api);

  beforeAll(async () => {
    ({ api, alice, bob, close } = await startSecurityWorld());
  });
  afterAll(() => close?.());

  it('sends the baseline headers on API answers, errors, docs and media files', async () => {
    const logbook = await multipart('post', LOGBOOKS, logbookFields(), 'dive_image')(bearer(alice)).expect(201);
    const answers: Array<[string, Send, number]> = [
      ['JSON (cache miss)', call('get', `${LOGBOOKS}${logbook.body.id}/`), 200],
      ['JSON (cache hit)', call('get', `${LOGBOOKS}${logbook.body.id}/`), 200],
      ['JSON (me)', (h = {}) => call('get', ME)(bearer(alice)).set(h), 200],
      ['401', call('get', ME), 401],
      ['400', call('post', SIGNUP, {}), 400],
      ['404 (no route)', call('get', '/api/nothing-here/'), 404],
      ['API docs', call('get', '/api/docs'), 200],
      ['media file', call('get', path(logbook.body.dive_image)), 200],
    ];
    const missing: string[] = [];
    const seen = new Map<string, Res>();
    for (const [what, send, status] of answers) {
      const res = await send();
      seen.set(what, res);
      const h = res.headers;
      const csp = String(h['content-security-policy'] ?? '');
      if (res.status !== status) missing.push(`${what}: status ${res.status}`);
      if (h['x-content-type-options'] !== 'nosniff') missing.push(`${what}: nosniff`);
      if (h['x-frame-options'] !== 'DENY' || !csp.includes("frame-ancestors 'none'")) missing.push(`${what}: framing`);
      if (h['referrer-policy'] !== 'no-referrer') missing.push(`${what}: referrer-policy`);
      if (h['x-powered-by'] !== undefined || h.server !== undefined) missing.push(`${what}: reveals its stack`);
      // A JSON answer is never a document: nothing may load or run in it.
      if (what !== 'API docs' && !csp.includes("default-src 'none'")) missing.push(`${what}: default-src 'none'`);
    }
    const media = seen.get('media file')!.headers;
    if (media['content-type'] !== 'image/png' || !media['content-security-policy']?.includes('sandbox'))
      missing.push('media: type/sandbox');
    // Tokens and the caller's own record must not be kept by any cache.
    const signin = await call('post', SIGNIN, {
      email: bob.email,
      password: bob.password,
    })().expect(200);
    const refreshed = await call('post', REFRESH, {
      refresh: signin.body.refresh,
    })().expect(200);
    for (const [what, res] of [
      ['signin', signin],
      ['token refresh', refreshed],
      ['me', seen.get('JSON (me)')!],
    ] as const) {
      if (res.headers['cache-control'] !== 'no-store') missing.push(`${what}: Cache-Control: no-store`);
    }
    console.log(
      `headers: ${answers.length + 2} responses checked for nosniff, framing, referrer, CSP, no-store, stack disclosure: ${missing.length} missing`,
    );
    expect(missing).toEqual([]);
  });
});
