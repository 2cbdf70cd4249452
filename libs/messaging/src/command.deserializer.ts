import type { ConsumerDeserializer, IncomingEvent } from '@nestjs/microservices';
import { type Command, type CommandKind, Commands } from './commands.js';

/** What a handler receives for a message that is not a well-formed command of its queue's kind. */
export const MALFORMED = Symbol('malformed command');

/** What a command handler of kind K is given: the parsed command, or MALFORMED to dead-letter. */
export type Delivered<K extends CommandKind> = Command<K> | typeof MALFORMED;

/**
 * Each queue carries one kind of command, so every message on it is routed to that kind's handler,
 * never dropped by Nest as "no matching handler" and never treated as an RPC request (a packet with
 * an `id` would be answered on `replyTo`). The payload is parsed here, with the kind's own parser:
 * anything that is not our envelope for this kind, or whose payload does not parse, reaches the
 * handler as MALFORMED, and the handler dead-letters it.
 */
export class CommandDeserializer implements ConsumerDeserializer {
  constructor(private readonly kind: CommandKind) {}

  deserialize(value: unknown): IncomingEvent {
    const { pattern, parse } = Commands[this.kind];
    const envelope = value as { pattern?: unknown; data?: unknown } | null;
    const ours = typeof envelope === 'object' && envelope !== null && envelope.pattern === pattern;
    return { pattern, data: (ours && parse(envelope.data)) || MALFORMED };
  }
}
