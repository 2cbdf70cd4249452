import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Response } from 'supertest';
import { declaredRoutes } from '../apps/api/src/openapi/openapi.document.js';
import { startApi, type TestApi } from './support/api.js';
import { Contract } from './support/contract.js';

type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Paths = Record<string, Record<string, Operation>>;

/** A response as supertest hands it to the contract check. */
const answer = (status: number, body: unknown): Response =>
  ({ status, body, text: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8' } }) as unknown as Response;

describe('the OpenAPI document (e2e)', () => {
  let api: TestApi;
  let document: { paths: Paths };
  beforeAll(async () => {
    api = await startApi();
    document = (await api.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => api.close());

  it('is a valid OpenAPI 3.0 document', async () => {
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is the committed openapi.json (regenerate with `npm run openapi:client`)', () => {
    expect(JSON.parse(readFileSync('openapi.json', 'utf8'))).toEqual(document);
  });

  it('documents every route of the app at the path the client calls, with its answers', () => {
    const operations = new Map<string, { path: string; method: string; op: Operation }>();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) operations.set(op.operationId, { path, method, op });
    }
    const routes = declaredRoutes(api.app).filter((r) => r.documented);
    expect(routes.length).toBeGreaterThan(60);
    const problems: string[] = [];
    for (const route of routes) {
      const found = operations.get(route.operationId);
      if (!found) {
        problems.push(`${route.operationId}: not in the document`);
        continue;
      }
      const where = `${route.operationId} (${found.method.toUpperCase()} ${found.path})`;
      if (found.method !== route.method) problems.push(`${where}: declared as ${route.method}`);
      // The client's spelling: a route declared with a trailing slash is documented with it.
      if (found.path.endsWith('/') !== route.slash) problems.push(`${where}: trailing slash differs from the declaration`);
      const answers = Object.entries(found.op.responses);
      // An answer of its own besides the shared errors (a 405-only route has that), each with its body's schema.
      if (!answers.some(([status]) => Number(status) < 400 || status === '405')) problems.push(`${where}: no answer of its own`);
      for (const [status, response] of answers) {
        const media = Object.values(response.content ?? {});
        if (['204', '304'].includes(status)) {
          if (media.length) problems.push(`${where} ${status}: documented with a body`);
        } else if (!media.length || media.some((m) => !m.schema)) problems.push(`${where} ${status}: no schema`);
      }
      for (const shared of ['401', '503']) if (!found.op.responses[shared]) problems.push(`${where}: no ${shared}`);
    }
    expect(problems).toEqual([]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/auths/signin/',
        '/api/logbooks/{id}/like/',
        '/api/home/top_level_members',
        '/api/logbooks/{id}/comments',
      ]),
    );
    expect(Object.keys(document.paths)).not.toContain('/api/auths/signin');
  });

  it('fails a response the document does not describe', async () => {
    const contract = await Contract.of(api.app);
    const like = { liked: true, likes_count: 1 };
    expect(() => contract.check('post', '/api/logbooks/1/like/', answer(202, like))).not.toThrow();
    expect(() => contract.check('post', '/api/logbooks/1/like', answer(202, like))).not.toThrow();
    // An undocumented status, a missing field, a field of another type, an undeclared field.
    expect(() => contract.check('post', '/api/logbooks/1/like/', answer(200, like))).toThrow(/status not documented/);
    expect(() => contract.check('post', '/api/logbooks/1/like/', answer(202, { liked: true }))).toThrow(/likes_count/);
    expect(() => contract.check('post', '/api/logbooks/1/like/', answer(202, { ...like, liked: 'yes' }))).toThrow(/boolean/);
    expect(() => contract.check('post', '/api/logbooks/1/like/', answer(202, { ...like, extra: 1 }))).toThrow(/additional/);
    // Errors: DRF's shapes only.
    expect(() => contract.check('post', '/api/auths/signup/', answer(400, { email: ['Enter a valid email address.'] }))).not.toThrow();
    expect(() => contract.check('post', '/api/auths/signup/', answer(400, { message: 'Bad Request', statusCode: 400 }))).toThrow();
    expect(() => contract.check('get', '/api/search/', answer(400, { error: 'Enter a search term (q).' }))).not.toThrow();
    expect(() => contract.check('get', '/api/no-such-route/', answer(404, { detail: 'Not found.' }))).not.toThrow();
    expect(() => contract.check('get', '/api/no-such-route/', answer(200, {}))).toThrow(/no operation/);
  });

  it('validates the answers every e2e suite receives through api.http()', async () => {
    const before = Contract.checked;
    await api.http().get('/api/logbooks/').expect(200);
    await api.http().get('/api/logbooks/999999999/').expect(404);
    await api.http().get('/api/auths/me/').expect(401);
    expect(Contract.checked - before).toBe(3);
  });
});
