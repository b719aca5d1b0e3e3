import { z } from 'zod';
import { InputModeSchema } from '../launches.ts';
import { BoutiquesDescriptorSchema, hintsOf, type BoutiquesDescriptor } from './descriptor.ts';

// ───────────────────────────── catalogue entries (what the BFF serves) ─────────────────────────────

export const WorkflowIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and "-"');

export const WorkflowSummarySchema = z.object({
  /** The descriptor's file name without `.json`. */
  id: WorkflowIdSchema,
  name: z.string(),
  version: z.string(),
  description: z.string(),
  /** Flattened Boutiques `tags` (values of string/array tags, names of `true` tags). */
  tags: z.array(z.string()),
  resources: z.object({
    cores: z.int().min(1),
    /** The descriptor's `ram` (GB) in MB, as a queue's `MaxRAM` and the JDL's `MinRAM` are. */
    ramMB: z.int().nonnegative().nullable(),
    /** The descriptor's `walltime-estimate` (seconds) in minutes, as a queue's `maxCPUTime` is. */
    wallTimeMinutes: z.int().nonnegative().nullable(),
    /** Job tags (DIRAC `Tag`) every job of this workflow needs. */
    tags: z.array(z.string()),
  }),
  hasFileInput: z.boolean(),
  /** How basket items bind to the File input. */
  inputMode: InputModeSchema,
  /** The image (docker, singularity) or the root file system's URL (rootfs). */
  container: z.object({ type: z.enum(['docker', 'singularity', 'rootfs']), image: z.string() }).nullable(),
  /** Ids of the parameters that may be swept. */
  sweepable: z.array(z.string()),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummarySchema>;

/** A published version of an application as users pick it (the catalogue's number, not the tool's). */
export const PublishedVersionSchema = z.object({ version: z.int().min(1), toolVersion: z.string(), createdAt: z.string() });
export type PublishedVersion = z.infer<typeof PublishedVersionSchema>;

/** An application as users see it: one published version (the newest unless asked) and the others they may pick. */
export const WorkflowListItemSchema = WorkflowSummarySchema.extend({
  /** The catalogue version shown, and the sha-256 of its canonical descriptor (what a launch records). */
  catalogueVersion: z.int().min(1),
  sha256: z.string(),
  /** Every published version, newest first. */
  versions: z.array(PublishedVersionSchema),
});
export type WorkflowListItem = z.infer<typeof WorkflowListItemSchema>;

export const WorkflowListSchema = z.object({ items: z.array(WorkflowListItemSchema) });
export type WorkflowList = z.infer<typeof WorkflowListSchema>;

export const WorkflowDetailSchema = WorkflowListItemSchema.extend({ descriptor: BoutiquesDescriptorSchema });
export type WorkflowDetail = z.infer<typeof WorkflowDetailSchema>;

export function workflowSummary(id: string, d: BoutiquesDescriptor): WorkflowSummary {
  const tags: string[] = [];
  for (const [key, value] of Object.entries(d.tags ?? {})) {
    if (typeof value === 'string') tags.push(value);
    else if (Array.isArray(value)) tags.push(...value);
    else if (value) tags.push(key);
  }
  const res = d['suggested-resources'] ?? {};
  const image = d['container-image'];
  const hints = hintsOf(d);
  const hasFileInput = d.inputs.some((input) => input.type === 'File');
  return {
    id,
    name: d.name,
    version: d['tool-version'],
    description: d.description,
    tags: [...new Set(tags)],
    resources: {
      cores: res['cpu-cores'] ?? 1,
      ramMB: res.ram === undefined ? null : Math.round(res.ram * 1024),
      wallTimeMinutes: res['walltime-estimate'] === undefined ? null : Math.round(res['walltime-estimate'] / 60),
      tags: hints['escape:tags'] ?? [],
    },
    hasFileInput,
    inputMode: hints['escape:input-mode'] ?? (hasFileInput ? 'per-file' : 'none'),
    container: !image
      ? null
      : image.type === 'rootfs'
        ? { type: 'rootfs', image: image.url }
        : {
            type: image.type,
            image: image.index && !image.image.startsWith(`${image.index}/`) ? `${image.index}/${image.image}` : image.image,
          },
    sweepable: hints['escape:sweepable'] ?? [],
  };
}
