import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FISHIAL_IMAGE_TYPES, isFishialImageType } from '@app/fishial';
import { StorageService } from '@app/storage';
import { appConfig } from '../app.config.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { CachedView } from '../common/cached-view.decorator.js';
import { PAGE_QUERY, pageBody, pageRequest } from '../common/pagination.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { publicOrigin } from '../common/public-origin.js';
import { RawJson } from '../common/raw-json.js';
import { AcceptsUploads } from '../common/uploads.js';
import { LimitWrites } from '../limits/limit-writes.decorator.js';
import type { AuthUser } from '../users/auth-user.js';
import { ClassifyBatchDto, CreatePhotoDto, UpdatePhotoDto } from './dto/photo.dto.js';
import { PhotosService, uploadFolder } from './photos.service.js';
import { Classification, Photo, PhotoPage, UploadTarget } from './dto/photo-views.dto.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { ErrorMessage } from '../openapi/errors.dto.js';

const MAX_WAIT_S = 30;

/** Everything here needs a token and sees only the caller's photos (the original's were open to all). */
@ApiTags('photos')
@ApiBearerAuth()
@Controller('api/photo')
export class PhotosController {
  constructor(
    private readonly photos: PhotosService,
    private readonly storage: StorageService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Get('generate_presigned_url/')
  @LimitWrites('photos')
  @ApiOperation({ summary: 'Where to PUT one image: {uploadUrl, fileUrl} (jpeg, png or gif)' })
  @ApiQuery({ name: 'filename' })
  @ApiQuery({ name: 'filetype', enum: FISHIAL_IMAGE_TYPES })
  @ApiOkResponse({ type: UploadTarget })
  @ApiErrors({ 400: 'No filename, or a file type other than image/jpeg, image/png or image/gif' }, ErrorMessage)
  async presign(
    @Req() req: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @Query('filename') filename?: string,
    @Query('filetype') filetype?: string,
  ) {
    if (!isFishialImageType(filetype)) throw new BadRequestException({ error: 'Invalid file type' });
    if (typeof filename !== 'string' || filename.length === 0 || filename.length > 200) {
      throw new BadRequestException({ error: 'filename is required (at most 200 characters)' });
    }
    const { uploadUrl, fileUrl } = await this.storage.presignUpload(this.origin(req), uploadFolder(user.id), filename, filetype);
    return { uploadUrl, fileUrl };
  }

  @Get('/')
  @CachedView({ family: 'photos', name: 'photos', perUser: true, query: PAGE_QUERY })
  @ApiOperation({ summary: "The caller's photos, newest first: {count, next, previous, results}" })
  @ApiOkResponse({ type: PhotoPage })
  async list(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Query('page') page?: string, @Query('page_size') size?: string) {
    const request = pageRequest(page, size);
    const { count, results } = await this.photos.page(user.id, this.origin(req), request.size, request.offset);
    return pageBody(req, this.origin(req), request, count, results);
  }

  @Post('/')
  @AcceptsUploads('image')
  @LimitWrites('photos')
  @ApiOperation({ summary: 'Create a photo from {title, image_url} (a fileUrl of ours) or multipart {title, image}' })
  @ApiCreatedResponse({ type: Photo })
  async create(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Body() dto: CreatePhotoDto) {
    const file = req.uploads?.get('image');
    if (file && dto.image_url) throw new BadRequestException({ image_url: ['Send either image_url or an image file, not both.'] });
    if (!file && !dto.image_url) throw new BadRequestException({ image_url: ['This field is required.'] });
    const id = file
      ? await this.photos.createFromFile(user.id, dto.title, file)
      : await this.photos.createFromUrl(user.id, this.origin(req), dto.title, dto.image_url!);
    return new RawJson((await this.photos.detail(user.id, this.origin(req), id)).doc);
  }

  @Post('classify/')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Queue recognitions of up to 100 of your photos → 202 [{photo_id, status}]; each one sent counts against RECOGNITION_DAILY_QUOTA',
  })
  @ApiTooManyRequestsResponse({ description: 'The daily recognition quota would be exceeded; nothing was queued' })
  @ApiAcceptedResponse({ type: [Classification], description: 'Queued with the broker’s confirm' })
  @ApiErrors({ 404: 'One of the ids is not a photo of yours' })
  classifyMany(@CurrentUser() user: AuthUser, @Body() dto: ClassifyBatchDto) {
    return this.photos.classify(user.id, dto.photo_ids);
  }

  @Get(':id/')
  @CachedView({ family: 'photos', name: 'photo', perUser: true })
  @ApiOperation({ summary: 'One of your photos, with status, classified_as, species and error' })
  @ApiOkResponse({ type: Photo })
  async detail(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return new RawJson((await this.photos.detail(user.id, this.origin(req), id)).doc);
  }

  @Put(':id/')
  @ApiOperation({ summary: 'Rename one of your photos' })
  @ApiOkResponse({ type: Photo })
  async replace(
    @Req() req: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdatePhotoDto,
  ) {
    return this.update(req, user, id, dto);
  }

  @Patch(':id/')
  @ApiOperation({ summary: 'Rename one of your photos' })
  @ApiOkResponse({ type: Photo })
  async update(
    @Req() req: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdatePhotoDto,
  ) {
    await this.photos.rename(user.id, id, dto.title);
    return new RawJson((await this.photos.detail(user.id, this.origin(req), id)).doc);
  }

  @Delete(':id/')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete one of your photos and its file' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.photos.remove(user.id, id);
  }

  /**
   * 202 {photo_id, status: "pending"} once the command is queued. With `Prefer: wait=N` (N ≤ 30) it
   * answers 200 with the finished photo as soon as the consumer has it, or 202 after N seconds.
   */
  @Post(':id/classify/')
  @ApiHeader({ name: 'Prefer', required: false, description: 'wait=N (seconds, at most 30)' })
  @ApiOperation({
    summary: 'Recognise the fish in one of your photos (queued; 202, or 200 with Prefer: wait=N); counts against the daily quota',
  })
  @ApiTooManyRequestsResponse({ description: 'The daily recognition quota is spent' })
  @ApiOkResponse({ type: Photo, description: 'Already recognised, or finished within Prefer: wait=N' })
  @ApiAcceptedResponse({ type: Classification, description: 'Queued with the broker’s confirm' })
  async classify(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    // The status depends on the outcome, which Nest's per-route status cannot say: reply by hand.
    const [queued] = await this.photos.classify(user.id, [id]);
    const wait = Math.min(MAX_WAIT_S, Number(/\bwait=(\d{1,4})\b/.exec(String(req.headers.prefer ?? ''))?.[1] ?? 0));
    if (wait > 0) void reply.header('Preference-Applied', `wait=${wait}`);
    void reply.type('application/json; charset=utf-8');
    if (queued.status === 'done' || (wait > 0 && (await this.photos.awaitResult(user.id, id, wait * 1000)))) {
      await reply.status(HttpStatus.OK).send((await this.photos.detail(user.id, this.origin(req), id)).doc);
      return;
    }
    await reply.status(HttpStatus.ACCEPTED).send(JSON.stringify(queued));
  }

  private origin(req: FastifyRequest): string {
    return publicOrigin(req, this.env.PUBLIC_URL);
  }
}
