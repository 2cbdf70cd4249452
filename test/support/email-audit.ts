import type { Response } from 'supertest';
import type { Diver, TestApi } from './api.js';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/**
 * Reads every response a test receives through `as(...)` for email addresses, and records each one
 * that is not the caller's own (an anonymous caller has none): a test ends by expecting no leaks.
 */
export class EmailAudit {
  responses = 0;
  readonly leaks: string[] = [];

  constructor(private readonly api: TestApi) {}

  /** Requests as `caller` (Bearer) or anonymously, each response audited before the test's own expectations. */
  as(caller?: Diver) {
    const audit = (label: string, test: ReturnType<ReturnType<TestApi['http']>['get']>) => {
      if (caller) void test.set('Authorization', `Bearer ${caller.access}`);
      return test.expect((res: Response) => this.check(label, res, caller?.email));
    };
    return {
      get: (path: string) => audit(`GET ${path}`, this.api.http().get(path)),
      post: (path: string) => audit(`POST ${path}`, this.api.http().post(path)),
      put: (path: string) => audit(`PUT ${path}`, this.api.http().put(path)),
      patch: (path: string) => audit(`PATCH ${path}`, this.api.http().patch(path)),
      delete: (path: string) => audit(`DELETE ${path}`, this.api.http().delete(path)),
    };
  }

  /**
   * The same API with every response audited, whoever sends it and however: the caller is whichever
   * of `divers` the request's Bearer token belongs to (none: anonymous).
   */
  watch(divers: () => Diver[]): TestApi {
    const http = () =>
      new Proxy(this.api.http(), {
        get: (target, prop, receiver) => {
          const value = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const test = value.apply(target, args);
            test?.on?.('response', (res: Response) => {
              const bearer = test.get?.('Authorization');
              const caller = divers().find((d) => `Bearer ${d.access}` === bearer);
              this.check(`${String(prop).toUpperCase()} ${String(args[0])}`, res, caller?.email);
            });
            return test;
          };
        },
      });
    return { ...this.api, http: http as TestApi['http'] };
  }

  private check(label: string, res: Response, own: string | undefined): void {
    this.responses++;
    for (const [found] of (res.text ?? '').matchAll(EMAIL)) {
      if (found.toLowerCase() !== own?.toLowerCase()) this.leaks.push(`${label}: ${found}`);
    }
  }
}
