import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument } from './openapi/openapi.document.js';

/**
 * `npm run openapi:client` writes the OpenAPI document with this, without Postgres, Redis or the
 * broker: Nest's preview mode builds the module graph (which is all the document reads) without
 * instantiating a provider.
 */
async function write(target: string): Promise<void> {
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  const document = await buildOpenApiDocument(app);
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

write(process.argv[2] ?? 'openapi.json').catch((err: unknown) => {
  console.error(`could not write the OpenAPI document: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
