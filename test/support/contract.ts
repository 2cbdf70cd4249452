import { writeFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import type { Response } from 'supertest';
import { buildOpenApiDocument } from '../../apps/api/src/openapi/openapi.document.js';

/** Not part of the API the document describes: the docs UI itself, stored files, the local S3 stand-in. */
const OUTSIDE_CONTRACT = [/^\/api\/docs/, /^\/media\//, /^\/api\/uploads\//];

/**
 * What a path no operation matches may answer: a 404 or 405, a bad Host, the guard's 401, a body
 * refused before routing, a URL or headers too large.
 */
const ANY_PATH_STATUSES = new Set([400, 401, 404, 405, 413, 414, 415, 431]);

/** Answered by Node's HTTP parser, in its own words, before the app sees the request: headers too large. */
const BEFORE_ROUTING = new Set([431]);

/**
 * Checks responses against the OpenAPI document the app serves (openapi-backend: its router matches
 * a request to the operation, ajv validates the body against that status's schema). A status the
 * operation does not list, or a body that does not match, throws. The document's object schemas are
 * closed here (no undeclared property), so a field added to a view without its DTO fails too.
 */
export class Contract {
  private static readonly cache = new Map<string, Promise<Contract>>();
  /** Responses checked in this process. */
  static checked = 0;

  private constructor(
    private readonly api: OpenAPIBackend,
    private readonly document: Document,
  ) {}

  /**
   * The contract of `app`: the document it serves at /api/docs-json, built in-process (its Host check
   * may refuse a request for it), one per distinct document.
   */
  static async of(app: INestApplication): Promise<Contract> {
    const text = JSON.stringify(await buildOpenApiDocument(app));
    let contract = Contract.cache.get(text);
    if (!contract) {
      contract = (async () => {
        const document = closeObjects(JSON.parse(text)) as Document;
        const api =
          // quick: validators compiled for the operations a test reaches, not all at boot (the document's
          // validity is openapi.e2e-spec's business).
          new OpenAPIBackend({ definition: routable(document), strict: true, quick: true });
        await api.init();
        return new Contract(api, document);
      })();
      Contract.cache.set(text, contract);
    }
    return contract;
  }

  /** Throws unless `res` (to `method` `url`) is a documented status with a body of the documented shape. */
  check(method: string, url: string, res: Response): void {
    const path = new URL(url, 'http://x').pathname;
    if (OUTSIDE_CONTRACT.some((re) => re.test(path))) return;
    record(++Contract.checked);
    const where = `${method.toUpperCase()} ${path} → ${res.status}`;
    // Fastify answers HEAD for every GET route, with the GET's status and headers and no body.
    const routed = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    // The router ignores any number of trailing slashes; the app's router, one (`/a//` is no route).
    const operation = path.includes('//') ? undefined : this.api.router.matchOperation({ method: routed, path, headers: {} });
    if (BEFORE_ROUTING.has(res.status)) return;
    if (!operation) {
      if (ANY_PATH_STATUSES.has(res.status) && isDetail(res.body)) return;
      throw new Error(`${where}: no operation in the OpenAPI document for this path and method (body ${res.text?.slice(0, 300)})`);
    }
    const response = operation.responses?.[String(res.status)];
    if (!response) {
      const listed = Object.keys(operation.responses ?? {}).join(', ');
      throw new Error(
        `${where}: status not documented for ${operation.operationId} (documented: ${listed}); body ${res.text?.slice(0, 300)}`,
      );
    }
    const content = 'content' in response ? response.content : undefined;
    if (!content || method.toLowerCase() === 'head') {
      if (res.text && method.toLowerCase() !== 'head')
        throw new Error(`${where}: documented without a body, answered ${res.text.slice(0, 300)}`);
      return;
    }
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    if (!(type in content))
      throw new Error(`${where}: Content-Type ${type || '(none)'} not documented (${Object.keys(content).join(', ')})`);
    if (type !== 'application/json') return;
    const result = this.api.validator.validateResponse(res.body, operation, res.status);
    if (result.errors?.length) {
      const errors = result.errors.map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`).join('; ');
      throw new Error(`${where}: body does not match the document (${operation.operationId}): ${errors}\nbody: ${res.text.slice(0, 1000)}`);
    }
  }

  /** The document as served, with closed object schemas. */
  get definition(): Document {
    return this.document;
  }
}

/**
 * The router drops a request path's trailing slashes (the app serves both spellings) but matches
 * them against the document's paths as written: it is given the paths without theirs.
 */
function routable(document: Document): Document {
  const paths: Document['paths'] = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const bare = path.length > 1 ? path.replace(/\/+$/, '') : path;
    if (paths[bare]) throw new Error(`${path} and another path differ only by a trailing slash`);
    paths[bare] = item;
  }
  return { ...document, paths } as Document;
}

function isDetail(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { detail?: unknown }).detail === 'string';
}

/** Every object schema that lists its properties and says nothing about others allows no others. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (node && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    if (schema.properties && typeof schema.properties === 'object' && !('additionalProperties' in schema)) {
      schema.additionalProperties = false;
    }
    Object.values(schema).forEach(closeObjects);
  }
  return node;
}

/** With OPENAPI_VALIDATION_LOG set, each test process keeps its count in `<that path>.<pid>` (a run's total). */
function record(count: number): void {
  if (process.env.OPENAPI_VALIDATION_LOG) writeFileSync(`${process.env.OPENAPI_VALIDATION_LOG}.${process.pid}`, String(count));
}
