import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';
import { EnvError, LOG_LEVELS, validateEnv } from '@app/config';
import { HOST_ENTRY } from './common/allowed-hosts.js';

export class AppEnv {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  PORT = 3000;

  /** Base of absolute URLs (`next`, `fileUrl`…); without it they come from the request's own host. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  PUBLIC_URL?: string = undefined;

  /**
   * Hosts requests may name (Host, or X-Forwarded-Host when trusted), comma-separated: `host` (any
   * port), `host:port`, `.example.com` (it and its subdomains) or `*` (any: only behind a proxy that
   * checks the host itself). Default: the PUBLIC_URL host, localhost, 127.0.0.1 and [::1]. Others → 400.
   */
  @IsOptional()
  @Matches(new RegExp(`^${HOST_ENTRY}(\\s*,\\s*${HOST_ENTRY})*$`), {
    message: 'must be a comma-separated list of host[:port], .domain or *',
  })
  ALLOWED_HOSTS?: string = undefined;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  API_WORKERS = 1;

  /**
   * Whom to believe about X-Forwarded-For: `false` (nobody, the default), a number of proxy hops in
   * front of us (`true` = 1), or a comma-separated list of proxy addresses/CIDRs. Never "everyone":
   * the left-most entries are whatever the client wrote.
   */
  @Matches(/^(false|true|\d{1,2}|[0-9A-Fa-f:./]+(\s*,\s*[0-9A-Fa-f:./]+)*)$/, {
    message: 'must be false, true, a hop count, or a comma-separated list of proxy IPs/CIDRs',
  })
  TRUST_PROXY = 'false';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL = 'info';

  /**
   * On SIGTERM, how long requests in flight may take before every connection left is closed. Without
   * it, a connection that never completes a request (a client cut off mid-request, a load generator's
   * sockets) held the process up to Node's 60 s headersTimeout, past any orchestrator's patience.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(120_000)
  SHUTDOWN_GRACE_MS = 5_000;

  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  BODY_LIMIT_BYTES = 1_048_576;

  /** A client that has not sent a request's headers by then is answered 408 and disconnected. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  /**
   * The whole request, body included (an upload of UPLOAD_MAX_BYTES too: raise it for slow links).
   * Only receiving it: a response that takes long (`Prefer: wait`) is not cut by this.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /** An idle keep-alive connection is closed after this; above a load balancer's own idle timeout if one pools connections to us. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000;

  /** A socket silent in both directions this long is destroyed (a client that stopped reading its response). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  HTTP_SOCKET_TIMEOUT_MS = 120_000;

  /** Connections one process holds at once; further ones are closed as they arrive. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  HTTP_MAX_CONNECTIONS = 10_000;
}

/**
 * Fastify's server options for the timeouts above. Node checks header and request deadlines only
 * every connectionsCheckingInterval (30 s by default), which alone let a slow client stay past them.
 */
export function httpServerOptions(env: AppEnv) {
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    throw new EnvError(
      `Config error: HTTP_HEADERS_TIMEOUT_MS=${env.HTTP_HEADERS_TIMEOUT_MS} is above HTTP_REQUEST_TIMEOUT_MS=${env.HTTP_REQUEST_TIMEOUT_MS}`,
    );
  }
  return {
    requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: env.HTTP_SOCKET_TIMEOUT_MS,
    http: {
      headersTimeout: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(env.HTTP_HEADERS_TIMEOUT_MS / 2)),
    },
  };
}

export const appConfig = registerAs('app', () => validateEnv(AppEnv));

/**
 * Fastify's `trustProxy` for TRUST_PROXY: false, the list of trusted proxies, or for a hop count the
 * function Fastify itself builds from one (trust the `hops` nearest addresses).
 */
export function trustProxySetting(value: string): boolean | string | ((addr: string, i: number) => boolean) {
  if (value === 'false') return false;
  if (value === 'true' || /^\d+$/.test(value)) {
    const hops = value === 'true' ? 1 : Number(value);
    return (_addr, i) => i < hops;
  }
  return value;
}
