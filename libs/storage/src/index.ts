export * from './image-type.js';
export * from './storage.config.js';
export * from './storage.module.js';
export * from './storage.service.js';
