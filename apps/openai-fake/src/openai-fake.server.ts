import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { OpenAiFakeState, type Faults } from './fake.state.js';
import type { OpenAiFakeEnv } from './openai-fake.config.js';
import { spotsFor } from './spots.js';

interface ChatBody {
  model?: unknown;
  messages?: Array<{ role?: unknown; content?: unknown }>;
  response_format?: { type?: unknown; json_schema?: { name?: unknown; schema?: unknown } };
}

/** OpenAI's error envelope, as its clients read it. */
const error = (reply: FastifyReply, status: number, message: string, type: string, code: string | null = null) =>
  reply.code(status).send({ error: { message, type, param: null, code } });

/**
 * The part of OpenAI's Chat Completions API the recommender uses: Bearer key, a JSON-schema
 * `response_format`, and an answer whose message content is the JSON document. The spots are chosen
 * from the request's messages, so the same diver always gets the same three. Faults, counters and the
 * last request are switched and read over `/_fake/*` by tests.
 */
export async function createOpenAiFake(env: OpenAiFakeEnv, logLevel = 'warn'): Promise<{ app: FastifyInstance; state: OpenAiFakeState }> {
  const state = new OpenAiFakeState(env.OPENAI_FAKE_DELAY_MS);
  state.faults.errorRate = env.OPENAI_FAKE_ERROR_RATE;
  const app = Fastify({ logger: { level: logLevel } });

  app.post<{ Body: ChatBody }>('/v1/chat/completions', async (req, reply) => {
    state.stats.calls++;
    await sleep(state.delayMs + state.faults.slowMs);
    // A client that gave up (timed out) meanwhile gets nothing, and spends no injected failure.
    if (req.raw.socket?.destroyed) return reply;
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (key !== env.OPENAI_FAKE_API_KEY) {
      state.stats.unauthorized++;
      // As the real service does, the refusal names (part of) the key it was given: a client must not pass it on.
      return error(reply, 401, `Incorrect API key provided: ${key ?? '(none)'}.`, 'invalid_request_error', 'invalid_api_key');
    }
    state.lastRequest = req.body;
    if (state.shouldFail()) {
      state.stats.errors++;
      return error(reply, state.faults.errorStatus, 'The server had an error while processing your request (injected).', 'server_error');
    }
    const body = req.body ?? {};
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const format = body.response_format;
    if (
      typeof body.model !== 'string' ||
      messages.length === 0 ||
      messages.some((m) => typeof m?.role !== 'string' || typeof m.content !== 'string')
    ) {
      return error(reply, 400, 'model and messages [{role, content}] are required.', 'invalid_request_error');
    }
    if (format?.type !== 'json_schema' || typeof format.json_schema?.name !== 'string' || typeof format.json_schema.schema !== 'object') {
      return error(reply, 400, "response_format must be {type: 'json_schema', json_schema: {name, schema}}.", 'invalid_request_error');
    }
    const seed = messages.map((m) => m.content).join('\n');
    const message = state.faults.refuse
      ? { role: 'assistant', content: null, refusal: 'I cannot help with that.' }
      : {
          role: 'assistant',
          content: state.faults.malformed
            ? '{"spots": [{"region": "Blue Corner"'
            : JSON.stringify({ spots: spotsFor(seed, state.faults.spotCount ?? 3) }),
          refusal: null,
        };
    return {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: Math.ceil(seed.length / 4), completion_tokens: 120, total_tokens: Math.ceil(seed.length / 4) + 120 },
    };
  });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/_fake/stats', async () => state.stats);
  app.get('/_fake/last-request', async () => state.lastRequest);
  app.post('/_fake/reset', async () => {
    state.reset(env.OPENAI_FAKE_DELAY_MS);
    return state.stats;
  });
  app.post<{ Body: Partial<Faults> & { delayMs?: number } }>('/_fake/faults', (req) => {
    const { delayMs, ...faults } = req.body ?? {};
    if (typeof delayMs === 'number') state.delayMs = delayMs;
    Object.assign(state.faults, faults);
    return state.faults;
  });
  return { app, state };
}
