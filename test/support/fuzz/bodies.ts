import fc from 'fast-check';
import { EXTRA_KEYS, FILE, JSON_TYPES, NOT_JSON, WRONG_TYPES } from './dictionaries.js';
import type { Operation, World } from './types.js';
import { deep, type Entries, json, mutate, mutation, serialize, toEntries, validObject, weighted } from './values.js';

// Multipart, written by hand: the odd cases are exactly what a client library will not produce.
interface Part {
  name?: string;
  filename?: string;
  type?: string;
  data: Buffer;
  noDisposition?: boolean;
}

function multipartBody(boundary: string, parts: Part[], eol: string): Buffer {
  const chunks = parts.flatMap((p) => {
    let head = `--${boundary}${eol}`;
    if (!p.noDisposition) {
      head += 'Content-Disposition: form-data';
      if (p.name !== undefined) head += `; name="${p.name}"`;
      if (p.filename !== undefined) head += `; filename="${p.filename}"`;
      head += eol;
    }
    if (p.type !== undefined) head += `Content-Type: ${p.type}${eol}`;
    return [Buffer.from(`${head}${eol}`), p.data, Buffer.from(eol)];
  });
  return Buffer.concat([...chunks, Buffer.from(`--${boundary}--${eol}`)]);
}

/** Form fields carry text: strings as they are, arrays as repeated fields, null as "". */
function toParts(entries: Entries): Part[] {
  return entries.flatMap(([name, raw]) => {
    let values: unknown[];
    try {
      const v: unknown = JSON.parse(raw);
      values = Array.isArray(v) ? v : [v];
    } catch {
      values = [raw];
    }
    return values.map((v) => {
      // An object as JSON, or, nested too deep to write back, the raw text itself.
      const data = v === null ? '' : typeof v === 'object' ? (safeJson(v) ?? raw) : `${v}`;
      return { name, data: Buffer.from(data) };
    });
  });
}

function safeJson(v: unknown): string | undefined {
  try {
    return json(v);
  } catch {
    return undefined;
  }
}

/** A file part in one of the given fields, with an odd name, type or content. */
const filePart = (names: string[]) =>
  fc.record({
    name: fc.constantFrom(...names),
    filename: fc.constantFrom(...FILE.names),
    type: fc.constantFrom(...FILE.types),
    data: fc.constantFrom(...FILE.bytes),
  });

function oddParts(props: string[]): fc.Arbitrary<Part[]> {
  const field = fc.constantFrom(...props, 'x');
  const junkName = fc.constantFrom(...EXTRA_KEYS, 'a[b]', '0');
  const junk = fc.string({ unit: 'binary' }).map((s) => Buffer.from(s));
  const many = Array.from({ length: 120 }, (_, i) => ({
    name: `f${i}`,
    data: Buffer.from('1'),
  }));
  return fc.oneof(
    filePart(FILE.fields).map((p) => [p]),
    filePart([...props, 'x']).map((p) => [p]),
    filePart(FILE.fields).map((p) => [p, p]),
    filePart(FILE.fields).map((p) => [p, p, p]),
    fc.record({ name: junkName, data: junk }).map((p) => [p]),
    field.map((name) => [{ name, data: Buffer.from('second') }]),
    field.map((name) => [{ name, data: Buffer.alloc(70_000, 0x61) }]),
    fc.constant<Part[]>([{ data: Buffer.from('no name') }]),
    fc.constant<Part[]>([{ noDisposition: true, data: Buffer.from('x') }]),
    fc.constant<Part[]>([{ name: 'x', type: 'application/json', data: Buffer.from('{"a":1}') }]),
    fc.constant<Part[]>(many),
  );
}

interface BodyInput {
  kind: string;
  type?: string;
  data?: Buffer | string;
}

// prettier-ignore
const SHAPES = ['ok', 'ok', 'ok', 'unclosed', 'lf', 'wrong-boundary', 'no-boundary', 'cut'] as const;

function multipart(entries: fc.Arbitrary<Entries>, props: string[]) {
  const boundary = 'fuzzBoundary7MA4YWxkTrZu0gW';
  return fc.tuple(entries, fc.array(oddParts(props), { maxLength: 3 }), fc.constantFrom(...SHAPES)).map(([e, odd, shape]): BodyInput => {
    const parts = [...toParts(e), ...odd.flat()];
    let data = multipartBody(boundary, parts, shape === 'lf' ? '\n' : '\r\n');
    if (shape === 'unclosed') data = data.subarray(0, -boundary.length - 6);
    if (shape === 'cut') data = data.subarray(0, data.length >> 1);
    const given = shape === 'wrong-boundary' ? 'other' : boundary;
    const type = shape === 'no-boundary' ? 'multipart/form-data' : `multipart/form-data; boundary=${given}`;
    return { kind: `multipart:${shape}`, type, data };
  });
}

const asJson = (kind: string) => (data: string) => ({
  kind: `json:${kind}`,
  type: 'application/json',
  data,
});

export function bodyArb(op: Operation, w: World): fc.Arbitrary<BodyInput> {
  const schema = op.body;
  const base = (schema ? validObject(schema, w) : fc.constant({})).map(toEntries);
  const mutations = fc.oneof(
    weighted(
      3,
      mutation(schema, w).map((m) => [m]),
    ),
    weighted(1, fc.array(mutation(schema, w), { minLength: 2, maxLength: 4 })),
  );
  const mutated = fc.tuple(base, mutations).map(([e, ms]) => ms.reduce(mutate, e));
  const replaced = fc.oneof(
    fc.constantFrom('null', 'true', '0', '1e309', '"text"', '""', '[]', '[{}]'),
    base.map((e) => `[${serialize(e)}]`),
    deep,
  );
  const notJson = fc.oneof(
    fc.constantFrom(...NOT_JSON),
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)),
  );
  const none = fc.constantFrom<BodyInput>({ kind: 'none' }, { kind: 'none', type: 'application/json' });
  const props = Object.keys(schema?.properties ?? {});
  const options = [
    weighted(schema ? 2 : 0, base.map(serialize).map(asJson('valid'))),
    weighted(schema ? 7 : 1, mutated.map(serialize).map(asJson('mutated'))),
    weighted(1, replaced.map(asJson('replaced'))),
    weighted(
      2,
      fc.tuple(fc.constantFrom(...JSON_TYPES), notJson).map(([type, data]) => ({ kind: 'not-json', type, data })),
    ),
    weighted(
      2,
      fc.tuple(fc.constantFrom(...WRONG_TYPES), base.map(serialize)).map(([type, data]) => ({ kind: 'wrong-type', type, data })),
    ),
    weighted(op.multipart ? 5 : 1, multipart(fc.oneof(base, mutated), props)),
    weighted(schema ? 1 : 8, none),
  ];
  return fc.oneof(...options.filter((o) => o.weight > 0));
}
