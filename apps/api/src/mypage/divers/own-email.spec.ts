import type { AuthUser } from '../../users/auth-user.js';
import { withOwnEmail } from './own-email.js';

const diver = (id: number, email: string) => ({ id, email }) as AuthUser;
// As Postgres's json_build_object writes it, with a decoy in user-written text.
const LIST = [
  '[{"id" : 7, "profile_image" : null, "email" : null, "username" : "a"}, ',
  '{"id" : 70, "profile_image" : "http://h/media/p.png", "email" : null, "username" : "{\\"id\\" : 7, \\"email\\" : null"}]',
].join('');
const entry = { etag: '"abc"', body: Buffer.from(LIST) };

describe('withOwnEmail', () => {
  it("writes the caller's email into the caller's own entry only, and still parses", () => {
    const seven = JSON.parse(withOwnEmail(entry, diver(7, 'seven@example.com')).body.toString());
    expect(seven.map((u: { email: string | null }) => u.email)).toEqual(['seven@example.com', null]);
    const seventy = JSON.parse(withOwnEmail(entry, diver(70, 'x"y@example.com')).body.toString());
    expect(seventy.map((u: { email: string | null }) => u.email)).toEqual([null, 'x"y@example.com']);
    expect(seventy[1].username).toBe('{"id" : 7, "email" : null');
  });

  it('leaves the body and its ETag alone for anonymous callers and callers not in it', () => {
    expect(withOwnEmail(entry, null)).toBe(entry);
    expect(withOwnEmail(entry, diver(8, 'eight@example.com'))).toBe(entry);
  });

  it('gives every caller an ETag of their own', () => {
    const tags = new Set([
      entry.etag,
      withOwnEmail(entry, diver(7, 'a@example.com')).etag,
      withOwnEmail(entry, diver(7, 'b@example.com')).etag,
      withOwnEmail(entry, diver(70, 'a@example.com')).etag,
    ]);
    expect(tags.size).toBe(4);
    for (const tag of tags) expect(tag).toMatch(/^"[^"]+"$/);
  });

  it('hands a caller the same copy again until the body or their email changes', () => {
    const first = withOwnEmail(entry, diver(7, 'seven@example.com'));
    expect(withOwnEmail(entry, diver(7, 'seven@example.com'))).toBe(first);
    expect(withOwnEmail(entry, diver(7, 'new@example.com')).body.toString()).toContain('new@example.com');
    const next = { etag: '"def"', body: Buffer.from(LIST.replace('"a"', '"b"')) };
    const fresh = withOwnEmail(next, diver(7, 'seven@example.com'));
    expect(fresh).not.toBe(first);
    expect(JSON.parse(fresh.body.toString())[0]).toMatchObject({ email: 'seven@example.com', username: 'b' });
  });
});
