import type { FastifyMultipartAttachFieldsToBodyOptions, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';

export interface UploadedFile {
  fieldname: string;
  filename: string;
  bytes: Buffer;
}

declare module 'fastify' {
  interface FastifyRequest {
    uploads?: Map<string, UploadedFile>;
  }
  interface FastifyContextConfig {
    /** Multipart file fields this route accepts (set with Nest's @RouteConfig). */
    uploads?: readonly string[];
  }
}

function badRequest(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

/**
 * Multipart bodies become plain objects (repeated fields → arrays) that the global validation pipe
 * checks like JSON. Files are accepted only in the fields a route declares, read into memory up to
 * UPLOAD_MAX_BYTES (streaming stops there with a 413, so an oversized file is never kept), and set
 * aside on `req.uploads` so they never reach the DTO.
 */
export function multipartOptions(maxFileBytes: number): FastifyMultipartAttachFieldsToBodyOptions {
  return {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: maxFileBytes, files: 2, fields: 100, fieldSize: 65_536, parts: 110, headerPairs: 100 },
    async onFile(this: FastifyRequest, part: MultipartFile) {
      const allowed = this.routeOptions.config.uploads ?? [];
      if (!allowed.includes(part.fieldname)) {
        part.file.resume();
        throw badRequest(`Unexpected file in field "${part.fieldname}".`);
      }
      const uploads = (this.uploads ??= new Map());
      if (uploads.has(part.fieldname)) throw badRequest(`Only one file is accepted in "${part.fieldname}".`);
      const bytes = await part.toBuffer();
      uploads.set(part.fieldname, { fieldname: part.fieldname, filename: part.filename, bytes });
      delete (part.fields as Record<string, unknown>)[part.fieldname];
    },
  };
}
