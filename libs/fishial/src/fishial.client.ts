import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Agent, type Dispatcher, request } from 'undici';
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

type Answer = Dispatcher.ResponseData & { url: string };

// Fishial's answers, as far as they are read. Any field may be missing or of another type, so each
// is checked before it is used.
interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
}
interface UploadAnswer {
  'signed-id'?: unknown;
  'direct-upload'?: { url?: unknown; headers?: unknown };
}
interface RecognitionAnswer {
  results?: Array<{ species?: unknown }>;
}

/**
 * Fishial's four steps: token → signed upload → direct upload → recognition. One token is shared by
 * all in-flight work and refreshed once when it nears expiry or is rejected (waiters share the one
 * refresh). Every call has a timeout, no redirect is followed, and the direct-upload URL must be on an
 * allowed host before a byte is sent to it; the PUT carries only the headers Fishial signed.
 *
 * Calls go through undici's request API on keep-alive connections of the client's own: with 40
 * recognitions starting together, fetch's WHATWG streams cost the consumer's one thread about six
 * times as much per call (bench/analysis.md), and that time lands on every recognition's path.
 * undici never follows a redirect on this API: a 3xx comes back as a status.
 */
@Injectable()
export class FishialClient implements OnApplicationShutdown {
  private readonly agent = new Agent();
  private token: { value: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  private readonly allowedHosts: Set<string>;
  private readonly api: URL;

  constructor(@Inject(fishialConfig.KEY) private readonly env: FishialEnv) {
    this.allowedHosts = uploadHosts(env);
    this.api = new URL(env.FISHIAL_API_URL);
  }

  /**
   * Starts fetching a token if there is no fresh one, without waiting for it: a caller that still has
   * to load its photo overlaps the two, and recognize() then joins the same request. A failure here
   * is left to recognize(), which asks again and reports it.
   */
  prepare(): void {
    this.currentToken().catch(() => undefined);
  }

  async recognize(image: FishialImage): Promise<FishialRecognition> {
    const checksum = createHash('md5').update(image.bytes).digest('base64');
    const upload = await this.json<UploadAnswer>(
      await this.authed((auth) =>
        this.call(`${this.env.FISHIAL_API_URL}/recognition/upload`, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({
            blob: { filename: image.filename, content_type: image.contentType, byte_size: image.bytes.length, checksum },
          }),
        }),
      ),
    );
    const signedId = upload?.['signed-id'];
    const direct = upload?.['direct-upload'];
    if (typeof signedId !== 'string' || typeof direct?.url !== 'string' || typeof direct.headers !== 'object') {
      throw new FishialError('upload answer without signed-id or direct-upload', false, 'bad_answer');
    }
    const target = this.checkUploadUrl(direct.url);
    const signed = Object.entries(direct.headers as Record<string, unknown>).filter(
      ([name, value]) => /^(content-md5|content-disposition)$/i.test(name) && typeof value === 'string',
    ) as Array<[string, string]>;
    const put = await this.call(target, { method: 'PUT', headers: Object.fromEntries(signed), body: image.bytes });
    await this.read(put, () => put.body.dump());

    const result = await this.json<RecognitionAnswer>(
      await this.authed((auth) =>
        this.call(`${this.env.FISHIAL_API_URL}/recognition/image?q=${encodeURIComponent(signedId)}`, {
          headers: { ...auth, Accept: 'application/json' },
        }),
      ),
    );
    const found = result?.results?.[0]?.species;
    const species: FishialSpecies[] = Array.isArray(found)
      ? found.filter((s: FishialSpecies) => typeof s?.name === 'string' && typeof s.accuracy === 'number')
      : [];
    const best = species.reduce<FishialSpecies | undefined>((a, b) => (!a || b.accuracy > a.accuracy ? b : a), undefined);
    return { classifiedAs: best?.name ?? 'Unknown', species, raw: result };
  }

