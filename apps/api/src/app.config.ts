import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';
import { LOG_LEVELS, validateEnv } from '@app/config';
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
