import { EventPattern, type RmqContext } from '@nestjs/microservices';
import { type CommandKind, Commands } from './commands.js';
import type { Delivered } from './command.deserializer.js';

type CommandHandler<K extends CommandKind> = (command: Delivered<K>, context: RmqContext) => void;

/**
 * `@EventPattern` for one command kind, which also checks the handler's signature: a handler of
 * `like` commands that declares it takes a recognition command does not compile.
 */
export function CommandPattern<K extends CommandKind>(kind: K) {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<CommandHandler<K>>): void => {
    const decorate: MethodDecorator = EventPattern<string>(Commands[kind].pattern);
    decorate(target, key, descriptor);
  };
}
