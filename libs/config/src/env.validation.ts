import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/**
 * Thrown when an environment variable is missing or malformed. Its message is a single line that names
 * the variable, so that `main.ts` can print it and exit instead of dumping a stack trace.
 */
export class EnvError extends Error {
  override name = 'EnvError';
}

type EnvClass<T> = new () => T;

/**
 * Builds one feature's config from `process.env`: class field initialisers hold the defaults, the
 * class-validator decorators the rules. Only the fields the class declares are read, so each feature
 * validates exactly the variables it uses.
 */
export function validateEnv<T extends object>(cls: EnvClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new cls();
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(cls, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) throw new EnvError(describe(errors[0], raw));
  return config;
}

function describe(error: ValidationError, raw: Record<string, unknown>): string {
  const given = raw[error.property];
  // Constraints are listed last decorator first; the first declared one (the type check) reads best.
  const rule = Object.values(error.constraints ?? {}).at(-1) ?? 'is invalid';
  return given === undefined
    ? `Config error: ${error.property} is required (${rule})`
    : `Config error: ${error.property}=${JSON.stringify(redact(error.property, String(given)))} is invalid: ${rule}`;
}

/** The line goes to logs: secrets are never echoed, and URLs lose their password. */
function redact(name: string, value: string): string {
  if (/SECRET|PASSWORD|TOKEN|KEY/i.test(name)) return '<hidden>';
  return value.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
