export * from './env.validation.js';
export * from './env.decorators.js';
