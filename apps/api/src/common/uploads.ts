import {
  applyDecorators,
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiConsumes } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { detectImageType, type StorageService } from '@app/storage';

export interface UploadedFile {
  fieldname: string;
  filename: string;
  bytes: Buffer;
}

/**
 * Stores an uploaded image (a logbook's dive image, a profile image) in `folder`; anything that is
 * not an image by its content is refused in DRF's words, under the field it came in.
 */
export async function storeImage(storage: StorageService, folder: string, image: UploadedFile): Promise<string> {
  const type = detectImageType(image.bytes);
  if (!type) {
    throw new BadRequestException({
      [image.fieldname]: ['Upload a valid image. The file you uploaded was either not an image or a corrupted image.'],
    });
  }
  return storage.putImage(folder, image.bytes, type);
}

declare module 'fastify' {
  interface FastifyRequest {
    uploads?: Map<string, UploadedFile>;
  }
}

const UPLOAD_FIELDS = 'uploadFields';

/**
 * Reads a multipart body into a plain object (repeated fields → arrays) that the global validation
 * pipe then checks like JSON, and sets the files aside on `req.uploads`. An interceptor, so it runs
 * after the guard: an anonymous caller is refused before a byte of the body is read. Files are
 * accepted only in the declared fields and are cut off at UPLOAD_MAX_BYTES while streaming (413).
 * A malformed body is a 400, never a 500.
 */
@Injectable()
export class MultipartInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (req.isMultipart()) {
      const allowed = this.reflector.get<string[]>(UPLOAD_FIELDS, context.getHandler()) ?? [];
      req.body = await readParts(req, allowed);
    }
    return next.handle();
  }
}

async function readParts(req: FastifyRequest, allowed: string[]): Promise<Record<string, unknown>> {
  const fields = new Map<string, unknown>();
  const uploads = (req.uploads = new Map());
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (!allowed.includes(part.fieldname) || uploads.has(part.fieldname)) {
          part.file.resume();
          throw new BadRequestException({ [part.fieldname]: ['Unexpected file in this field.'] });
        }
        uploads.set(part.fieldname, { fieldname: part.fieldname, filename: part.filename, bytes: await part.toBuffer() });
      } else {
        const held = fields.get(part.fieldname);
        fields.set(part.fieldname, held === undefined ? part.value : ([] as unknown[]).concat(held, part.value));
      }
    }
  } catch (err) {
    if (err instanceof HttpException) throw err;
    const { statusCode, message } = err as { statusCode?: number; message?: string };
    if (statusCode && statusCode >= 400 && statusCode < 500) throw new HttpException({ detail: message }, statusCode);
    throw new BadRequestException({ detail: `Malformed multipart body: ${message ?? 'unreadable'}` });
  }
  // fromEntries defines own properties: a field named "__proto__" cannot reach the prototype.
  return Object.fromEntries(fields);
}

/** The route takes multipart (with files in `fields`) as well as JSON. */
export const AcceptsUploads = (...fields: string[]) =>
  applyDecorators(
    SetMetadata(UPLOAD_FIELDS, fields),
    UseInterceptors(MultipartInterceptor),
    ApiConsumes('multipart/form-data', 'application/json'),
  );

/** Limits of the multipart parser (registered for the whole app; only upload routes read parts). */
export function multipartOptions(maxFileBytes: number) {
  return {
    limits: { fileSize: maxFileBytes, files: 2, fields: 100, fieldSize: 65_536, parts: 110, headerPairs: 100 },
  };
}
