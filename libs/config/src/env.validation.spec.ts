import { Type } from 'class-transformer';
import { IsIn, IsInt, IsUrl, Min } from 'class-validator';
import { EnvBoolean } from './env.decorators.js';
import { EnvError, validateEnv } from './env.validation.js';

class SampleEnv {
  @IsUrl({ protocols: ['postgres'], require_tld: false, require_protocol: true })
  SAMPLE_URL = 'postgres://localhost/db';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  SAMPLE_SIZE = 10;

  @EnvBoolean()
  @IsIn([true, false], { message: 'must be true or false' })
  SAMPLE_FLAG = false;
}

describe('validateEnv', () => {
  it('applies defaults and converts the values that are set', () => {
    expect(validateEnv(SampleEnv, {})).toMatchObject({ SAMPLE_URL: 'postgres://localhost/db', SAMPLE_SIZE: 10, SAMPLE_FLAG: false });
    expect(validateEnv(SampleEnv, { SAMPLE_SIZE: '42', SAMPLE_FLAG: 'yes' })).toMatchObject({ SAMPLE_SIZE: 42, SAMPLE_FLAG: true });
  });

  it('treats an empty variable as unset', () => {
    expect(validateEnv(SampleEnv, { SAMPLE_SIZE: '' }).SAMPLE_SIZE).toBe(10);
  });

  it.each([
    [{ SAMPLE_SIZE: 'abc' }, 'Config error: SAMPLE_SIZE="abc" is invalid: SAMPLE_SIZE must be an integer number'],
    [{ SAMPLE_SIZE: '0' }, 'Config error: SAMPLE_SIZE="0" is invalid: SAMPLE_SIZE must not be less than 1'],
    [{ SAMPLE_URL: 'http://x' }, 'Config error: SAMPLE_URL="http://x" is invalid: SAMPLE_URL must be a URL address'],
    [{ SAMPLE_FLAG: 'maybe' }, 'Config error: SAMPLE_FLAG="maybe" is invalid: must be true or false'],
  ])('fails with one line naming the variable: %j', (env, message) => {
    expect(() => validateEnv(SampleEnv, env)).toThrow(new EnvError(message));
  });

  it('reads only the variables the feature declares', () => {
    expect(Object.keys(validateEnv(SampleEnv, { OTHER: 'x' }))).toEqual(['SAMPLE_URL', 'SAMPLE_SIZE', 'SAMPLE_FLAG']);
  });
});

describe('validateEnv error lines', () => {
  class SecretEnv {
    @IsUrl({ protocols: ['amqp'], require_tld: false, require_protocol: true })
    SOME_URL = 'amqp://localhost';

    @Type(() => Number)
    @IsInt()
    SOME_SECRET = 1;
  }

  it('never echo a secret or a password inside a URL', () => {
    expect(() => validateEnv(SecretEnv, { SOME_SECRET: 'hunter2' })).toThrow('SOME_SECRET="<hidden>"');
    expect(() => validateEnv(SecretEnv, { SOME_URL: 'http://user:hunter2@host' })).toThrow('SOME_URL="http://user:***@host"');
  });
});
