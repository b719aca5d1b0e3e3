import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowDetailSchema, WorkflowSummarySchema } from '../../contracts/workflows/catalogue.ts';
import { ConfigError } from '../config.ts';
import { loadWorkflowCatalogue, parseDescriptor, WorkflowCatalogueError } from './catalogue.ts';

const CATALOGUE_DIR = fileURLToPath(new URL('../../../workflows/', import.meta.url));

const minimal = {
  name: 'Tool',
  'tool-version': '1',
  description: 'A tool',
  'schema-version': '0.5',
  'command-line': 'tool [N]',
  inputs: [{ id: 'N', name: 'Count', type: 'Number', 'value-key': '[N]', minimum: 1 }],
};

async function loadError(dir: string): Promise<WorkflowCatalogueError> {
  try {
    await loadWorkflowCatalogue(dir);
  } catch (err) {
    if (err instanceof WorkflowCatalogueError) return err;
    throw err;
  }
  throw new Error('expected a WorkflowCatalogueError');
}
const skippedOf = async (dir: string) => (await loadWorkflowCatalogue(dir)).skipped.map((s) => s.message);

describe('workflow catalogue', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped catalogue: four workflows, sorted by name', async () => {
    const catalogue = await loadWorkflowCatalogue(CATALOGUE_DIR);
    expect(catalogue.list().map((w) => w.id)).toEqual(['corsika', 'cta-dl0-dl3', 'hello-world', 'irf-generation']);
    for (const summary of catalogue.list()) expect(WorkflowSummarySchema.parse(summary)).toEqual(summary);
    const detail = catalogue.detail('corsika');
    expect(WorkflowDetailSchema.parse(detail)).toEqual(detail);
    expect(detail?.descriptor.groups?.map((g) => g.name)).toEqual(['Primary', 'Energy', 'Geometry', 'Cherenkov', 'Random']);
    expect(catalogue.get('nope')).toBeUndefined();
  });

  it('ignores files that are not descriptors', async () => {
    fs.writeFileSync(path.join(dir, 'tool.json'), JSON.stringify(minimal));
    fs.writeFileSync(path.join(dir, 'README.md'), '# not a descriptor');
    fs.mkdirSync(path.join(dir, 'drafts.json'));
    expect((await loadWorkflowCatalogue(dir)).list().map((w) => w.id)).toEqual(['tool']);
  });

  it('skips a bad descriptor, naming the file and the field, and keeps the good ones', async () => {
    fs.writeFileSync(path.join(dir, 'good.json'), JSON.stringify(minimal));
    fs.writeFileSync(
      path.join(dir, 'broken.json'),
      JSON.stringify({ ...minimal, inputs: [{ ...minimal.inputs[0], maximum: 0, 'default-value': 'x' }] }),
    );
    const catalogue = await loadWorkflowCatalogue(dir);
    expect(catalogue.list().map((w) => w.id)).toEqual(['good']);
    expect(catalogue.skipped).toEqual([
      {
        source: path.join(dir, 'broken.json'),
        message: [
          `Invalid workflow descriptor ${path.join(dir, 'broken.json')}:`,
          '  - inputs[0] (N).maximum: must not be smaller than "minimum"',
          '  - inputs[0] (N).default-value: does not fit the input: Enter a number',
        ].join('\n'),
      },
    ]);
  });

  it('skips invalid JSON and a bad file name; refuses to start only without its directory', async () => {
    fs.writeFileSync(path.join(dir, 'tool.json'), '{ "name": ');
    expect(await skippedOf(dir)).toEqual([expect.stringMatching(/^Invalid workflow descriptor .*tool\.json: not valid JSON/)]);
    fs.rmSync(path.join(dir, 'tool.json'));
    fs.writeFileSync(path.join(dir, 'My Tool.json'), JSON.stringify(minimal));
    expect(await skippedOf(dir)).toEqual([expect.stringMatching(/My Tool\.json: the file name must be a workflow id/)]);
    const err = await loadError(path.join(dir, 'missing'));
    expect(err).toBeInstanceOf(ConfigError); // server.ts prints it as "BFF not started. …" and exits 2
    expect(err.message).toMatch(/^Cannot read the workflows directory .*missing \(workflowsDir\): ENOENT/);
  });

  it('names unknown fields and wrong types', () => {
    expect(() => parseDescriptor(JSON.stringify({ ...minimal, 'container-image': { type: 'podman', image: 'x' } }), 'x.json')).toThrow(
      /container-image: Invalid input/,
    );
    expect(() => parseDescriptor(JSON.stringify({ ...minimal, inputs: [{ ...minimal.inputs[0], flagg: '-n' }] }), 'x.json')).toThrow(
      /inputs\[0\] \(N\): Unrecognized key: "flagg"/,
    );
  });
});
