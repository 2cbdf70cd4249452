import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IsString, MinLength } from 'class-validator';
import { EnvError } from './env.validation.js';
import { validateEnv } from './env.validation.js';

export class SecretsEnv {
  /** Where secrets generated for an unconfigured development install are kept (git-ignored `var/`). */
  @IsString()
  @MinLength(1)
  SECRETS_DIR = 'var/secrets';
}

/** Secrets this process generated or read back from SECRETS_DIR, by variable: what its boot log reports. */
export const localSecretsInUse = new Map<string, string>();

/**
 * The value of secret `name` when its variable is unset: production refuses to start, anywhere else
 * a random key is generated once and kept in `<SECRETS_DIR>/<name>` (mode 0600), so that tokens and
 * upload URLs survive restarts while no install ever runs on a key published with the source.
 *
 * The file is written under a temporary name and then hard-linked into place: link() is atomic and
 * fails if the name exists, so processes booting together (API workers, the API and the consumer)
 * all end up reading the one value that won, and nobody ever reads a half-written file.
 */
export function localSecret(name: string, source: NodeJS.ProcessEnv = process.env): string {
  if (source.NODE_ENV === 'production') throw new EnvError(`Config error: ${name} is required when NODE_ENV=production`);
  const dir = resolve(validateEnv(SecretsEnv).SECRETS_DIR);
  const path = join(dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temporary);
  }
  const value = readFileSync(path, 'utf8').trim();
  if (value.length < 32) throw new EnvError(`Config error: ${path} holds no usable ${name}; delete it or set ${name}`);
  localSecretsInUse.set(name, path);
  return value;
}
