import { isDatabaseUnavailable } from './database-errors.js';

describe('isDatabaseUnavailable', () => {
  it('recognises unreachable or refusing servers, directly or wrapped by TypeORM', () => {
    for (const err of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('x'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      new Error('database "x" is not currently accepting connections'),
      { message: 'query failed', driverError: Object.assign(new Error('too many clients'), { code: '53300' }) },
    ]) {
      expect(isDatabaseUnavailable(err)).toBe(true);
    }
  });

  it('leaves statement errors alone', () => {
    for (const err of [
      Object.assign(new Error('duplicate key'), { code: '23505' }),
      Object.assign(new Error('syntax error'), { code: '42601' }),
      new Error('something else'),
      null,
      'text',
    ]) {
      expect(isDatabaseUnavailable(err)).toBe(false);
    }
  });
});
