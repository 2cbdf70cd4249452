import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { appConfig } from '../app.config.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { pageBody, pageRequest } from '../common/pagination.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { publicOrigin } from '../common/public-origin.js';
import { RawJson } from '../common/raw-json.js';
import { AcceptsUploads } from '../common/uploads.js';
import type { AuthUser } from '../users/auth-user.js';
import { PreferencesDto } from './dto/preferences.dto.js';
import { PreferencesService } from './preferences.service.js';
import { LimitWrites } from '../limits/limit-writes.decorator.js';
import { Preferences, PreferencesPage } from './dto/preferences-views.dto.js';

/**
 * The caller's preferences survey. Not cached: it is per user, one indexed row, and the JWT guard's
 * cached lookup already keeps the request to this one statement.
 */
@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/settings/preferences')
export class PreferencesController {
  constructor(
    private readonly preferences: PreferencesService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Get('/')
  @ApiOperation({ summary: "The caller's survey as {count, next, previous, results}; an empty list until it is answered" })
  @ApiQuery({ name: 'page', required: false })
  @ApiOkResponse({ type: PreferencesPage })
  async list(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Query('page') page?: string, @Query('page_size') size?: string) {
    const request = pageRequest(page, size);
    const { count, results } = await this.preferences.page(user.id, request.size, request.offset);
    return pageBody(req, publicOrigin(req, this.env.PUBLIC_URL), request, count, results);
  }

  @LimitWrites('community')
  @Post('/')
  @AcceptsUploads()
  @ApiOperation({ summary: 'Answer the survey → 201; a second answer is a 400 (change it with PUT or PATCH)' })
  @ApiCreatedResponse({ type: Preferences })
  async create(@CurrentUser() user: AuthUser, @Body() dto: PreferencesDto) {
    return new RawJson(await this.preferences.create(user.id, dto));
  }

  @Get(':id/')
  @ApiOperation({ summary: "The caller's survey; anyone else's id is a 404" })
  @ApiOkResponse({ type: Preferences })
  async detail(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.preferences.detail(user.id, id));
  }

  @LimitWrites('community')
  @Put(':id/')
  @AcceptsUploads()
  @ApiOperation({ summary: 'Change the answers sent (every field is optional, as in the original)' })
  @ApiOkResponse({ type: Preferences })
  async replace(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: PreferencesDto) {
    return new RawJson(await this.preferences.update(user.id, id, dto));
  }

  @LimitWrites('community')
  @Patch(':id/')
  @AcceptsUploads()
  @ApiOperation({ summary: 'Change some answers' })
  @ApiOkResponse({ type: Preferences })
  async update(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: PreferencesDto) {
    return new RawJson(await this.preferences.update(user.id, id, dto));
  }

  @LimitWrites('community')
  @Delete(':id/')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete the survey (it can then be answered again)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.preferences.remove(user.id, id);
  }
}
