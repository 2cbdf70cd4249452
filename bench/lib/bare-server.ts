/**
 * The ceiling of a cached view: bare Fastify answering GET <path> (default /api/logbooks/likes/) with
 * the very bytes our API serves from its cache (read from the file given), no auth, no Redis.
 *   node --import tsx bench/lib/bare-server.ts <body-file> <port> [path]
 */
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

const [file, port, path = '/api/logbooks/likes/'] = process.argv.slice(2);
const body = readFileSync(file);
const app = Fastify({ logger: false });
app.get(path, (_req, reply) => reply.header('Content-Type', 'application/json; charset=utf-8').send(body));
app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
