import { EnvError } from '@app/config';
import { ARGON2_OWASP_MIN_KIB, authEnvFrom } from './auth.config.js';

describe('auth config: argon2id cost', () => {
  it('defaults to OWASP’s 7 MiB × 5 passes minimum', () => {
    expect(authEnvFrom({})).toMatchObject({ ARGON2_MEMORY_KIB: 7_168, ARGON2_TIME_COST: 5 });
  });

  it.each(Object.entries(ARGON2_OWASP_MIN_KIB))('accepts OWASP’s pair for %s pass(es) and refuses 1 KiB less', (passes, kib) => {
    expect(authEnvFrom({ ARGON2_TIME_COST: passes, ARGON2_MEMORY_KIB: String(kib) }).ARGON2_MEMORY_KIB).toBe(kib);
    // 1 KiB under the lowest pair is under the variable's own floor, refused before the pair is checked.
    const refusal =
      kib - 1 >= ARGON2_OWASP_MIN_KIB[5]
        ? new EnvError(`Config error: ARGON2_MEMORY_KIB=${kib - 1} is below OWASP's minimum of ${kib} KiB for ARGON2_TIME_COST=${passes}`)
        : /ARGON2_MEMORY_KIB="7167" is invalid/;
    expect(() => authEnvFrom({ ARGON2_TIME_COST: passes, ARGON2_MEMORY_KIB: String(kib - 1) })).toThrow(refusal);
  });

  it('refuses a cheap pair made of two values that are each allowed alone', () => {
    expect(() => authEnvFrom({ ARGON2_TIME_COST: '2', ARGON2_MEMORY_KIB: '7168' })).toThrow(/below OWASP's minimum of 19456 KiB/);
    expect(authEnvFrom({ ARGON2_TIME_COST: '8', ARGON2_MEMORY_KIB: '7168' }).ARGON2_TIME_COST).toBe(8);
  });

  it('still requires a real JWT secret in production', () => {
    expect(() => authEnvFrom({ NODE_ENV: 'production' })).toThrow('JWT_SECRET is required');
  });
});
