export * from './image-type.js';
export * from './local-disk.store.js';
export * from './object.store.js';
export * from './storage.config.js';
export * from './storage.module.js';
export * from './storage.service.js';
