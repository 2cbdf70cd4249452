import type { TestApi } from './api.js';

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Every response body a watched client received, with the bearer token it was sent with. */
export interface SeenBody {
  authorization?: string;
  url: string;
  text: string;
}

/**
 * The same API, but every response its `http()` requests receive is kept in `seen`, so that a test
 * can scan all of them afterwards (for emails that are not the caller's, say).
 */
export function watchBodies(api: TestApi, seen: SeenBody[]): TestApi {
  const http = () =>
    new Proxy(api.http(), {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const test = value.apply(target, args);
          test?.on?.('response', (res: { text?: string }) =>
            seen.push({ authorization: test.get?.('Authorization'), url: String(args[0]), text: res.text ?? '' }),
          );
          return test;
        };
      },
    });
  return { ...api, http: http as TestApi['http'] };
}

/** The bodies in which an email appears that is not the one of whoever sent the request. */
export function foreignEmails(seen: SeenBody[], emailOf: (authorization?: string) => string | undefined): string[] {
  return seen.flatMap((b) => {
    const own = emailOf(b.authorization)?.toLowerCase();
    const found = (b.text.match(EMAIL) ?? []).filter((e) => e.toLowerCase() !== own);
    return found.length ? [`${b.url}: ${found.join(', ')}`] : [];
  });
}
