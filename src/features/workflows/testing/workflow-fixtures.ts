import corsikaJson from '../../../../workflows/corsika.json';
import ctaJson from '../../../../workflows/cta-dl0-dl3.json';
import helloJson from '../../../../workflows/hello-world.json';
import irfJson from '../../../../workflows/irf-generation.json';
import { workflowSummary, type WorkflowDetail } from '../../../contracts/workflows/catalogue.ts';
import { BoutiquesDescriptorSchema } from '../../../contracts/workflows/descriptor.ts';

/** The shipped catalogue descriptors, as the BFF serves them (test fixtures). */
function detail(id: string, raw: unknown): WorkflowDetail {
  const descriptor = BoutiquesDescriptorSchema.parse(raw);
  const summary = workflowSummary(id, descriptor);
  // Seeded as version 1 of each application (the hash is a stand-in: fixtures never recompute it).
  const versions = [{ version: 1, toolVersion: summary.version, createdAt: '2026-01-01T00:00:00.000Z' }];
  return { ...summary, catalogueVersion: 1, sha256: `${id.length.toString(16)}`.padStart(64, '0'), versions, descriptor };
}

export const catalogueFixture = {
  corsika: detail('corsika', corsikaJson),
  cta: detail('cta-dl0-dl3', ctaJson),
  hello: detail('hello-world', helloJson),
  irf: detail('irf-generation', irfJson),
};

export const workflowListFixture = {
  items: [catalogueFixture.corsika, catalogueFixture.cta, catalogueFixture.hello, catalogueFixture.irf].map(
    ({ descriptor: _d, ...summary }) => summary,
  ),
};
