import fc from 'fast-check';
import { bodyArb } from './bodies.js';
import { EDGE_QUERY, EDGE_SEGMENTS, ODD_HEADERS, PREFER } from './dictionaries.js';
import type { Operation, Param, Probe, World } from './types.js';
import { pct, validValue, weighted } from './values.js';

// One whole request per run: path parameters, query, authorization, odd headers and a body.

const as = (kind: string) => (v: string | number) => [String(v), `path:${kind}`] as [string, string];

/** [wire text, kind of input] of one path parameter. */
function pathValue(pool: number[]): fc.Arbitrary<[string, string]> {
  const generated = fc.oneof(
    fc.integer().map(String),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
    fc.double().map(String),
    fc.string({ unit: 'binary', maxLength: 30 }).map(pct),
    fc.string({ unit: 'grapheme', maxLength: 30 }).map(pct),
  );
  return fc.oneof(
    weighted(5, fc.constantFrom(...pool).map(as('existing'))),
    weighted(3, fc.constantFrom(...EDGE_SEGMENTS).map(as('edge'))),
    weighted(2, generated.map(as('generated'))),
  );
}

function queryArb(op: Operation, w: World): fc.Arbitrary<string> {
  const value = (p: Param) =>
    fc.oneof(
      weighted(
        3,
        validValue(p.name, p.schema ?? {}, w).map((v) => pct(`${v}`)),
      ),
      weighted(4, fc.constantFrom(...EDGE_QUERY)),
      weighted(1, fc.string({ unit: 'binary', maxLength: 40 }).map(pct)),
    );
  // The same parameter two or three times: Fastify's parser makes an array of it.
  const repeated = (p: Param) => fc.array(value(p), { minLength: 2, maxLength: 3 }).map((vs) => vs.map((v) => `${p.name}=${v}`));
  const declared = op.params.filter((p) => p.in === 'query');
  const pairs = declared.map((p) =>
    fc.option(
      fc.oneof(
        weighted(
          6,
          value(p).map((v) => [`${p.name}=${v}`]),
        ),
        weighted(1, repeated(p)),
        weighted(1, fc.constant([p.name])),
      ),
      { nil: [] as string[], freq: 4 },
    ),
  );
  const extra = fc.oneof(
    // prettier-ignore
    fc.constantFrom('&', '=', '=1', '&&', 'page[]=1', 'page[0]=1', '__proto__=1', 'constructor[prototype][x]=1', `${'a'.repeat(300)}=1`),
    fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([k, v]) => `${pct(k)}=${pct(v)}`),
  );
  return fc
    .tuple(fc.tuple(...pairs), fc.option(extra, { nil: [], freq: 4 }))
    .map(([ps, x]) => [...ps.flat(), ...[x].flat()])
    .map((all) => (all.length ? `?${all.join('&')}` : ''));
}

function authArb(w: World): fc.Arbitrary<[string | undefined, string]> {
  // prettier-ignore
  const junk = ['Bearer', 'Bearer x.y.z', `Bearer ${'a'.repeat(5_000)}`, 'Basic Zm9vOmJhcg==',
    'bearer abc', 'Bearer a b', 'Token abc', `Bearer ${w.owner.refresh}`];
  return fc.oneof(
    weighted(14, fc.constant([`Bearer ${w.owner.access}`, 'auth:owner'])),
    weighted(3, fc.constant([undefined, 'auth:anonymous'])),
    weighted(2, fc.constant([`Bearer ${w.other.access}`, 'auth:other'])),
    weighted(
      1,
      fc.constantFrom(...junk).map((v) => [v, 'auth:junk']),
    ),
  ) as fc.Arbitrary<[string | undefined, string]>;
}

export function probeArb(op: Operation, w: World): fc.Arbitrary<Probe> {
  // Which table a path's id names: the first prefix that matches, else a logbook.
  const byPath: Array<[string, number[]]> = [
    ['/api/photo', w.ids.photo],
    ['/api/mypage/bucketlists', w.ids.bucketList],
    ['/api/mypage/myskills/{id}', w.ids.skill],
    ['/api/home/jobs', w.ids.job],
    ['/api/settings/preferences', w.ids.preferences],
    ['/api/mypage/edit_profile', w.ids.user],
    ['/api/mypage/friend/', w.ids.user],
  ];
  const pool = (name: string) =>
    name === 'userId'
      ? w.ids.user
      : name === 'commentId'
        ? w.ids.comment
        : (byPath.find(([prefix]) => op.path.startsWith(prefix))?.[1] ?? w.ids.logbook);
  const pathParams = op.params.filter((p) => p.in === 'path');
  const takesPrefer = op.params.some((p) => p.name === 'Prefer');
  const preferHeader = fc
    .oneof(fc.constantFrom(...PREFER), fc.string({ unit: 'binary-ascii', maxLength: 40 }))
    .filter((v) => /^[\x20-\x7e]*$/.test(v))
    .filter((v) => !Number(/\bwait=(\d{1,4})\b/.exec(v)?.[1] ?? 0));
  return fc
    .record({
      path: fc.tuple(...pathParams.map((p) => pathValue(pool(p.name)))),
      slash: fc.boolean(),
      query: queryArb(op, w),
      auth: authArb(w),
      prefer: fc.option(preferHeader, { nil: undefined }),
      odd: fc.option(fc.constantFrom(...ODD_HEADERS), { freq: 6 }),
      body: bodyArb(op, w),
    })
    .map(({ path, slash, query, auth, prefer, odd, body }) => {
      let i = 0;
      const url = op.path.replace(/\{[^}]+\}/g, () => path[i++][0]);
      const headers: Record<string, string> = {};
      if (auth[0] !== undefined) headers.authorization = auth[0];
      if (prefer !== undefined && takesPrefer) headers.prefer = prefer;
      if (odd) headers[odd[0].toLowerCase()] = odd[1];
      if (body.type !== undefined) headers['content-type'] = body.type;
      const data = body.data;
      return {
        method: op.method,
        path: `${url}${slash ? '/' : ''}${query}`,
        headers,
        body: typeof data === 'string' ? Buffer.from(data) : data,
        kinds: [...path.map((p) => p[1]), auth[1], `body:${body.kind}`, ...(query ? ['query'] : [])],
      };
    });
}
