import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorDetail, ErrorMessage } from './errors.dto.js';

/**
 * The errors only this route answers, each with when it happens: `@ApiErrors({ 403: 'Not the owner' })`.
 * Bodies are `{"detail"}` unless `shape` says `{"error"}`. Errors every route shares (401, 503, bad
 * input, unknown ids, oversized bodies) are added to the document for all routes (openapi.document.ts).
 */
export const ApiErrors = (errors: Record<number, string>, shape: typeof ErrorDetail | typeof ErrorMessage = ErrorDetail) =>
  applyDecorators(
    ...Object.entries(errors).map(([status, description]) => ApiResponse({ status: Number(status), description, type: shape })),
  );
