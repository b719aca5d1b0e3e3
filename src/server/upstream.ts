import type { ApiErrorCode } from '../contracts/common.ts';
import { DiracxError, DiracxUnreachableError } from './diracx/client.ts';
import { HttpProblem } from './errors.ts';

/** Turn a DiracX failure into a problem the user can read; DiracX's own `detail` becomes the message. */
export function upstreamProblem(err: unknown): unknown {
  if (err instanceof DiracxUnreachableError) {
    return new HttpProblem(503, 'UPSTREAM_UNREACHABLE', 'DiracX is not reachable right now. Nothing was lost; try again in a moment.', {
      detail: err.message,
      cause: err,
    });
  }
  if (err instanceof DiracxError) {
    const byStatus: Record<number, ApiErrorCode> = {
      401: 'UNAUTHENTICATED',
      403: 'FORBIDDEN',
      404: 'NOT_FOUND',
      409: 'CONFLICT',
      429: 'RATE_LIMITED',
    };
    const code = byStatus[err.status] ?? 'UPSTREAM';
    const status = err.status >= 500 ? 502 : err.status === 422 ? 400 : err.status;
    return new HttpProblem(status, code, `DiracX: ${err.detail}`, { upstreamStatus: err.status, cause: err });
  }
  return err;
}

export async function upstream<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw upstreamProblem(err);
  }
}
