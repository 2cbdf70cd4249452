import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator.js';
import { CachedView } from '../common/cached-view.decorator.js';
import { RawJson } from '../common/raw-json.js';
import { HomeStatsService } from './home-stats.service.js';

/**
 * Both rankings read logbooks and their likes (the like consumer bumps `logbooks` after each batch);
 * the members' one also reads usernames, so a renamed or new diver invalidates it too. Shared by
 * every caller: nothing in them depends on who asks.
 */
@ApiTags('home')
@Controller('api/home')
export class HomeStatsController {
  constructor(private readonly stats: HomeStatsService) {}

  @Public()
  @Get('top_level_members')
  @CachedView({ family: ['logbooks', 'users'], name: 'top-members', perUser: false })
  @ApiOperation({ summary: 'The three divers whose logbooks received the most likes: [[username, likes], …]' })
  @ApiOkResponse({
    schema: {
      type: 'array',
      maxItems: 3,
      items: { type: 'array', minItems: 2, maxItems: 2, items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } },
      example: [['diver', 12]],
    },
  })
  async topMembers() {
    return new RawJson(await this.stats.topMembers());
  }

  @Public()
  @Get('the_most_visited_spots')
  @CachedView({ family: 'logbooks', name: 'top-spots', perUser: false })
  @ApiOperation({ summary: 'The three dive sites with the most logbooks: [[dive_site, logbooks], …]' })
  @ApiOkResponse({
    schema: {
      type: 'array',
      maxItems: 3,
      items: { type: 'array', minItems: 2, maxItems: 2, items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } },
      example: [['Seogwipo', 12]],
    },
  })
  async topSpots() {
    return new RawJson(await this.stats.topSpots());
  }
}
