import type { ValidationArguments, ValidationOptions } from 'class-validator';

/** DRF's words for a string over its max_length, which the original client already shows. */
export const maxLengthMessage: ValidationOptions = {
  message: ({ constraints }: ValidationArguments) => `Ensure this field has no more than ${constraints[0]} characters.`,
};
