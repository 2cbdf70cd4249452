export * from './amqp.connection.js';
export * from './messages.js';
export * from './messaging.config.js';
export * from './messaging.module.js';
export * from './queues.js';
export * from './topology.js';
export * from './command.publisher.js';
export * from './version.clock.js';
