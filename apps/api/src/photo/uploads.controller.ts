import { BadRequestException, Controller, ForbiddenException, HttpCode, HttpStatus, NotFoundException, Param, Put, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StorageService, detectImageType } from '@app/storage';
import { Public } from '../auth/public.decorator.js';

const NAME = /^[A-Za-z0-9_.-]{1,200}$/;

/**
 * The local stand-in for S3's presigned PUT: the signature (not a token) authorises one file of one
 * type at one key until it expires. The body is capped at UPLOAD_MAX_BYTES by its parser (413 before
 * anything is stored), and the bytes must really be an image of the signed type.
 */
@ApiExcludeController()
@Public()
@Controller('api/uploads')
export class UploadsController {
  constructor(private readonly storage: StorageService) {}

  @Put(':userId/:name')
  @HttpCode(HttpStatus.OK)
  async put(
    @Req() req: FastifyRequest,
    @Param('userId') userId: string,
    @Param('name') name: string,
    @Query('type') type?: string,
    @Query('expires') expires?: string,
    @Query('sig') sig?: string,
  ): Promise<void> {
    const local = this.storage.local;
    if (!local || !/^\d{1,15}$/.test(userId) || !NAME.test(name)) throw new NotFoundException({ detail: 'Not found.' });
    const key = `uploads/${userId}/${name}`;
    if (!type || !sig || !local.verify(key, type, Number(expires), sig)) {
      throw new ForbiddenException({ detail: 'Upload URL invalid or expired.' });
    }
    if (req.headers['content-type']?.split(';', 1)[0].trim() !== type) {
      throw new ForbiddenException({ detail: `The upload URL was signed for Content-Type ${type}.` });
    }
    const bytes = req.body;
    if (!Buffer.isBuffer(bytes) || detectImageType(bytes) !== type) {
      throw new BadRequestException({ detail: `The file is not a ${type} image.` });
    }
    try {
      await local.put(key, bytes);
    } catch (err) {
      if ((err as { code?: string }).code === 'EEXIST') throw new ForbiddenException({ detail: 'This upload URL was already used.' });
      throw err;
    }
  }
}
