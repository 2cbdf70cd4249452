import fc from 'fast-check';
import { EDGE_ARRAYS, EDGE_NUMBERS, EDGE_STRINGS, EXTRA_KEYS } from './dictionaries.js';
import type { Schema, World } from './types.js';

// Values: valid ones from the schema (and hints), and bad ones to mutate them with.

export const json = (v: unknown) => JSON.stringify(v);
export const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({
  weight,
  arbitrary,
});

/** Percent-encodes every byte but the unreserved ones: total, even for unpaired surrogates. */
export const pct = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => (/[\w.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

/** What the document cannot say: rows that exist, tokens, cross-field rules, useful ranges. */
const HINTS: Record<string, (w: World) => fc.Arbitrary<unknown>> = {
  email: (w) =>
    fc.oneof(
      fc.constant(w.owner.email),
      fc.emailAddress().filter((e) => e.length <= 64),
    ),
  password: (w) => fc.oneof(fc.constant(w.owner.password), fc.string({ minLength: 8 })),
  refresh: (w) => fc.constantFrom(...w.refresh),
  dive_date: () =>
    fc
      .date({
        min: new Date('1950-01-01'),
        max: new Date('2030-12-31'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
  bottom_time: () => fc.oneof(fc.constantFrom('00:45:00', '45:00', '0 01:00:00'), fc.integer({ min: 60, max: 86_399 })),
  max_depth: () => fc.double({ min: 0, max: 400, noNaN: true }),
  start_pressure: () => fc.integer({ min: 150, max: 300 }),
  end_pressure: () => fc.integer({ min: 0, max: 150 }),
  latitude: () => fc.option(fc.double({ min: -90, max: 90, noNaN: true })),
  longitude: () => fc.option(fc.double({ min: -180, max: 180, noNaN: true })),
  feeling: () => fc.option(fc.string({ unit: 'grapheme' })),
  buddy: () => fc.option(fc.string({ unit: 'grapheme' })),
  dive_center: () => fc.constant(null),
  dive_image_url: () => fc.option(fc.webUrl({ validSchemes: ['https'] })),
  dive_image: () => fc.constantFrom(null, ''),
  equipment: () => fc.array(fc.string({ minLength: 1 }), { maxLength: 5 }),
  image_url: (w) => fc.constant(w.fileUrl),
  photo_ids: (w) => fc.subarray(w.ids.photo, { minLength: 1 }),
  title: () => fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }),
  text: () => fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
  page: () => fc.integer({ min: 1, max: 3 }),
  page_size: () => fc.integer({ min: 1, max: 100 }),
  filename: () => fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
};

/** A value the schema allows (helped by the hints): where the mutations start from. */
export function validValue(name: string, s: Schema, w: World): fc.Arbitrary<unknown> {
  if (HINTS[name]) return HINTS[name](w);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.example !== undefined) return fc.constant(s.example);
  switch (s.type) {
    case 'string':
      if (s.format === 'binary') return fc.constant(null);
      return fc.string({
        minLength: Math.max(1, s.minLength ?? 1),
        maxLength: Math.min(s.maxLength ?? 30, 30),
      });
    case 'number':
    case 'integer':
      return fc.integer({ min: 0, max: 100 });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = validValue(name, s.items ?? {}, w);
      return fc.array(items, { maxLength: Math.min(s.maxItems ?? 5, 5) });
    }
    case 'object':
      return s.properties ? validObject(s, w) : fc.constant({});
    default:
      return fc.constant(null);
  }
}

export function validObject(s: Schema, w: World) {
  const props = Object.entries(s.properties ?? {});
  const model = Object.fromEntries(props.map(([k, p]) => [k, validValue(k, p, w)]));
  return fc.record(model, { requiredKeys: s.required ?? [] });
}

/** A JSON object as [key, raw JSON] pairs: keys like __proto__, and raw numbers, survive. */
export type Entries = Array<[string, string]>;
export const toEntries = (o: object): Entries => Object.entries(o).map(([k, v]) => [k, json(v)]);
export const serialize = (e: Entries) => `{${e.map(([k, v]) => `${json(k)}:${v}`).join(',')}}`;

const hugeString = fc.constantFrom(257, 10_001, 65_537, 300_000, 1_100_000).map((n) => json('x'.repeat(n)));
export const deep = fc
  .tuple(fc.constantFrom(15, 16, 17, 64, 1_000, 50_000), fc.boolean())
  .map(([d, array]) => (array ? `${'['.repeat(d)}1${']'.repeat(d)}` : `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`));
const anyBadValue = fc.oneof(
  fc.constant('null'),
  fc.jsonValue({ maxDepth: 3 }).map(json),
  fc.constantFrom(...EDGE_NUMBERS),
  fc.constantFrom(...EDGE_STRINGS).map(json),
  fc.string({ unit: 'binary', maxLength: 40 }).map(json),
  hugeString,
  deep,
);

/** A bad value for a field: mostly the edges of its own type, else anything at all. */
function badValueFor(s: Schema | undefined, w: World): fc.Arbitrary<string> {
  const rows = [...w.ids.photo, ...w.ids.logbook];
  const own =
    s?.type === 'number' || s?.type === 'integer'
      ? fc.constantFrom(...EDGE_NUMBERS)
      : s?.type === 'string'
        ? fc.constantFrom(...EDGE_STRINGS).map(json)
        : s?.type === 'array'
          ? fc.oneof(
              fc.constantFrom(...EDGE_ARRAYS),
              // Ids of rows that exist, repeated or mixed with another diver's.
              fc.array(fc.constantFrom(...rows), { minLength: 1 }).map(json),
            )
          : undefined;
  if (!own) return anyBadValue;
  return fc.oneof(weighted(3, own), weighted(2, anyBadValue));
}

type Mutation = { op: 'set'; key: string; raw: string } | { op: 'delete' | 'wrap'; key: string };

export function mutation(s: Schema | undefined, w: World): fc.Arbitrary<Mutation> {
  const props = Object.keys(s?.properties ?? {});
  const key = fc.oneof(
    weighted(6, props.length ? fc.constantFrom(...props) : fc.constant('x')),
    weighted(1, fc.constantFrom(...EXTRA_KEYS)),
    weighted(1, fc.string({ unit: 'binary', maxLength: 20 })),
  );
  const set = key.chain((k) =>
    badValueFor(s?.properties?.[k], w).map((raw): Mutation => ({
      op: 'set',
      key: k,
      raw,
    })),
  );
  const drop = key.map((k): Mutation => ({ op: 'delete', key: k }));
  const wrap = key.map((k): Mutation => ({ op: 'wrap', key: k }));
  return fc.oneof(weighted(6, set), weighted(2, drop), weighted(1, wrap));
}

export function mutate(entries: Entries, m: Mutation): Entries {
  const rest = entries.filter(([k]) => k !== m.key);
  if (m.op === 'delete') return rest;
  if (m.op === 'set') return [...rest, [m.key, m.raw]];
  const held = entries.find(([k]) => k === m.key)?.[1] ?? 'null';
  return [...rest, [m.key, `[${held}]`]];
}
