import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validateEnv } from '@app/config';
import { StorageEnv } from '@app/storage';
import { type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { PNG } from './support/fixtures.js';

/** The keys earlier versions fell back to when JWT_SECRET / STORAGE_SIGNING_SECRET were unset: public. */
const OLD_JWT_SECRET = 'scoopadive-dev-secret-change-me-in-production-0000';
const OLD_SIGNING_SECRET = 'scoopadive-dev-upload-signing-secret-change-me';

const b64url = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
function hs256(userId: number, secret: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { token_type: 'access', user_id: userId, jti: 'x', iat: now, exp: now + 300, iss: 'scoopadive', aud: 'scoopadive-api' };
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** An upload URL signed the way LocalDiskStore signs, with a key of the caller's choosing. */
function selfSignedUpload(key: string, type: string, secret: string): string {
  const expires = Math.floor(Date.now() / 1000) + 600;
  const sig = createHmac('sha256', secret).update(`PUT\n${key}\n${type}\n${expires}`).digest('base64url');
  return `/api/uploads/${key.replace(/^uploads\//, '')}?${new URLSearchParams({ type, expires: String(expires), sig })}`;
}

const freshSecretsDir = () => join(tmpdir(), `scoopadive_secrets_${randomBytes(6).toString('hex')}`);
const png = () => Buffer.concat([PNG, randomBytes(16)]);

describe('no public default secret is live (e2e)', () => {
  let api: TestApi;
  let diver: Diver;
  beforeAll(async () => {
    api = await startApi();
    diver = await signupAndSignin(api, 'victim');
  });
  afterAll(() => api.close());

  it('refuses a token signed with the old public development secret', async () => {
    const res = await api
      .http()
      .get('/api/auths/me/')
      .set('Authorization', `Bearer ${hs256(diver.id, OLD_JWT_SECRET)}`);
    expect(res.status).toBe(401);
    await api.http().get('/api/auths/me/').set('Authorization', `Bearer ${diver.access}`).expect(200);
  });

  it('refuses an upload URL self-signed with the old public signing secret, and stores nothing', async () => {
    const key = `uploads/${diver.id}/${randomBytes(8).toString('hex')}_x.png`;
    const res = await api
      .http()
      .put(selfSignedUpload(key, 'image/png', OLD_SIGNING_SECRET))
      .set('Content-Type', 'image/png')
      .send(png());
    expect(res.status).toBe(403);
    await api.http().get(`/media/${key}`).expect(404);
  });

  it('keeps a generated key across restarts, in a 0600 file, and a fresh install gets another one', async () => {
    const dir = freshSecretsDir();
    const first = await startApi({ SECRETS_DIR: dir });
    const signedIn = await signupAndSignin(first, 'restart');
    await first.close();
    expect(statSync(join(dir, 'JWT_SECRET')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'STORAGE_SIGNING_SECRET')).mode & 0o777).toBe(0o600);

    const second = await startApi({ SECRETS_DIR: dir });
    const other = await startApi({ SECRETS_DIR: freshSecretsDir() });
    try {
      await second.http().get('/api/auths/me/').set('Authorization', `Bearer ${signedIn.access}`).expect(200);
      await other.http().get('/api/auths/me/').set('Authorization', `Bearer ${signedIn.access}`).expect(401);
    } finally {
      await Promise.all([second.close(), other.close()]);
    }
  });

  it('gives processes that start together one and the same generated key', async () => {
    const dir = freshSecretsDir();
    const script = "import { localSecret } from './libs/config/src/local-secret.ts'; process.stdout.write(localSecret('JWT_SECRET'));";
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, SECRETS_DIR: dir },
      });
    const values = (await Promise.all([run(), run(), run(), run()])).map((r) => r.stdout);
    expect(values[0]).toMatch(/^[\w-]{64}$/);
    expect(new Set(values).size).toBe(1);
  });

  it.each([
    [{ NODE_ENV: 'production', STORAGE_SIGNING_SECRET: 's'.repeat(40) }, 'Config error: JWT_SECRET is required when NODE_ENV=production'],
    [{ NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40) }, 'Config error: STORAGE_SIGNING_SECRET is required when NODE_ENV=production'],
  ])('still refuses to boot in production without the variable: %j', async (env, line) => {
    await expect(startApi({ ...env, SECRETS_DIR: freshSecretsDir() })).rejects.toThrow(line);
  });
});

describe('served media keep the signed type (e2e)', () => {
  const SECRET = randomBytes(32).toString('hex');
  let api: TestApi;
  let diver: Diver;
  beforeAll(async () => {
    // A known key here stands for a URL we signed ourselves: the checks below come after the signature.
    api = await startApi({ STORAGE_SIGNING_SECRET: SECRET });
    diver = await signupAndSignin(api, 'uploader');
  });
  afterAll(() => api.close());

  it('refuses a signed key whose extension is not the signed type’s', async () => {
    for (const name of ['evil.html', 'evil.svg', 'evil.png.html', 'evil.jpg', 'evil']) {
      const key = `uploads/${diver.id}/${randomBytes(8).toString('hex')}_${name}`;
      const res = await api
        .http()
        .put(selfSignedUpload(key, 'image/png', SECRET))
        .set('Content-Type', 'image/png')
        .send(png());
      expect({ name, status: res.status }).toEqual({ name, status: 403 });
      await api.http().get(`/media/${key}`).expect(404);
    }
  });

  it('serves an upload with the image type of its key, and any other stored file as a download', async () => {
    const presigned = await api
      .http()
      .get('/api/photo/generate_presigned_url/?filename=page.html&filetype=image/png')
      .set('Authorization', `Bearer ${diver.access}`)
      .expect(200);
    expect(presigned.body.fileUrl).toMatch(/_page\.png$/);
    const put = new URL(presigned.body.uploadUrl);
    await api.http().put(`${put.pathname}${put.search}`).set('Content-Type', 'image/png').send(png()).expect(200);
    const served = await api.http().get(new URL(presigned.body.fileUrl).pathname).expect(200);
    expect(served.headers['content-type']).toBe('image/png');

    // A file no upload could have made (put on the disk by hand): never rendered by a browser.
    const dir = join(validateEnv(StorageEnv).STORAGE_DIR, 'uploads', String(diver.id));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'legacy.html'), '<script>alert(1)</script>');
    const legacy = await api.http().get(`/media/uploads/${diver.id}/legacy.html`).expect(200);
    expect(legacy.headers['content-type']).toBe('application/octet-stream');
    expect(legacy.headers['content-disposition']).toBe('attachment');
  });
});
