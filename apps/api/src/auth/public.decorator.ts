import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Marks a route that anonymous callers may use. Everything else requires a valid access token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
