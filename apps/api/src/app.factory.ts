import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { register } from 'prom-client';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { localSecretsInUse, validateEnv } from '@app/config';
import { MEDIA_PREFIX, StorageEnv, StorageService, imageTypeOfKey } from '@app/storage';
import { AppEnv, httpServerOptions, trustProxySetting } from './app.config.js';
import { AppModule } from './app.module.js';
import { absoluteFormToPath, allowedHostMatcher, registerHostCheck } from './common/allowed-hosts.js';
import { cachedViewFastPath } from './common/cached-view.fast-path.js';
import { likeCommandFastPath } from './logbook/like-command.fast-path.js';
import { multipartOptions } from './common/uploads.js';
import { AppValidationPipe } from './common/validation.pipe.js';
import { registerHttpMetrics } from './metrics/http-metrics.js';
import { MetricsEnv } from './metrics/metrics.config.js';
import { startOpsServer } from './metrics/ops.server.js';
import { registerSignedUploads } from './fish/signed-upload.hooks.js';
import { DOCS_PATH, serveOpenApiDocument } from './openapi/openapi.document.js';

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Builds the API exactly as `main.ts` serves it; e2e tests call this too, so they test the real wiring. */
export async function createApp(): Promise<NestFastifyApplication> {
  // The adapter is built before Nest's DI exists, so it reads its own feature config here.
  const env = validateEnv(AppEnv);
  const metricsEnv = validateEnv(MetricsEnv);
  const adapter = new FastifyAdapter({
    trustProxy: trustProxySetting(env.TRUST_PROXY),
    bodyLimit: env.BODY_LIMIT_BYTES,
    ...httpServerOptions(env),
    // One id per request: a proxy's X-Request-Id when it is sane, else a new one. Set on the raw
    // request too, where pino-http reads it, so the log and the response carry the same id.
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
      (req as { id?: string }).id = id;
      return id;
    },
    // Errors Fastify raises before routing (a malformed URL…) get the same `{detail}` shape.
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) =>
      void reply.code(err.statusCode ?? 400).send({ detail: err.message }),
    // Nest strips the trailing "/" of every declared path, while the original client calls
    // `/api/auths/signin/`; matching with and without it serves the original's spellings (and the
    // few no-slash ones) without redirects.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    rewriteUrl: absoluteFormToPath,
  });
  const fastify = adapter.getInstance();
  fastify.server.maxConnections = env.HTTP_MAX_CONNECTIONS;
  // What helmet would send for a JSON API, on every response (errors, 404s and /media/ included): no
  // MIME sniffing, no framing (clickjacking), no Referer carrying our URLs elsewhere, and a CSP under
  // which a response can load and run nothing. The docs UI needs its own scripts and only refuses framing.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers({
      'X-Request-Id': request.id,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': request.url.startsWith(`/${DOCS_PATH}`) ? "frame-ancestors 'none'" : API_CSP,
    });
    done();
  });
  // Next, before any other hook (uploads, the cache fast path): nothing may serve a host we do not.
  registerHostCheck(fastify, allowedHostMatcher(env.ALLOWED_HOSTS, env.PUBLIC_URL));
  // These hooks are added before NestFactory.create adds middie's, which runs Nest's middleware
  // (pino-http's request logger): cache hits and likes are answered ahead of it (see cached-view.fast-path.ts).
  const fastPath = cachedViewFastPath(fastify);
  const likePath = likeCommandFastPath(fastify);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    // Silent until pino takes over below: a boot failure is reported once, by main.ts.
    logger: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  if (localSecretsInUse.size > 0) {
    // Never the values: where they are is what an operator needs (to keep, rotate or replace them).
    const kept = [...localSecretsInUse].map(([name, path]) => `${name} in ${path}`).join(', ');
    app.get(Logger).warn(`Using generated secrets (unset variables, not for production): ${kept}`, 'Secrets');
  }
  app.useGlobalPipes(new AppValidationPipe());
  app.enableShutdownHooks();
  const storage = validateEnv(StorageEnv);
  await app.register(multipart, multipartOptions(storage.UPLOAD_MAX_BYTES));
  registerSignedUploads(fastify, app.get(StorageService));
  // Stored images are public at their URL (as on the original's S3). Keys are random and never
  // reused, so they may be cached forever. Besides the headers every response gets (above), a
  // sandboxing CSP: a file that a browser would render as a page anyway (a key named by an older
  // client, bytes that are also HTML) can neither run scripts nor submit forms nor navigate.
  const mediaRoot = resolve(storage.STORAGE_DIR);
  mkdirSync(mediaRoot, { recursive: true });
  await app.register(fastifyStatic, {
    root: mediaRoot,
    prefix: MEDIA_PREFIX,
    decorateReply: false,
    index: false,
    dotfiles: 'deny',
    immutable: true,
    maxAge: '365d',
    setHeaders: (res, path) => {
      res.header('Content-Security-Policy', `${API_CSP}; sandbox`);
      // The type comes from the key, whose extension is the signed type's; any other file (placed on
      // the disk by hand, or by an older version) is a download, never something a browser renders.
      const type = imageTypeOfKey(path);
      res.header('Content-Type', type ?? 'application/octet-stream');
      if (!type) res.header('Content-Disposition', 'attachment');
    },
  });
  registerHttpMetrics(fastify, register);
  fastPath.serve(app);
  likePath.serve(app);
  const { SHUTDOWN_GRACE_MS } = validateEnv(AppEnv);
  fastify.addHook('preClose', (done) => {
    // Idle keep-alive sockets are closed at once by Fastify; busy ones get the grace period.
    setTimeout(() => fastify.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    done();
  });

  await serveOpenApiDocument(app);
  // The operations listener starts once the app is ready, and closes with it (a hook added now: not after ready).
  const ops: { server?: FastifyInstance } = {};
  fastify.addHook('onClose', async () => {
    await ops.server?.close();
  });
  await app.init();
  await fastify.ready();
  ops.server = await startOpsServer(app, metricsEnv).catch(async (err: unknown) => {
    await app.close();
    throw err;
  });
  return app;
}
