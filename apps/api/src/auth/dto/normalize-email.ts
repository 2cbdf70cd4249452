import { Transform } from 'class-transformer';

/** Emails are stored lower-cased and trimmed, so sign-up and sign-in must read them the same way. */
export const NormalizeEmail = () => Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));
