import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { IMAGE_EXTENSIONS, type ImageType } from './image-type.js';
import { LocalDiskStore } from './local-disk.store.js';
import type { ObjectStore } from './object.store.js';
import { S3Store } from './s3.store.js';
import { storageConfig, type StorageSettings } from './storage.config.js';

const KEY_PATTERN = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)+$/;

/**
 * Stored files by key. Keys are generated here (`<folder>/<uuid>…`), never taken from a client, so
 * no request can choose a path; a client-supplied URL is only ever mapped back to one of our keys.
 */
@Injectable()
export class StorageService implements OnModuleInit {
  readonly store: ObjectStore;
  readonly local: LocalDiskStore | undefined;

  constructor(@Inject(storageConfig.KEY) readonly env: StorageSettings) {
    this.local = env.S3_BUCKET ? undefined : new LocalDiskStore(env);
    this.store = this.local ?? new S3Store(env);
  }

  async onModuleInit(): Promise<void> {
    if (this.local) await mkdir(this.local.root, { recursive: true });
  }

  async putImage(folder: string, bytes: Buffer, type: ImageType): Promise<string> {
    const key = `${folder}/${randomUUID()}.${IMAGE_EXTENSIONS[type]}`;
    await this.store.put(key, bytes, type);
    return key;
  }

  read(key: string): Promise<Buffer> {
    return this.store.read(key);
  }

  size(key: string): Promise<number | undefined> {
    return this.store.size(key);
  }

  async delete(key: string): Promise<void> {
    await this.store.delete(key);
  }

  url(origin: string, key: string): string {
    return this.store.url(origin, key);
  }

  /** A key of ours for one upload: `<folder>/<uuid>_<sanitized name>.<the signed type's extension>`, and where to PUT it. */
  async presignUpload(origin: string, folder: string, filename: string, type: ImageType) {
    // The client's name is kept, its extension is not: local files are served with the type their
    // extension names, so "x.html" holding PNG bytes (all the PUT checks) must come back as a PNG,
    // never as a page on our origin.
    const stem = filename.replace(/\.[^.]*$/, '');
    const safe =
      stem
        .normalize('NFKD')
        .replace(/[^A-Za-z0-9_.-]+/g, '_')
        .replace(/^[._]+/, '')
        .slice(-80) || 'image';
    const key = `${folder}/${randomUUID().replaceAll('-', '')}_${safe}.${IMAGE_EXTENSIONS[type]}`;
    return { key, uploadUrl: await this.store.presignPut(origin, key, type), fileUrl: this.store.url(origin, key) };
  }

  /** The key behind one of our file URLs, or undefined for any other URL. */
  keyFromUrl(origin: string, url: string): string | undefined {
    const base = this.store.url(origin, '');
    if (!url.startsWith(base)) return undefined;
    let key: string;
    try {
      key = decodeURIComponent(url.slice(base.length).split(/[?#]/, 1)[0]);
    } catch {
      return undefined;
    }
    return KEY_PATTERN.test(key) && !key.split('/').some((part) => part === '.' || part === '..') ? key : undefined;
  }
}
