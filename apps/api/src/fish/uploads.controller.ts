import { BadRequestException, Controller, ForbiddenException, HttpCode, HttpStatus, NotFoundException, Put, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StorageService, detectImageType } from '@app/storage';
import { Public } from '../auth/public.decorator.js';

/**
 * The local stand-in for S3's presigned PUT. The signature (not a token) authorises one file of one
 * type at one key until it expires; registerSignedUploads has verified it before the body was read.
 * Here the bytes must really be an image of the signed type, and a key is written only once.
 */
@ApiExcludeController()
@Public()
@Controller('api/uploads')
export class UploadsController {
  constructor(private readonly storage: StorageService) {}

  @Put(':userId/:name')
  @HttpCode(HttpStatus.OK)
  async put(@Req() req: FastifyRequest): Promise<void> {
    const upload = req.signedUpload;
    if (!upload || !this.storage.local) throw new NotFoundException({ detail: 'Not found.' });
    const bytes = req.body;
    if (!Buffer.isBuffer(bytes) || detectImageType(bytes) !== upload.type) {
      throw new BadRequestException({ detail: `The file is not a ${upload.type} image.` });
    }
    try {
      await this.storage.local.put(upload.key, bytes);
    } catch (err) {
      if ((err as { code?: string }).code === 'EEXIST') throw new ForbiddenException({ detail: 'This upload URL was already used.' });
      throw err;
    }
  }
}
