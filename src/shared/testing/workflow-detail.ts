import { workflowSummary, type WorkflowDetail } from '../../contracts/workflows/catalogue.ts';
import { BoutiquesDescriptorSchema } from '../../contracts/workflows/descriptor.ts';

/**
 * A shipped catalogue descriptor as the BFF serves it (test fixtures), seeded as version 1. The hash is a
 * stand-in (fixtures never recompute it): by default one made from the id.
 */
export function workflowDetailFixture(id: string, raw: unknown, sha256 = `${id.length.toString(16)}`.padStart(64, '0')): WorkflowDetail {
  const descriptor = BoutiquesDescriptorSchema.parse(raw);
  const summary = workflowSummary(id, descriptor);
  const versions = [{ version: 1, toolVersion: summary.version, createdAt: '2026-01-01T00:00:00.000Z' }];
  return { ...summary, catalogueVersion: 1, sha256, versions, descriptor };
}
