import type { ConsumerDeserializer, IncomingEvent } from '@nestjs/microservices';

/** What a handler receives for a message that is not a `{pattern, data}` envelope of its queue. */
export const MALFORMED = Symbol('malformed command');

/**
 * Each queue carries one kind of command, so every message on it is routed to that command's
 * handler, never dropped by Nest as "no matching handler" and never treated as an RPC request (a
 * packet with an `id` would be answered on `replyTo`). Anything that is not our envelope for this
 * pattern reaches the handler as MALFORMED, and the handler dead-letters it.
 */
export class CommandDeserializer implements ConsumerDeserializer {
  constructor(private readonly pattern: string) {}

  deserialize(value: unknown): IncomingEvent {
    const envelope = value as { pattern?: unknown; data?: unknown } | null;
    const ours = typeof envelope === 'object' && envelope !== null && envelope.pattern === this.pattern;
    return { pattern: this.pattern, data: ours ? envelope.data : MALFORMED };
  }
}
