import { BadRequestException, Controller, Get, Inject, Query, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StorageService } from '@app/storage';
import { appConfig } from '../app.config.js';
import { Public } from '../auth/public.decorator.js';
import { CachedView } from '../common/cached-view.decorator.js';
import { publicOrigin } from '../common/public-origin.js';
import { RawJson } from '../common/raw-json.js';
import { SEARCH_CAP } from './search.queries.js';
import { SearchService } from './search.service.js';
import { SearchResult } from './dto/search-result.dto.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { ErrorMessage } from '../openapi/errors.dto.js';

export const MAX_QUERY_LENGTH = 100;
/** Every kind of row a search shows. */
const SEARCH_FAMILIES = ['users', 'logbooks', 'comments', 'bucket-lists', 'buddies', 'jobs'] as const;

/**
 * Global search, one indexed statement on a miss. Cached like the other public views, by q, under
 * every family whose rows it shows, so any write to one of them refreshes it: the same few terms are
 * searched again and again (the navbar, popular sites), and each hit then costs no SQL. What callers
 * can put in q is bounded: 100 characters, one entry per distinct term, each expiring with the TTL and
 * at most CACHE_MAX_ENTRY_BYTES, in a Redis bounded by maxmemory.
 */
@ApiTags('search')
@Controller('api/search')
export class SearchController {
  constructor(
    private readonly searches: SearchService,
    private readonly storage: StorageService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Public()
  @Get('/')
  @CachedView({ family: SEARCH_FAMILIES, name: 'search', perUser: false, query: ['q'] })
  @ApiOperation({
    summary: `Users (by username, no emails), logbooks, comments, bucket lists, buddies and jobs containing q, case-insensitively; at most ${SEARCH_CAP} of each, newest first; buddies are the pairs of the users listed`,
  })
  @ApiQuery({ name: 'q', required: true, description: `1 to ${MAX_QUERY_LENGTH} characters` })
  @ApiOkResponse({ type: SearchResult })
  @ApiErrors({ 400: 'No q, or one that is too long or holds a null character' }, ErrorMessage)
  async search(@Req() req: FastifyRequest, @Query('q') q?: unknown) {
    const term = typeof q === 'string' ? q.trim() : '';
    if (!term) throw new BadRequestException({ error: 'Enter a search term (q).' });
    // Postgres cannot hold a NUL in text: refused here rather than failing the statement.
    if (term.includes('\u0000')) throw new BadRequestException({ error: 'The search term may not contain null characters.' });
    if (term.length > MAX_QUERY_LENGTH) {
      throw new BadRequestException({ error: `The search term may be at most ${MAX_QUERY_LENGTH} characters long.` });
    }
    return new RawJson(await this.searches.search(term, this.storage.url(publicOrigin(req, this.env.PUBLIC_URL), '')));
  }
}
