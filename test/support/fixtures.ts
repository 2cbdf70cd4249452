import type { TestApi } from './api.js';

/** A real 1×1 PNG, and bytes that only claim to be one. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
export const NOT_AN_IMAGE = Buffer.from('<html><script>alert(1)</script></html>');

export const logbookFields = (over: Record<string, unknown> = {}) => ({
  dive_title: 'Blue hole',
  dive_site: 'Dahab',
  dive_date: '2024-06-01',
  max_depth: 18.5,
  bottom_time: '00:45:00',
  weather: 'sunny',
  type_of_dive: 'fun',
  weight: 6,
  start_pressure: 200,
  end_pressure: 50,
  ...over,
});

/** Creates a logbook by JSON and returns its id. */
export async function createLogbook(api: TestApi, access: string, over: Record<string, unknown> = {}): Promise<number> {
  const res = await api.http().post('/api/logbooks/').set('Authorization', `Bearer ${access}`).send(logbookFields(over));
  if (res.status !== 201) throw new Error(`create logbook: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A valid PNG whose bytes no other photo has (a stored file backs one photo only, and Fishial sees a new image). */
export const uniquePng = (tag: string | number = '') => Buffer.concat([PNG, Buffer.from(`photo-${tag}-${Math.random()}`)]);
