import { parseLikeCommands, parseMailCommand, parseRecognitionCommand, parseRecommendationCommand } from './messages.js';

interface CommandSpec<T> {
  /** The queue is `<QUEUE_PREFIX>.<queue>` on the broker. */
  queue: string;
  /** The `pattern` of the Nest RMQ envelope `{pattern, data}` the command travels in. */
  pattern: string;
  /** What the consumer trusts of a payload: the command, or undefined for anything malformed. */
  parse(data: unknown): T | undefined;
}

/**
 * Every command kind, with its queue, its message pattern and its parser, whose return type is the
 * payload type. The publisher, the consumer's queue options and its handlers all take a kind from
 * here, so a payload cannot be published to another kind's queue or read with another's parser.
 */
export const Commands = {
  like: { queue: 'likes', pattern: 'like.command', parse: parseLikeCommands },
  recognition: { queue: 'recognitions', pattern: 'recognition.command', parse: parseRecognitionCommand },
  recommendation: { queue: 'recommendations', pattern: 'recommendation.command', parse: parseRecommendationCommand },
  mail: { queue: 'mails', pattern: 'mail.command', parse: parseMailCommand },
} as const satisfies Record<string, CommandSpec<{ id: string } | Array<{ id: string }>>>;

export type CommandKind = keyof typeof Commands;
export type Command<K extends CommandKind> = Exclude<ReturnType<(typeof Commands)[K]['parse']>, undefined>;

/** The envelope patterns by kind, for code that writes raw messages (tests, benchmarks). */
export const MessagePatterns: { readonly [K in CommandKind]: (typeof Commands)[K]['pattern'] } = {
  like: Commands.like.pattern,
  recognition: Commands.recognition.pattern,
  recommendation: Commands.recommendation.pattern,
  mail: Commands.mail.pattern,
};
