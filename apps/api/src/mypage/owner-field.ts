import { applyDecorators, BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional } from 'class-validator';
import { FormNumber } from '../logbook/dto/form-transforms.js';

/**
 * The `user` field the original client sends with its bucket lists: the server sets the owner, so
 * the field is only tolerated when it names the caller (see assertOwnUser).
 */
export const OwnerField = () =>
  applyDecorators(
    ApiPropertyOptional({ description: "the caller's own id (the server sets the owner; any other id is refused)" }),
    FormNumber(),
    IsOptional(),
    IsInt({ message: 'Incorrect type. Expected pk value.' }),
  );

/** A `user` other than the caller is a 400 naming the field, never a silent reassignment. */
export function assertOwnUser(user: number | null | undefined, callerId: number): void {
  if (user !== undefined && user !== null && user !== callerId) {
    throw new BadRequestException({ user: ['You can only write to your own list.'] });
  }
}
