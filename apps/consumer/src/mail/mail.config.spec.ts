import { mailEnvFrom } from './mail.config.js';

describe('mail config', () => {
  it('defaults to the local SMTP sink outside production', () => {
    expect(mailEnvFrom({})).toMatchObject({ SMTP_HOST: '127.0.0.1', SMTP_PORT: 1025, SMTP_SECURE: false, MAIL_SEND_ATTEMPTS: 10 });
  });

  it('names a bad variable in one line at boot', () => {
    expect(() => mailEnvFrom({ SMTP_PORT: '0' })).toThrow('Config error: SMTP_PORT="0" is invalid: SMTP_PORT must not be less than 1');
    expect(() => mailEnvFrom({ SMTP_SECURE: 'maybe' })).toThrow('Config error: SMTP_SECURE="maybe" is invalid: must be true or false');
    expect(() => mailEnvFrom({ MAIL_FROM: 'nobody' })).toThrow(/MAIL_FROM="nobody" is invalid/);
    expect(mailEnvFrom({ MAIL_FROM: 'Dive Club <club@example.com>' }).MAIL_FROM).toBe('Dive Club <club@example.com>');
  });

  it('requires a real SMTP server in production, and credentials in pairs', () => {
    expect(() => mailEnvFrom({ NODE_ENV: 'production' })).toThrow('Config error: SMTP_HOST is required when NODE_ENV=production');
    expect(mailEnvFrom({ NODE_ENV: 'production', SMTP_HOST: 'smtp.example.com' }).SMTP_HOST).toBe('smtp.example.com');
    expect(() => mailEnvFrom({ SMTP_USER: 'me' })).toThrow('SMTP_USER and SMTP_PASSWORD must be set together');
  });
});
