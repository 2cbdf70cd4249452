export * from './env.validation.js';
export * from './bool.transform.js';
