import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StorageService } from '@app/storage';
import { appConfig } from '../../app.config.js';
import { Public } from '../../auth/public.decorator.js';
import { CachedView } from '../../common/cached-view.decorator.js';
import { publicOrigin } from '../../common/public-origin.js';
import { RawJson } from '../../common/raw-json.js';
import { DiversService } from './divers.service.js';
import { DirectoryEntry } from './dto/diver-views.dto.js';

/**
 * The client's navbar search loads this and filters it by username: it reads id and username only,
 * so the directory leaves out each diver's logbooks, lists and email, and is one body for everyone.
 */
@ApiTags('divers')
@ApiBearerAuth()
@Controller('api/users')
export class DirectoryController {
  constructor(
    private readonly divers: DiversService,
    private readonly storage: StorageService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Public()
  @Get('/')
  @CachedView({ family: 'users', name: 'directory', perUser: false })
  @ApiOperation({ summary: 'Every diver: [{id, profile_image, username, country, introduction, license}] (no emails)' })
  @ApiOkResponse({ type: [DirectoryEntry] })
  async list(@Req() req: FastifyRequest) {
    return new RawJson(await this.divers.directory(this.storage.url(publicOrigin(req, this.env.PUBLIC_URL), '')));
  }
}
