import { HttpException, HttpStatus } from '@nestjs/common';

/** A 429 whose Retry-After the exception filter sets from `retryAfterSeconds`. */
export class TooManyRequestsException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    detail = `Request was throttled. Expected available in ${retryAfterSeconds} seconds.`,
  ) {
    super({ detail }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
