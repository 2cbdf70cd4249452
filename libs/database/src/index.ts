export * from './database.config.js';
export * from './database.module.js';
export * from './data-source.options.js';
export * from './migrate.js';
export * from './entities/user.entity.js';
export * from './entities/refresh-token.entity.js';
