import { Transform } from 'class-transformer';

/**
 * Multipart sends every value as a string and an empty input as "": these make a form field and its
 * JSON spelling validate the same way (DRF's behaviour for form input).
 */
export const FormNumber = () =>
  Transform(({ value }) => (typeof value === 'string' ? (value.trim() === '' ? null : Number(value)) : value));

export const FormNullable = () => Transform(({ value }) => (value === '' ? null : value));

/** One `equipment=<name>` field arrives as a string, several as an array; names are trimmed. */
export const FormList = () =>
  Transform(({ value }) => {
    if (value === undefined) return undefined;
    if (value === null) return [];
    const items = Array.isArray(value) ? value : [value];
    return items.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
  });

/**
 * Durations as DRF parses them: `[D ]HH:MM:SS`, `MM:SS` or plain seconds ("35" is 35 s), or a JSON
 * number of seconds. Anything else stays as it is and fails the integer check with a clear message.
 */
export const FormDuration = () =>
  Transform(({ value }) => {
    if (typeof value === 'number') return value;
    if (typeof value !== 'string') return value;
    const m = /^\s*(?:(\d{1,4}) )?(?:(?:(\d{1,2}):)?(\d{1,2}):)?(\d{1,5})(?:\.\d{1,6})?\s*$/.exec(value);
    if (!m) return value;
    const [, days, hours, minutes, seconds] = m;
    return Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3_600 + Number(minutes ?? 0) * 60 + Number(seconds);
  });
