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
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw new BadRequestException({ detail: 'Expected a JSON object as the request body.' });
      }
    }
    return super.transform(value, metadata);
  }
}

export function toFieldErrors(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.entries(error.constraints ?? {}).map(([rule, msg]) =>
      rule === 'whitelistValidation' ? `Unknown field "${field}".` : msg,
    );
    if (messages.length) out[field] = messages;
    Object.assign(out, toFieldErrors(error.children ?? [], field));
  }
  return out;
}
