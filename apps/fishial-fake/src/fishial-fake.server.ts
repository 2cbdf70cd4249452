import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteGenericInterface } from 'fastify';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FishialFakeState, type Faults } from './fake.state.js';
import { type FakeStep, type FishialFakeEnv, parseDelays } from './fishial-fake.config.js';
import { speciesFor } from './species.js';

const TOKEN_LIFE_S = 600;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif'];

interface UploadBody {
  blob?: { filename?: unknown; content_type?: unknown; byte_size?: unknown; checksum?: unknown };
}

/**
 * Fishial's protocol as the original backend used it: token, signed upload,
 * direct upload (Content-MD5 checked against the body and the declared size, and no other header
 * tolerated, as a signed URL would), recognition. Each step sleeps its configured latency; faults and
 * counters are switched and read over `/_fake/*` by tests and benchmarks.
 */
export async function createFishialFake(
  env: FishialFakeEnv,
  logLevel = 'warn',
): Promise<{ app: FastifyInstance; state: FishialFakeState }> {
  const state = new FishialFakeState(parseDelays(env.FISHIAL_FAKE_DELAYS_MS));
  state.faults.errorRate = env.FISHIAL_FAKE_ERROR_RATE;
  const app = Fastify({ logger: { level: logLevel }, bodyLimit: 64 * 1_048_576 });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  /** Latency, counters and injected failures around each protocol step. */
  const step =
    <R extends RouteGenericInterface>(name: FakeStep, handler: (req: FastifyRequest<R>, reply: FastifyReply) => Promise<unknown>) =>
    async (req: FastifyRequest<R>, reply: FastifyReply) => {
      const s = state.stats;
      s.calls[name]++;
      s.peakInFlight = Math.max(s.peakInFlight, ++s.inFlight);
      if (name === 'recognize') s.peakRecognitions = Math.max(s.peakRecognitions, ++state.recognitionsInFlight);
      try {
        await sleep(state.delays[name] + state.faults.slowMs);
        if (name !== 'token' && state.shouldFail()) {
          s.errors++;
          return reply.code(500).send({ message: 'Internal Server Error (injected)' });
        }
        return await handler(req, reply);
      } finally {
        s.inFlight--;
        if (name === 'recognize') state.recognitionsInFlight--;
      }
    };

  const authorized = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expires = token ? state.tokens.get(token) : undefined;
    if (expires && expires > Date.now()) return true;
    void reply.code(401).send({ message: 'Token expired or invalid' });
    return false;
  };

  const origin = () =>
    state.faults.uploadOrigin ??
    env.FISHIAL_FAKE_PUBLIC_URL ??
    `http://${env.FISHIAL_FAKE_HOST}:${(app.server.address() as { port: number }).port}`;

  app.post<{ Body: { client_id?: unknown; client_secret?: unknown } }>(
    '/v1/auth/token',
    step<{ Body: { client_id?: unknown; client_secret?: unknown } }>('token', async (req, reply) => {
      if (req.body?.client_id !== env.FISHIAL_FAKE_CLIENT_ID || req.body?.client_secret !== env.FISHIAL_FAKE_CLIENT_SECRET) {
        return reply.code(401).send({ message: 'Invalid client credentials' });
      }
      const token = randomBytes(24).toString('base64url');
      state.tokens.set(token, Date.now() + TOKEN_LIFE_S * 1000);
      return { token_type: 'Bearer', access_token: token, expires_in: TOKEN_LIFE_S };
    }),
  );

  app.post<{ Body: UploadBody }>(
    '/v1/recognition/upload',
    step<{ Body: UploadBody }>('upload', async (req, reply) => {
      if (!authorized(req, reply)) return reply;
      const blob = req.body?.blob;
      const ok =
        blob &&
        typeof blob.filename === 'string' &&
        IMAGE_TYPES.includes(blob.content_type as string) &&
        Number.isSafeInteger(blob.byte_size) &&
        (blob.byte_size as number) > 0 &&
        typeof blob.checksum === 'string' &&
        Buffer.from(blob.checksum, 'base64').length === 16;
      if (!ok)
        return reply.code(422).send({ message: 'blob: filename, content_type (jpeg/png/gif), byte_size, checksum (base64 MD5) required' });
      const signedId = randomUUID();
      const disposition = `inline; filename="${encodeURIComponent(blob.filename as string)}"`;
      state.blobs.set(signedId, { byteSize: blob.byte_size as number, checksum: blob.checksum as string, disposition });
      return {
        'signed-id': signedId,
        'direct-upload': {
          url: `${origin()}/v1/direct-upload/${signedId}`,
          headers: {
            'Content-MD5': blob.checksum,
            'Content-Disposition': disposition,
          },
        },
      };
    }),
  );

  app.put<{ Params: { id: string }; Body: Buffer }>(
    '/v1/direct-upload/:id',
    step<{ Params: { id: string }; Body: Buffer }>('put', async (req, reply) => {
      const blob = state.blobs.get(req.params.id);
      if (!blob) return reply.code(404).send({ message: 'No such upload' });
      // A signed URL covers its headers: both signed ones with their signed values, and nothing that
      // changes the request's meaning (a Content-Type, an Authorization) besides.
      const signedHeaders = req.headers['content-disposition'] === blob.disposition;
      if (!signedHeaders || req.headers['content-type'] || req.headers.authorization) {
        return reply.code(403).send({ message: 'SignatureDoesNotMatch' });
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const md5 = createHash('md5').update(body).digest('base64');
      if (req.headers['content-md5'] !== blob.checksum || md5 !== blob.checksum) return reply.code(400).send({ message: 'BadDigest' });
      if (body.length !== blob.byteSize) return reply.code(400).send({ message: 'Size does not match byte_size' });
      blob.bytes = body;
      return reply.code(204).send();
    }),
  );

  app.get<{ Querystring: { q?: string } }>(
    '/v1/recognition/image',
    step<{ Querystring: { q?: string } }>('recognize', async (req, reply) => {
      if (!authorized(req, reply)) return reply;
      if (state.faults.redirectTo) return reply.redirect(state.faults.redirectTo, 302);
      if (state.faults.malformedJson) return reply.type('application/json').send('{"results": [');
      const blob = req.query.q ? state.blobs.get(req.query.q) : undefined;
      if (!blob?.bytes) return reply.code(404).send({ message: 'Unknown or not uploaded signed id' });
      return {
        results: [
          {
            shape: {
              type: 'polygon',
              points: [
                [0.1, 0.1],
                [0.9, 0.1],
                [0.9, 0.9],
              ],
            },
            species: speciesFor(blob.bytes),
          },
        ],
      };
    }),
  );

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/_fake/stats', async () => state.stats);
  app.post('/_fake/reset', async () => {
    state.reset();
    state.delays = parseDelays(env.FISHIAL_FAKE_DELAYS_MS);
    return state.stats;
  });
  // Counters only: a client keeps its token across measured batches, as it would in service.
  app.post('/_fake/stats/reset', async () => {
    state.stats = FishialFakeState.emptyStats();
    return state.stats;
  });
  app.post<{ Body: Partial<Faults> & { expireTokens?: boolean; delays?: string } }>('/_fake/faults', (req) => {
    const { expireTokens, delays, ...faults } = req.body ?? {};
    if (expireTokens) state.tokens.clear();
    if (delays) state.delays = parseDelays(delays);
    Object.assign(state.faults, faults);
    return state.faults;
  });
  return { app, state };
}
