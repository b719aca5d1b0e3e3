import corsikaJson from '../../../../workflows/corsika.json';
import ctaJson from '../../../../workflows/cta-dl0-dl3.json';
import helloJson from '../../../../workflows/hello-world.json';
import irfJson from '../../../../workflows/irf-generation.json';
import { workflowDetailFixture as detail } from '../../../shared/testing/workflow-detail.ts';

/** The shipped catalogue descriptors, as the BFF serves them (test fixtures). */
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
