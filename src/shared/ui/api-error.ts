import { ApiError } from '../lib/api-client.ts';

/** A short, user-facing title for an error (the message says the rest). */
export function errorTitle(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong';
  switch (error.code) {
    case 'NETWORK':
      return 'Cannot reach the portal';
    case 'UNAUTHENTICATED':
      return 'Your session has ended';
    case 'FORBIDDEN':
      return 'Not allowed';
    case 'NOT_FOUND':
      return 'Not found';
    case 'VALIDATION':
      return 'Please check the values';
    case 'CONFLICT':
      return 'Conflict';
    case 'UPSTREAM':
      return 'DiracX reported an error';
    case 'UPSTREAM_UNREACHABLE':
      return 'DiracX is unreachable';
    case 'RATE_LIMITED':
      return 'Too many requests';
    case 'CATALOGUE':
      return 'The data catalogue reported an error';
    case 'CATALOGUE_UNREACHABLE':
      return 'The data catalogue is unreachable';
    case 'DATABASE_UNREACHABLE':
      return 'The portal is briefly unavailable';
    default:
      return 'Something went wrong';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return 'An unexpected error occurred.';
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
