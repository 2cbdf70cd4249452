import { Transform } from 'class-transformer';

/** Environment booleans: `true/1/yes/on` and `false/0/no/off`; anything else stays a string and fails validation. */
export const EnvBoolean = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return value;
  });

/** pino's levels, accepted by every app's LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
