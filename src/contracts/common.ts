import { z } from 'zod';

/**
 * Every BFF error is an RFC 9457 problem document (application/problem+json)
 * with three extra members the SPA relies on: a stable `code`, a readable
 * `message` and the `requestId` that also appears in the BFF's logs.
 */
export const ApiErrorCodeSchema = z.enum([
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNPROCESSABLE',
  'UPSTREAM',
  'UPSTREAM_UNREACHABLE',
  'RATE_LIMITED',
  'INTERNAL',
  'CATALOGUE',
  'CATALOGUE_UNREACHABLE',
  'DATABASE_UNREACHABLE',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

export const ApiErrorBodySchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: ApiErrorCodeSchema,
  message: z.string(),
  requestId: z.string(),
  issues: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .meta({ description: 'Field-level messages for VALIDATION errors' }),
  upstreamStatus: z.number().int().optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,128}$/, 'an idempotency key is 8 to 128 letters, digits, "-" or "_"');

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().nonnegative(),
    page: z.number().int().positive(),
    perPage: z.number().int().positive(),
  });
}
