import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { AuthEnv } from './auth.config.js';
import { TokenService } from './token.service.js';

const jwt = (secret: string) =>
  new JwtService({
    secret: createSecretKey(Buffer.from(secret)),
    signOptions: { algorithm: 'HS256', issuer: 'iss', audience: 'aud' },
    verifyOptions: { algorithms: ['HS256'], issuer: 'iss', audience: 'aud' },
  });

describe('TokenService', () => {
  const env = { JWT_ACCESS_TTL: 2, JWT_REFRESH_TTL: 60, JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud' } as AuthEnv;
  const tokens = new TokenService(jwt('s'.repeat(32)), env);
  afterEach(() => vi.useRealTimers());

  it('remembers a verified access token only until it expires', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = tokens.signAccess({ id: 7, username: 'diver' });
    expect(tokens.verify(token, 'access')?.user_id).toBe(7);
    expect(tokens.verify(token, 'access')?.user_id).toBe(7); // the remembered answer
    expect(tokens.verify(token, 'refresh')).toBeNull(); // never answers for the other type
    vi.setSystemTime(Date.now() + 3_000);
    expect(tokens.verify(token, 'access')).toBeNull();
  });

  it('never remembers a token that failed: a forged signature stays refused', () => {
    const forged = new TokenService(jwt('f'.repeat(32)), env).signAccess({ id: 7, username: 'diver' });
    expect(tokens.verify(forged, 'access')).toBeNull();
    expect(tokens.verify(forged, 'access')).toBeNull();
  });
});
