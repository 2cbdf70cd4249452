import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { appConfig } from '../../app.config.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { Public } from '../../auth/public.decorator.js';
import { pageBody, pageRequest } from '../../common/pagination.js';
import { ParseIdPipe } from '../../common/parse-id.pipe.js';
import { publicOrigin } from '../../common/public-origin.js';
import { RawJson } from '../../common/raw-json.js';
import { AcceptsUploads } from '../../common/uploads.js';
import type { AuthUser } from '../../users/auth-user.js';
import { PUBLIC_LIST_MAX } from '../owned-items.queries.js';
import { SkillDto, UpdateSkillDto } from './dto/skill.dto.js';
import { SkillsService } from './skills.service.js';
import { LimitWrites } from '../../limits/limit-writes.decorator.js';
import { Skill, SkillPage } from '../dto/owned-items.dto.js';

// Writes take JSON or multipart; no file fields. Every route but a diver's public list is the caller's own.
@ApiTags('skills')
@ApiBearerAuth()
@Controller('api/mypage/myskills')
export class SkillsController {
  constructor(
    private readonly skills: SkillsService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Get('/')
  @ApiOperation({ summary: "The caller's skills, oldest first: {count, next, previous, results}" })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false })
  @ApiOkResponse({ type: SkillPage })
  async list(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Query('page') page?: string, @Query('page_size') size?: string) {
    const request = pageRequest(page, size);
    const { count, results } = await this.skills.page(user.id, request.size, request.offset);
    return pageBody(req, publicOrigin(req, this.env.PUBLIC_URL), request, count, results);
  }

  @LimitWrites('community')
  @Post('/')
  @AcceptsUploads()
  @ApiOperation({ summary: 'Add a skill {skill} → 201 {id, skill, created_at, user}' })
  @ApiCreatedResponse({ type: Skill })
  async create(@CurrentUser() user: AuthUser, @Body() dto: SkillDto) {
    return new RawJson(await this.skills.create(user.id, dto));
  }

  @Public()
  @Get('friends/:userId/')
  @ApiOperation({ summary: `Any diver's skills, newest first (a bare array of at most ${PUBLIC_LIST_MAX}); 404 for an unknown diver` })
  @ApiOkResponse({ type: [Skill] })
  async ofDiver(@Param('userId', ParseIdPipe) userId: number) {
    const doc = await this.skills.ofDiver(userId);
    if (doc === undefined) throw new NotFoundException({ detail: 'Not found.' });
    return new RawJson(doc);
  }

  @Get(':id/')
  @ApiOperation({ summary: 'One skill of your own' })
  @ApiOkResponse({ type: Skill })
  async one(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.skills.one(user.id, id));
  }

  @LimitWrites('community')
  @Put(':id/')
  @AcceptsUploads()
  @ApiOperation({ summary: 'Replace one of your skills' })
  @ApiOkResponse({ type: Skill })
  async replace(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: SkillDto) {
    return new RawJson(await this.skills.update(user.id, id, dto));
  }

  @LimitWrites('community')
  @Patch(':id/')
  @AcceptsUploads()
  @ApiOperation({ summary: 'Change one of your skills' })
  @ApiOkResponse({ type: Skill })
  async update(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateSkillDto) {
    return new RawJson(await this.skills.update(user.id, id, dto));
  }

  @LimitWrites('community')
  @Delete(':id/')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete one of your skills' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.skills.remove(user.id, id);
  }
}
