import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { fishialConfig, type FishialEnv, uploadHosts } from './fishial.config.js';
import { FishialError } from './fishial.errors.js';

/** The image types Fishial's upload accepts; photos, their uploads and recognitions are limited to them. */
export const FISHIAL_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif'] as const;
export type FishialImageType = (typeof FISHIAL_IMAGE_TYPES)[number];

export function isFishialImageType(type: string | undefined): type is FishialImageType {
  return (FISHIAL_IMAGE_TYPES as readonly string[]).includes(type ?? '');
}

export interface FishialImage {
  bytes: Buffer;
  filename: string;
  contentType: FishialImageType;
}

export interface FishialSpecies {
  name: string;
  accuracy: number;
  [key: string]: unknown;
}

export interface FishialRecognition {
  /** The best species of the first result, or "Unknown" (the original's rule). */
  classifiedAs: string;
  species: FishialSpecies[];
  raw: unknown;
}

const REFRESH_MARGIN_MS = 60_000;

/**
 * Fishial's four steps: token → signed upload → direct upload → recognition. One token is shared by
 * all in-flight work and refreshed once when it nears expiry or is rejected (waiters share the one
 * refresh). Every call has a timeout, no redirect is followed, and the direct-upload URL must be on an
 * allowed host before a byte is sent to it; the PUT carries only the headers Fishial signed.
 */
@Injectable()
export class FishialClient {
  private token: { value: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  private readonly allowedHosts: Set<string>;
  private readonly api: URL;

  constructor(@Inject(fishialConfig.KEY) private readonly env: FishialEnv) {
    this.allowedHosts = uploadHosts(env);
    this.api = new URL(env.FISHIAL_API_URL);
  }

  async recognize(image: FishialImage): Promise<FishialRecognition> {
    const checksum = createHash('md5').update(image.bytes).digest('base64');
    const upload = await this.json(await this.authed((auth) =>
      this.call(`${this.env.FISHIAL_API_URL}/recognition/upload`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          blob: { filename: image.filename, content_type: image.contentType, byte_size: image.bytes.length, checksum },
        }),
      }),
    ));
    const signedId = upload?.['signed-id'];
    const direct = upload?.['direct-upload'];
    if (typeof signedId !== 'string' || typeof direct?.url !== 'string' || typeof direct.headers !== 'object') {
      throw new FishialError('upload answer without signed-id or direct-upload', false);
    }
    const target = this.checkUploadUrl(direct.url);
    const signed = Object.entries(direct.headers as Record<string, unknown>).filter(
      ([name, value]) => /^(content-md5|content-disposition)$/i.test(name) && typeof value === 'string',
    ) as Array<[string, string]>;
    const put = await this.call(target, { method: 'PUT', headers: Object.fromEntries(signed), body: new Uint8Array(image.bytes) });
    await this.read(put, () => put.arrayBuffer());

    const result = await this.json(await this.authed((auth) =>
      this.call(`${this.env.FISHIAL_API_URL}/recognition/image?q=${encodeURIComponent(signedId)}`, {
        headers: { ...auth, Accept: 'application/json' },
      }),
    ));
    const species: FishialSpecies[] = Array.isArray(result?.results?.[0]?.species)
      ? result.results[0].species.filter((s: FishialSpecies) => typeof s?.name === 'string' && typeof s.accuracy === 'number')
      : [];
    const best = species.reduce<FishialSpecies | undefined>((a, b) => (!a || b.accuracy > a.accuracy ? b : a), undefined);
    return { classifiedAs: best?.name ?? 'Unknown', species, raw: result };
  }

  /** Runs a Bearer call; on a 401 the token is renewed (once, for every caller) and the call retried once. */
  private async authed(run: (auth: { Authorization: string }) => Promise<Response>): Promise<Response> {
    const token = await this.currentToken();
    const res = await run({ Authorization: `Bearer ${token}` });
    if (res.status !== 401) return res;
    await res.arrayBuffer();
    const fresh = await this.renew(token);
    const retried = await run({ Authorization: `Bearer ${fresh}` });
    if (retried.status === 401) throw new FishialError('Fishial rejected a fresh token', false);
    return retried;
  }

  private async currentToken(): Promise<string> {
    if (this.token && this.token.expiresAt - REFRESH_MARGIN_MS > Date.now()) return this.token.value;
    return this.renew(this.token?.value);
  }

  /** Single flight: concurrent callers wait for the same request; a stale caller gets the newer token. */
  private renew(stale: string | undefined): Promise<string> {
    if (this.refreshing) return this.refreshing;
    if (this.token && this.token.value !== stale && this.token.expiresAt - REFRESH_MARGIN_MS > Date.now()) {
      return Promise.resolve(this.token.value);
    }
    this.refreshing = (async () => {
      const res = await this.call(this.env.FISHIAL_AUTH_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ client_id: this.env.FISHIAL_CLIENT_ID, client_secret: this.env.FISHIAL_CLIENT_SECRET }),
      });
      const body = await this.json(res);
      if (typeof body?.access_token !== 'string') throw new FishialError('token answer without access_token', false);
      const lifeS = Number.isFinite(body.expires_in) ? Number(body.expires_in) : 600;
      this.token = { value: body.access_token, expiresAt: Date.now() + lifeS * 1000 };
      return body.access_token as string;
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private checkUploadUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new FishialError('direct-upload URL is not a URL', false);
    }
    // https on an allowed host (listed with or without its port); plain http only where the API
    // itself is (the fake on a developer machine), never to a listed third party.
    const listed = this.allowedHosts.has(url.host.toLowerCase()) || this.allowedHosts.has(url.hostname.toLowerCase());
    const sameAsApi = url.protocol === this.api.protocol && url.host === this.api.host;
    if (!(listed && url.protocol === 'https:') && !sameAsApi) {
      throw new FishialError(`direct-upload URL on a host that is not allowed (${url.protocol}//${url.host})`, false);
    }
    return url.toString();
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(this.env.FISHIAL_TIMEOUT_MS) });
    } catch (err) {
      const cause = (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message;
      throw new FishialError(`Fishial ${new URL(url).pathname}: ${cause}`, true);
    }
    if (res.status >= 300 && res.status < 400) throw new FishialError(`Fishial answered a redirect (${res.status}); not followed`, false);
    if (res.status >= 500 || res.status === 429) {
      await res.arrayBuffer().catch(() => undefined);
      throw new FishialError(`Fishial ${new URL(url).pathname}: HTTP ${res.status}`, true);
    }
    if (res.status >= 400 && res.status !== 401) {
      const text = await res.text().catch(() => '');
      throw new FishialError(`Fishial ${new URL(url).pathname}: HTTP ${res.status} ${text.slice(0, 200)}`, false);
    }
    return res;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async json(res: Response): Promise<any> {
    const text = await this.read(res, () => res.text());
    try {
      return JSON.parse(text);
    } catch {
      throw new FishialError('Fishial answered something that is not JSON', false);
    }
  }

  /** A body read also runs under the call's timeout; running out of it there is transient too. */
  private async read<T>(res: Response, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      const name = (err as Error).name;
      const cause = name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : (err as Error).message;
      throw new FishialError(`Fishial ${new URL(res.url || this.api.href).pathname}: reading the answer ${cause}`, true);
    }
  }
}
