import { z } from 'zod';
import { noControlChars } from './text.ts';
import { WorkflowIdSchema } from './workflows/catalogue.ts';

/**
 * Launch-page drafts kept by the BFF, per user and DiracX instance ("Save draft" / "Open draft").
 * A draft holds what the launch page holds: the form's state (values and sweeps as typed), the
 * basket items chosen, the input mode, the resources and the production name. It may be incomplete
 * or invalid as a launch (it is checked when submitted); it must only be well-formed JSON of bounded size.
 */

/** Most bytes of a draft's content (as JSON). */
export const DRAFT_MAX_BYTES = 256 * 1024;
/** Most drafts one user keeps per instance. */
export const DRAFTS_MAX_PER_USER = 200;

export const DraftNameSchema = z.string().trim().min(1, 'give the draft a name').max(100, 'at most 100 characters').check(noControlChars());

/** The launch page's state: any JSON under these keys; the SPA reads it back leniently. */
export const DraftContentSchema = z
  .object({
    form: z.json(),
    settings: z.json(),
  })
  .refine(
    (c) => new TextEncoder().encode(JSON.stringify(c)).length <= DRAFT_MAX_BYTES,
    `a draft holds at most ${DRAFT_MAX_BYTES / 1024} KiB`,
  );
export type DraftContent = z.infer<typeof DraftContentSchema>;

export const DraftCreateSchema = z.object({ name: DraftNameSchema, workflowId: WorkflowIdSchema, content: DraftContentSchema });
export type DraftCreate = z.input<typeof DraftCreateSchema>;

/** Rename, save over, or both. */
export const DraftUpdateSchema = z
  .object({ name: DraftNameSchema.optional(), content: DraftContentSchema.optional() })
  .refine((u) => u.name !== undefined || u.content !== undefined, 'send a new name, new content, or both');
export type DraftUpdate = z.input<typeof DraftUpdateSchema>;

export const DraftSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  workflowId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DraftSummary = z.infer<typeof DraftSummarySchema>;

export const DraftSchema = DraftSummarySchema.extend({ content: z.object({ form: z.json(), settings: z.json() }) });
export type Draft = z.infer<typeof DraftSchema>;

export const DraftListSchema = z.object({ items: z.array(DraftSummarySchema) });
export type DraftList = z.infer<typeof DraftListSchema>;

export const DraftListQuerySchema = z.object({ workflowId: WorkflowIdSchema.optional() });