  /** Runs a Bearer call; on a 401 the token is renewed (once, for every caller) and the call retried once. */
  private async authed(run: (auth: { Authorization: string }) => Promise<Answer>): Promise<Answer> {
    const token = await this.currentToken();
    const res = await run({ Authorization: `Bearer ${token}` });
    if (res.statusCode !== 401) return res;
    await this.read(res, () => res.body.dump());
    const fresh = await this.renew(token);
    const retried = await run({ Authorization: `Bearer ${fresh}` });
    if (retried.statusCode === 401) throw new FishialError('Fishial rejected a fresh token', false, 'auth');
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
      if (res.statusCode === 401) {
        await this.read(res, () => res.body.dump());
        throw new FishialError('Fishial rejected the client credentials (HTTP 401)', false, 'auth');
      }
      const body = await this.json<TokenAnswer>(res);
      if (typeof body?.access_token !== 'string') throw new FishialError('token answer without access_token', false, 'bad_answer');
      const lifeS = Number.isFinite(body.expires_in) ? Number(body.expires_in) : 600;
      this.token = { value: body.access_token, expiresAt: Date.now() + lifeS * 1000 };
      return body.access_token;
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private checkUploadUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new FishialError('direct-upload URL is not a URL', false, 'upload_url');
    }
    // https on an allowed host (listed with or without its port); plain http only where the API
    // itself is (the fake on a developer machine), never to a listed third party.
    const listed = this.allowedHosts.has(url.host.toLowerCase()) || this.allowedHosts.has(url.hostname.toLowerCase());
    const sameAsApi = url.protocol === this.api.protocol && url.host === this.api.host;
    if (!(listed && url.protocol === 'https:') && !sameAsApi) {
      throw new FishialError(`direct-upload URL on a host that is not allowed (${url.protocol}//${url.host})`, false, 'upload_url');
    }
    return url.toString();
  }

  private async call(
    url: string,
    options: { method?: Dispatcher.HttpMethod; headers?: Record<string, string>; body?: string | Buffer } = {},
  ): Promise<Answer> {
    const path = new URL(url).pathname;
    const bound = this.env.FISHIAL_TIMEOUT_MS;
    let res: Answer;
    try {
      // The signal bounds the whole call, body included; the other two only bound silences.
      const answer = await request(url, {
        ...options,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(bound),
        headersTimeout: bound,
        bodyTimeout: bound,
      });
      res = Object.assign(answer, { url });
    } catch (err) {
      const cause = causeOf(err);
      throw new FishialError(`Fishial ${path}: ${cause}`, true, cause === TIMED_OUT ? 'timeout' : 'network');
    }
    const status = res.statusCode;
    if (status >= 300 && status < 400) {
      await res.body.dump().catch(() => undefined);
      throw new FishialError(`Fishial answered a redirect (${status}); not followed`, false, 'redirect');
    }
    if (status >= 500 || status === 429) {
      await res.body.dump().catch(() => undefined);
      throw new FishialError(`Fishial ${path}: HTTP ${status}`, true, status === 429 ? 'rate_limited' : 'http_5xx');
    }
    if (status >= 400 && status !== 401) {
      const text = await res.body.text().catch(() => '');
      throw new FishialError(`Fishial ${path}: HTTP ${status} ${text.slice(0, 200)}`, false, 'http_4xx');
    }
    return res;
  }

  /**
   * The parsed body, read as the answer expected. Every field of those types is optional and checked
   * before use, so a body of another shape (null, an array, a string) only reads as one without them.
   */
  private async json<T>(res: Answer): Promise<T | null> {
    const text = await this.read(res, () => res.body.text());
    try {
      return JSON.parse(text) as T | null;
    } catch {
      throw new FishialError('Fishial answered something that is not JSON', false, 'bad_answer');
    }
  }

  /** A body read also runs under the call's timeout; running out of it there is transient too. */
  private async read<T>(res: Answer, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      const cause = causeOf(err);
      throw new FishialError(
        `Fishial ${new URL(res.url).pathname}: reading the answer ${cause}`,
        true,
        cause === TIMED_OUT ? 'timeout' : 'network',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // After the consumer's own shutdown hooks have let running recognitions finish.
    await this.agent.close();
  }
}

const TIMED_OUT = 'timed out';

/** undici's timeouts and aborts all read "timed out"; anything else (refused, reset…) keeps its message. */
function causeOf(err: unknown): string {
  const { name, code, message } = err as { name?: string; code?: string; message?: string };
  const timedOut =
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_ABORTED' ||
    code === 'UND_ERR_CONNECT_TIMEOUT';
  return timedOut ? TIMED_OUT : (message ?? String(err));
}
