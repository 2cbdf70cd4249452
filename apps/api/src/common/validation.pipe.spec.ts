import { IsString } from 'class-validator';
import { AppValidationPipe } from './validation.pipe.js';

class Dto {
  @IsString()
  name: string;
}

describe('AppValidationPipe', () => {
  const pipe = new AppValidationPipe();
  const meta = { type: 'body' as const, metatype: Dto, data: '' };
  const errorOf = async (value: unknown) =>
    pipe.transform(value, meta).then(
      () => null,
      (e) => e.getResponse(),
    );

  it('passes a valid body through as the DTO class', async () => {
    await expect(pipe.transform({ name: 'x' }, meta)).resolves.toBeInstanceOf(Dto);
  });

  it('names unknown fields and reports field errors in DRF shape', async () => {
    expect(await errorOf({ name: 'x', role: 'admin' })).toEqual({ role: ['Unknown field "role".'] });
    expect(await errorOf({ name: 3 })).toEqual({ name: ['name must be a string'] });
  });

  it('says "This field is required." for an absent field, as DRF does', async () => {
    expect(await errorOf({})).toEqual({ name: ['This field is required.'] });
  });

  it('refuses NUL characters and absurd nesting with a 400 instead of failing deeper', async () => {
    expect(await errorOf({ name: 'a\u0000b' })).toEqual({ name: ['Null characters are not allowed.'] });
    expect(await errorOf({ name: 'a\ud800b' })).toEqual({ name: ['Invalid Unicode: unpaired surrogate.'] });
    expect(await errorOf({ name: 'fish \ud83d\udc1f' })).toBeNull(); // a pair is one character, not a fault
    expect(await errorOf({ '': 'a\u0000' })).toEqual({ detail: 'Null characters are not allowed.' });
    let deep: object = {};
    for (let i = 0; i < 5_000; i++) deep = { a: deep };
    expect(await errorOf({ name: 'x', nested: deep })).toEqual({ detail: 'Request body is nested deeper than 16 levels.' });
  });

  it('refuses arrays and scalars where an object is expected', async () => {
    for (const body of [[{ name: 'x' }], 'text', 7]) {
      expect(await errorOf(body)).toEqual({ detail: 'Expected a JSON object as the request body.' });
    }
  });
});
