import { UnauthorizedException } from '@nestjs/common';

/** simplejwt's bodies, which the original client reacts to (it refreshes or logs out on a 401). */
export const tokenErrors = {
  notProvided: () => new UnauthorizedException({ detail: 'Authentication credentials were not provided.' }),
  invalidAccess: () =>
    new UnauthorizedException({
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
    }),
  badHeader: () =>
    new UnauthorizedException({ detail: 'Authorization header must contain two space-delimited values', code: 'bad_authorization_header' }),
  userNotFound: () => new UnauthorizedException({ detail: 'User not found', code: 'user_not_found' }),
  invalidRefresh: () => new UnauthorizedException({ detail: 'Token is invalid or expired', code: 'token_not_valid' }),
  blacklisted: () => new UnauthorizedException({ detail: 'Token is blacklisted', code: 'token_not_valid' }),
  badCredentials: () => new UnauthorizedException({ detail: 'No active account found with the given credentials' }),
};
