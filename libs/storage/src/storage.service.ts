import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { IMAGE_EXTENSIONS, type ImageType } from './image-type.js';
import { storageConfig, type StorageEnv } from './storage.config.js';

/** URL path under which stored files are served, without auth (DESIGN.md: pinned details). */
export const MEDIA_PREFIX = '/media/';

/**
 * Stored files by key (`<folder>/<uuid>.<ext>`). Keys are generated here, never taken from a client,
 * so no request can choose a path. Local disk for now; the object-store backend slots in behind the
 * same methods.
 */
@Injectable()
export class StorageService implements OnModuleInit {
  readonly root: string;

  constructor(@Inject(storageConfig.KEY) readonly env: StorageEnv) {
    this.root = resolve(env.STORAGE_DIR);
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async putImage(folder: string, bytes: Buffer, type: ImageType): Promise<string> {
    const key = `${folder}/${randomUUID()}.${IMAGE_EXTENSIONS[type]}`;
    const path = resolve(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes, { flag: 'wx' });
    return key;
  }

  async delete(key: string): Promise<void> {
    await rm(resolve(this.root, key), { force: true });
  }

  /** The public URL of a stored file, on the given origin (PUBLIC_URL or the request's own). */
  url(origin: string, key: string): string {
    return `${origin}${MEDIA_PREFIX}${key}`;
  }
}
