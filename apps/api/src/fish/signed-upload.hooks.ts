import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FISHIAL_IMAGE_TYPES, isFishialImageType } from '@app/fishial';
import { UPLOAD_PREFIX, imageTypeOfKey, type StorageService } from '@app/storage';

const PATH = /^\/api\/uploads\/(\d{1,15})\/([A-Za-z0-9_.-]{1,200})$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once the signature of a PUT to a local upload URL has been verified. */
    signedUpload?: { key: string; type: string };
  }
}

/**
 * Raw image bodies exist for one purpose, the local stand-in for S3's presigned PUT, and are refused
 * everywhere else. Both checks run on `onRequest`, before a byte of the body is read: a raw image to
 * any other route is a 415, and an upload whose signature, expiry, Content-Type or key extension does
 * not match is a 403. Only then may its parser take up to UPLOAD_MAX_BYTES (413 past it, nothing stored).
 */
export function registerSignedUploads(fastify: FastifyInstance, storage: StorageService): void {
  fastify.addContentTypeParser(
    [...FISHIAL_IMAGE_TYPES],
    { parseAs: 'buffer', bodyLimit: storage.env.UPLOAD_MAX_BYTES },
    (_req, body, done) => done(null, body),
  );
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const type = req.headers['content-type']?.split(';', 1)[0].trim().toLowerCase();
    const [path, search = ''] = req.url.split('?', 2);
    if (!path.startsWith(UPLOAD_PREFIX)) {
      if (isFishialImageType(type)) return reply.code(415).send({ detail: `Unsupported media type "${type}" in request.` });
      return;
    }
    const match = PATH.exec(path);
    const query = new URLSearchParams(search);
    const key = match && `uploads/${match[1]}/${match[2]}`;
    const signedType = query.get('type') ?? '';
    if (!key || req.method !== 'PUT' || !storage.local) return reply.code(404).send({ detail: 'Not found.' });
    if (!storage.local.verify(key, signedType, Number(query.get('expires')), query.get('sig') ?? '')) {
      return reply.code(403).send({ detail: 'Upload URL invalid or expired.' });
    }
    if (type !== signedType) return reply.code(403).send({ detail: `The upload URL was signed for Content-Type ${signedType}.` });
    // Files are served with the type their key's extension names: a key must name the signed type,
    // whoever signed it, so that no upload is ever served back as a page (`evil.html`).
    if (imageTypeOfKey(key) !== signedType) {
      return reply.code(403).send({ detail: `The upload URL's file name does not end in the extension of ${signedType}.` });
    }
    req.signedUpload = { key, type: signedType };
  });
}
