import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { CachedBody, ViewFamily } from '@app/cache';
import type { AuthUser } from '../users/auth-user.js';

export const CACHED_VIEW = 'cachedView';

export interface CachedViewOptions {
  /**
   * Whose writes invalidate it (they bump that family's generation): one family, or every family whose
   * rows the body is built from (a diver list reads users, logbooks, buddies and bucket lists).
   */
  family: ViewFamily | readonly ViewFamily[];
  /** The view's name in its cache key (CacheKeys.view). */
  name: string;
  /** The body has fields that depend on the caller (`liked_by_current_user`): key by user id. */
  perUser: boolean;
  /** Query parameters the handler reads; the rest neither change the body nor split the cache. */
  query?: readonly string[];
  /**
   * For a shared body (`perUser: false`) that shows each caller a little of their own (their email):
   * applied to the shared bytes on every answer, cached or not, and must give each caller its own ETag.
   */
  personalize?: Personalize;
  /**
   * `'per-logbook'`: the body shows the likes of a few logbooks, named by the RawJson the handler
   * returns, and a like batch makes it stale only when it changed one of them. Otherwise a view of
   * the `logbooks` family also depends on the `likes` family (any like batch makes it stale).
   */
  likes?: 'per-logbook';
}

/** The shared body as one caller (null: anonymous) is to see it, without parsing it. */
export type Personalize = (entry: CachedBody, caller: AuthUser | null) => CachedBody;

/**
 * The families of a view as one list, in the order its key carries their generations: logbook views
 * show likes, so they depend on `likes` too, unless they check the likes of their logbooks themselves.
 */
export const viewFamilies = ({ family, likes }: Pick<CachedViewOptions, 'family' | 'likes'>): readonly ViewFamily[] => {
  const families = typeof family === 'string' ? [family] : family;
  return families.includes('logbooks') && !families.includes('likes') && likes !== 'per-logbook' ? [...families, 'likes'] : families;
};

/** Serve this GET from the view cache (see ViewCacheInterceptor). */
export const CachedView = (options: CachedViewOptions) =>
  applyDecorators(
    SetMetadata(CACHED_VIEW, options),
    ApiResponse({ status: 304, description: 'Not modified: If-None-Match holds the current ETag' }),
  );
