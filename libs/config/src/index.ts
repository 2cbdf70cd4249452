export * from './env.validation.js';
export * from './env.decorators.js';
export * from './local-secret.js';
