import { NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RawJson } from './raw-json.js';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;
/** Query parameters a paginated view reads (and is cached by). */
export const PAGE_QUERY = ['page', 'page_size'] as const;

export interface PageRequest {
  number: number;
  size: number;
  offset: number;
  sizeGiven: boolean;
}

/**
 * DRF's PageNumberPagination rules: `page` must be a positive integer (else 404 "Invalid page."), a
 * `page_size` above the maximum is clamped and an invalid one falls back to the default.
 */
export function pageRequest(page?: string, pageSize?: string): PageRequest {
  const number = page === undefined ? 1 : /^\d{1,9}$/.test(page) ? Number(page) : 0;
  if (number < 1) throw new NotFoundException({ detail: 'Invalid page.' });
  const asked = pageSize !== undefined && /^\d{1,9}$/.test(pageSize) ? Number(pageSize) : 0;
  const size = asked < 1 ? DEFAULT_PAGE_SIZE : Math.min(asked, MAX_PAGE_SIZE);
  return { number, size, offset: (number - 1) * size, sizeGiven: pageSize !== undefined };
}

/**
 * The bare arrays the original left unbounded (a logbook's comments, one user's logbooks): without
 * `page_size` they hold the first MAX_PAGE_SIZE items in the list's own order; `page` and `page_size`
 * pick another slice by the same rules as pageRequest. A page past the end is an empty array.
 */
export function listRequest(page?: string, pageSize?: string): PageRequest {
  const request = pageRequest(page, pageSize);
  return request.sizeGiven ? request : { ...request, size: MAX_PAGE_SIZE, offset: (request.number - 1) * MAX_PAGE_SIZE };
}

/**
 * `{count, next, previous, results}` around a results array that is already JSON. The links carry
 * only page and page_size (what the cache key holds): copying the rest of the query would let one
 * request plant its own parameters in a page cached for everyone.
 */
export function pageBody(
  req: FastifyRequest,
  origin: string,
  page: PageRequest,
  count: number,
  results: string,
  logbooks?: readonly number[],
): RawJson {
  if (page.number > 1 && page.offset >= count) throw new NotFoundException({ detail: 'Invalid page.' });
  const path = req.url.split('?', 1)[0];
  const link = (target: number | undefined) => {
    if (target === undefined) return null;
    const query = new URLSearchParams();
    if (page.sizeGiven) query.set('page_size', String(page.size));
    if (target > 1) query.set('page', String(target));
    return `${origin}${path}${query.size ? `?${query}` : ''}`;
  };
  const next = link(page.number * page.size < count ? page.number + 1 : undefined);
  const previous = link(page.number > 1 ? page.number - 1 : undefined);
  return new RawJson(
    `{"count":${count},"next":${JSON.stringify(next)},"previous":${JSON.stringify(previous)},"results":${results}}`,
    logbooks,
  );
}
