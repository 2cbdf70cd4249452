import { BadRequestException, type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';

/**
 * The one global pipe. Unknown body fields are rejected (mass assignment) and named; errors come out
 * as DRF's `{"field": ["message", …]}` that the original client already shows.
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => new BadRequestException(toFieldErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A JSON array or scalar where an object is expected would reach class-transformer as-is.
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (value === undefined || value === null) value = {};
      // Buffer: an image body (PUT to an upload URL) sent to a JSON route.
      if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) {
        throw new BadRequestException({ detail: 'Expected a JSON object as the request body.' });
      }
    }
    if (metadata.type === 'body') checkShape(value);
    return super.transform(value, metadata);
  }
}

const MAX_DEPTH = 16;

// With the u flag a surrogate pair is one code point, so this matches only unpaired halves.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Refuses what would otherwise end in a 500: nesting deep enough to overflow class-transformer's
 * recursion, NUL characters, which Postgres cannot store in text (DRF refuses them too), and unpaired
 * surrogates (a JSON "\ud800" escape), which make validator's isEmail throw and could only be stored
 * as U+FFFD. A string outside any field (the body itself, a "" key) gets DRF's `{"detail": "..."}`.
 */
function checkShape(value: unknown, path = '', depth = 0): void {
  if (typeof value === 'string') {
    const problem = value.includes('\u0000')
      ? 'Null characters are not allowed.'
      : LONE_SURROGATE.test(value)
        ? 'Invalid Unicode: unpaired surrogate.'
        : undefined;
    if (problem) throw new BadRequestException(path ? { [path]: [problem] } : { detail: problem });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_DEPTH) throw new BadRequestException({ detail: `Request body is nested deeper than ${MAX_DEPTH} levels.` });
  for (const [key, child] of Object.entries(value)) checkShape(child, path ? `${path}.${key}` : key, depth + 1);
}

export function toFieldErrors(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const rules = Object.entries(error.constraints ?? {});
    const messages =
      error.value === undefined && rules.length && !('whitelistValidation' in (error.constraints ?? {}))
        ? ['This field is required.'] // DRF's words, rather than every rule the absent value breaks
        : rules.map(([rule, msg]) => (rule === 'whitelistValidation' ? `Unknown field "${field}".` : msg));
    if (messages.length) out[field] = messages;
    Object.assign(out, toFieldErrors(error.children ?? [], field));
  }
  return out;
}
