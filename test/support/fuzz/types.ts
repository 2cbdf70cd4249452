import type { Diver } from '../api.js';

/** What the fuzzer reads from the OpenAPI document, and what it sends and gets back. */

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}

export interface Operation {
  key: string;
  method: string;
  path: string;
  params: Param[];
  body?: Schema;
  multipart: boolean;
  /** Publishes a command: 503 + Retry-After is its answer when the broker does not confirm. */
  publishes: boolean;
}

/** Rows that exist before the fuzzing, so that part of the inputs get past the 404s. */
export interface World {
  owner: Diver;
  other: Diver;
  ids: Record<'logbook' | 'comment' | 'photo' | 'user' | 'bucketList' | 'skill' | 'job' | 'preferences', number[]>;
  refresh: string[];
  fileUrl: string;
}

export interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  kinds: string[];
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  error?: string;
}
