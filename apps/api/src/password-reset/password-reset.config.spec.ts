import { validateEnv } from '@app/config';
import { PasswordResetEnv } from './password-reset.config.js';

describe('password reset config', () => {
  it('defaults to a 15-minute code, 5 tries, and limits per address and per client', () => {
    expect(validateEnv(PasswordResetEnv, {})).toMatchObject({
      PASSWORD_RESET_CODE_TTL_SECONDS: 900,
      PASSWORD_RESET_MAX_ATTEMPTS: 5,
      PASSWORD_RESET_MAX_PER_EMAIL: 3,
      PASSWORD_RESET_MAX_PER_IP: 10,
    });
  });

  it('names a bad variable in one line at boot', () => {
    expect(() => validateEnv(PasswordResetEnv, { PASSWORD_RESET_CODE_TTL_SECONDS: '0' })).toThrow(
      // Variables named like a password have their value hidden in the message, this harmless one too.
      'Config error: PASSWORD_RESET_CODE_TTL_SECONDS="<hidden>" is invalid: PASSWORD_RESET_CODE_TTL_SECONDS must not be less than 1',
    );
  });
});
