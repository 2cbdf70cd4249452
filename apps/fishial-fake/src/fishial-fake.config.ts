import { Type } from 'class-transformer';
import { IsInt, IsIP, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

export const FAKE_STEPS = ['token', 'upload', 'put', 'recognize'] as const;
export type FakeStep = (typeof FAKE_STEPS)[number];
export type FakeDelays = Record<FakeStep, number>;

export class FishialFakeEnv {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  FISHIAL_FAKE_PORT = 3100;

  /** Loopback by default: it is a test double, not something to expose. Compose sets 0.0.0.0. */
  @IsIP()
  FISHIAL_FAKE_HOST = '127.0.0.1';

  /** Per-step latency in ms; the default is the latency the original project measured against the real service. */
  @Matches(/^(token|upload|put|recognize):\d{1,6}(,(token|upload|put|recognize):\d{1,6})*$/, {
    message: 'must look like token:100,upload:50,put:200,recognize:500',
  })
  FISHIAL_FAKE_DELAYS_MS = 'token:100,upload:50,put:200,recognize:500';

  /** The credentials it accepts (the apps' FISHIAL_CLIENT_ID/SECRET defaults). */
  @IsString()
  @MinLength(1)
  FISHIAL_FAKE_CLIENT_ID = 'fake-client-id';

  @IsString()
  @MinLength(1)
  FISHIAL_FAKE_CLIENT_SECRET = 'fake-client-secret';

  /** Base of the direct-upload URLs it hands out; default: its own address. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  FISHIAL_FAKE_PUBLIC_URL?: string = undefined;

  /** Share of calls (token excepted) answered 500, from 0 to 1: a flaky upstream. */
  @Type(() => Number)
  @Min(0)
  @Max(1)
  FISHIAL_FAKE_ERROR_RATE = 0;
}

export function parseDelays(spec: string): FakeDelays {
  const delays: FakeDelays = { token: 0, upload: 0, put: 0, recognize: 0 };
  for (const part of spec.split(',')) {
    const [step, ms] = part.split(':');
    delays[step as FakeStep] = Number(ms);
  }
  return delays;
}
