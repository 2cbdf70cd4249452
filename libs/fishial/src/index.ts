export * from './fishial.client.js';
export * from './fishial.config.js';
export * from './fishial.errors.js';
export * from './fishial.module.js';
