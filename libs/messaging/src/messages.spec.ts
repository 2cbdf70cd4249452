import { CommandDeserializer, MALFORMED } from './command.deserializer.js';
import { Commands } from './commands.js';
import {
  MAX_LIKE_COMMANDS_PER_MESSAGE,
  parseLikeCommand,
  parseLikeCommands,
  parseMailCommand,
  parseRecommendationCommand,
} from './messages.js';

const valid = { id: 'c1', userId: 3, logbookId: 9, liked: true, version: '1795310000000123' };

describe('parseLikeCommand', () => {
  it('accepts a well-formed command and keeps only its fields', () => {
    expect(parseLikeCommand({ ...valid, extra: 'dropped' })).toEqual(valid);
  });

  it.each([
    null,
    'text',
    [],
    {},
    { ...valid, id: '' },
    { ...valid, id: 'x'.repeat(65) },
    { ...valid, userId: 0 },
    { ...valid, userId: -1 },
    { ...valid, userId: 1.5 },
    { ...valid, userId: '3' },
    { ...valid, logbookId: 2 ** 53 },
    { ...valid, liked: 'true' },
    { ...valid, version: 12 },
    { ...valid, version: '0' },
    { ...valid, version: '01' },
    { ...valid, version: '-5' },
    { ...valid, version: '9223372036854775808' },
  ])('refuses %o', (input) => {
    expect(parseLikeCommand(input)).toBeUndefined();
  });
});

describe('parseLikeCommands', () => {
  const other = { ...valid, id: 'c2', logbookId: 10, liked: false };

  it('reads a list of commands, in order, and a command alone (the format from before lists) as a list of one', () => {
    expect(parseLikeCommands([valid, other])).toEqual([valid, other]);
    expect(parseLikeCommands(valid)).toEqual([valid]);
    expect(parseLikeCommands(Array.from({ length: MAX_LIKE_COMMANDS_PER_MESSAGE }, () => valid))).toHaveLength(
      MAX_LIKE_COMMANDS_PER_MESSAGE,
    );
  });

  it.each([
    ['an empty list', []],
    ['a list longer than the bound', Array.from({ length: MAX_LIKE_COMMANDS_PER_MESSAGE + 1 }, () => valid)],
    ['a list with one malformed command', [valid, { ...other, userId: 0 }]],
    ['a list inside the list', [[valid]]],
    ['a malformed command alone', { ...valid, liked: 1 }],
    ['nothing', null],
  ])('refuses %s, whole', (_what, input) => {
    expect(parseLikeCommands(input)).toBeUndefined();
  });
});

describe('parseRecommendationCommand', () => {
  it('accepts {id, userId} and keeps only those', () => {
    expect(parseRecommendationCommand({ id: 's1', userId: 4, extra: true })).toEqual({ id: 's1', userId: 4 });
  });

  it.each([null, {}, { id: '', userId: 4 }, { id: 'x'.repeat(65), userId: 4 }, { id: 's1', userId: 0 }, { id: 's1', userId: '4' }])(
    'refuses %o',
    (input) => {
      expect(parseRecommendationCommand(input)).toBeUndefined();
    },
  );
});

describe('CommandDeserializer', () => {
  const d = new CommandDeserializer('like');
  const like = Commands.like.pattern;

  it('routes every message to its queue pattern, parsed, as an event, never a request', () => {
    expect(d.deserialize({ pattern: like, data: { ...valid, extra: 'dropped' } })).toEqual({ pattern: like, data: [valid] });
    expect(d.deserialize({ pattern: like, id: 'x', data: valid })).not.toHaveProperty('id');
  });

  it("marks anything that is not a well-formed command of its kind as malformed, another kind's included", () => {
    const recognition = { id: 'r1', photoId: 1, userId: 3 };
    for (const raw of [
      'not json',
      null,
      { data: valid },
      { pattern: Commands.recognition.pattern, data: valid },
      { pattern: like, data: recognition },
      { pattern: like, data: { ...valid, liked: 'yes' } },
    ]) {
      expect(d.deserialize(raw)).toEqual({ pattern: like, data: MALFORMED });
    }
    expect(new CommandDeserializer('recognition').deserialize({ pattern: Commands.recognition.pattern, data: recognition }).data).toEqual(
      recognition,
    );
  });
});

describe('parseMailCommand', () => {
  const mail = {
    id: 'm1',
    template: 'password-reset',
    to: 'diver@example.com',
    code: '004217',
    codeHash: 'q'.repeat(42) + 'A',
    issuedAt: '2026-12-01T22:45:00.000Z',
    expiresAt: '2026-12-01T23:00:00.000Z',
  };

  it('accepts a well-formed command and keeps only its fields', () => {
    expect(parseMailCommand({ ...mail, extra: 'dropped' })).toEqual(mail);
  });

  it.each([
    null,
    { ...mail, id: '' },
    { ...mail, template: 'newsletter' },
    { ...mail, to: 'Eve <eve@example.com>' },
    { ...mail, to: 'a@example.com, b@example.com' },
    { ...mail, to: 'a@example.com\r\nBcc: b@example.com' },
    { ...mail, to: `${'a'.repeat(65)}@example.com` },
    { ...mail, to: 'no-at-sign' },
    { ...mail, code: 4217 },
    { ...mail, code: '4217' },
    { ...mail, code: '1234567' },
    { ...mail, codeHash: undefined },
    { ...mail, codeHash: 'q'.repeat(42) },
    { ...mail, codeHash: 'q'.repeat(42) + '=' },
    { ...mail, issuedAt: undefined },
    { ...mail, issuedAt: 'now' },
    { ...mail, expiresAt: 'soon' },
    { ...mail, expiresAt: 1_795_000_000 },
  ])('refuses %o', (input) => {
    expect(parseMailCommand(input)).toBeUndefined();
  });
});
