import createClient, { type Middleware } from 'openapi-fetch';
import type { Response as SupertestResponse } from 'supertest';
import type { components, paths } from './client/openapi.js';
import { startApi, type TestApi } from './support/api.js';
import { Contract } from './support/contract.js';
import { logbookFields } from './support/fixtures.js';

type Schemas = components['schemas'];

/**
 * A client generated from the committed openapi.json (openapi-typescript → test/client/openapi.d.ts)
 * calling the real app through openapi-fetch: `npm run typecheck` compiles these calls and their
 * reads against the generated types, and each answer is also checked against the served document.
 */
describe('a typed client generated from the OpenAPI document (e2e)', () => {
  let api: TestApi;
  let client: ReturnType<typeof createClient<paths>>;
  let checked = 0;
  beforeAll(async () => {
    api = await startApi();
    const contract = await Contract.of(api.app);
    const validate: Middleware = {
      async onResponse({ request, response }) {
        const text = await response.clone().text();
        const type = response.headers.get('content-type') ?? '';
        const body = text && type.startsWith('application/json') ? JSON.parse(text) : {};
        const headers = Object.fromEntries(response.headers);
        contract.check(request.method, request.url, { status: response.status, body, text, headers } as unknown as SupertestResponse);
        checked++;
      },
    };
    client = createClient<paths>({ baseUrl: api.url });
    client.use(validate);
  });
  afterAll(() => api.close());

  it('signs up, signs in, writes and reads a logbook, likes it and reads the rankings', async () => {
    const email = `typed_${Date.now()}@example.com`;
    const signup = await client.POST('/api/auths/signup/', { body: { email, username: 'typed', password: 'password123', country: 'KR' } });
    const account: Schemas['Account'] | undefined = signup.data;
    expect(signup.response.status).toBe(201);
    expect(account?.email).toBe(email);

    const signin = await client.POST('/api/auths/signin/', { body: { email, password: 'password123' } });
    const access: string = signin.data!.access;
    const headers = { Authorization: `Bearer ${access}` };
    expect(signin.data!.id).toBe(account!.id);

    const created = await client.POST('/api/logbooks/', { headers, body: logbookFields() as Schemas['CreateLogbookDto'] });
    const logbook: Schemas['Logbook'] = created.data!;
    expect(created.response.status).toBe(201);
    expect(logbook.bottom_time).toBe('00:45:00');
    const equipment: string[] = logbook.equipment;
    expect(equipment).toEqual([]);

    const detail = await client.GET('/api/logbooks/{id}/', { params: { path: { id: logbook.id } } });
    expect(detail.data?.dive_title).toBe('Blue hole');

    const page = await client.GET('/api/logbooks/', { params: { query: { page_size: '5' } } });
    const count: number = page.data!.count;
    const next: string | null = page.data!.next;
    expect(count).toBeGreaterThanOrEqual(1);
    expect(next === null || next.startsWith('http')).toBe(true);
    expect(page.data!.results.map((l) => l.id)).toContain(logbook.id);

    const like = await client.POST('/api/logbooks/{id}/like/', { headers, params: { path: { id: logbook.id } } });
    const state: Schemas['LikeState'] = like.data!;
    expect(like.response.status).toBe(202);
    expect(state).toEqual({ liked: true, likes_count: 1 });

    const members = await client.GET('/api/home/top_level_members');
    const ranking: (string | number)[][] = members.data!;
    expect(Array.isArray(ranking)).toBe(true);
  });

  it('types the error answers too', async () => {
    const missing = await client.GET('/api/logbooks/{id}/', { params: { path: { id: 999_999_999 } } });
    // Any of the operation's error bodies: `{detail}`, or `{field: [...]}` for its 400.
    const error = missing.error;
    expect(missing.response.status).toBe(404);
    expect(error && 'detail' in error ? error.detail : undefined).toBe('Not found.');

    const anonymous = await client.GET('/api/auths/me/');
    expect(anonymous.response.status).toBe(401);
    const refused: Schemas['ErrorDetail'] | undefined = anonymous.error;
    expect(refused?.detail).toBe('Authentication credentials were not provided.');

    const search = await client.GET('/api/search/', { params: { query: { q: '' } } });
    expect(search.response.status).toBe(400);
    expect(search.error).toEqual({ error: 'Enter a search term (q).' });
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});
