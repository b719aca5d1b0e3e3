/**
 * Seeding the application catalogue from the workflows directory (seedWorkflows): the shipped
 * descriptors load; a bad file (invalid descriptor, not JSON, bad file name) is skipped with an error
 * log line naming the file and the fields, and never stops the BFF; nor does a missing directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowDetailSchema } from '../../contracts/workflows/catalogue.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { migrations } from '../migrations.ts';
import { checkDescriptorText, createWorkflowCatalogue, seedWorkflows, type WorkflowCatalogue } from './applications.ts';

const CATALOGUE_DIR = fileURLToPath(new URL('../../../workflows/', import.meta.url));

const minimal = {
  name: 'Tool',
  'tool-version': '1',
  description: 'A tool',
  'schema-version': '0.5',
  'command-line': 'tool [N]',
  inputs: [{ id: 'N', name: 'Count', type: 'Number', 'value-key': '[N]', minimum: 1 }],
};

type Line = { level: 'error' | 'warn' | 'info'; obj: Record<string, unknown>; msg: string };

describe('seeding the workflow catalogue from a directory', () => {
  let dir: string;
  let db: Database;
  let logged: Line[];
  let catalogue: WorkflowCatalogue;
  const log = {
    error: (obj: object, msg: string) => logged.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
    warn: (obj: object, msg: string) => logged.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    info: (obj: object, msg: string) => logged.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
  };
  const skipped = () => logged.filter((l) => l.msg === 'workflow descriptor skipped');
  const ids = async () => (await catalogue.list()).map((w) => w.id);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
    db = await openDatabase('sqlite::memory:');
    await migrate(db, migrations);
    logged = [];
    catalogue = createWorkflowCatalogue(db, log);
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads the shipped catalogue: four workflows, sorted by name', async () => {
    expect(await seedWorkflows(catalogue, CATALOGUE_DIR, log)).toEqual(['corsika', 'cta-dl0-dl3', 'hello-world', 'irf-generation']);
    expect(await ids()).toEqual(['corsika', 'cta-dl0-dl3', 'hello-world', 'irf-generation']);
    const { entry, ...item } = await catalogue.published('corsika');
    const detail = { ...item, descriptor: entry.descriptor };
    expect(WorkflowDetailSchema.parse(detail)).toEqual(detail);
    expect(detail.descriptor.groups?.map((g) => g.name)).toEqual(['Primary', 'Energy', 'Geometry', 'Cherenkov', 'Random']);
    await expect(catalogue.published('nope')).rejects.toMatchObject({ status: 404 });
    expect(skipped()).toEqual([]);
    // The same files again add nothing.
    expect(await seedWorkflows(catalogue, CATALOGUE_DIR, log)).toEqual([]);
  });

  it('says what an exit code means from the error-codes of the descriptor a launch used (by hash)', async () => {
    const coded = { ...minimal, 'error-codes': [{ code: 3, description: 'Input is not an event file' }] };
    fs.writeFileSync(path.join(dir, 'tool.json'), JSON.stringify(coded));
    await seedWorkflows(catalogue, dir, log);
    const { sha256 } = await catalogue.published('tool');
    expect(await catalogue.exitReason('tool', sha256, 'Exit code 3')).toBe('Input is not an event file');
    expect(await catalogue.exitReason('tool', sha256, 'Exit code 4')).toBeNull();
    expect(await catalogue.exitReason('tool', sha256, 'Killed by SIGTERM')).toBeNull();
    expect(await catalogue.exitReason('tool', null, 'Exit code 3')).toBeNull();
    expect(await catalogue.exitReason('tool', 'f'.repeat(64), 'Exit code 3')).toBeNull();
  });

  it('ignores files that are not descriptors', async () => {
    fs.writeFileSync(path.join(dir, 'tool.json'), JSON.stringify(minimal));
    fs.writeFileSync(path.join(dir, 'README.md'), '# not a descriptor');
    fs.mkdirSync(path.join(dir, 'drafts.json'));
    await seedWorkflows(catalogue, dir, log);
    expect(await ids()).toEqual(['tool']);
    expect(skipped()).toEqual([]);
  });

  it('skips a bad descriptor with an error naming the file and the fields, and keeps the good ones', async () => {
    fs.writeFileSync(path.join(dir, 'good.json'), JSON.stringify(minimal));
    fs.writeFileSync(
      path.join(dir, 'broken.json'),
      JSON.stringify({ ...minimal, inputs: [{ ...minimal.inputs[0], maximum: 0, 'default-value': 'x' }] }),
    );
    await seedWorkflows(catalogue, dir, log);
    expect(await ids()).toEqual(['good']);
    expect(skipped()).toEqual([
      {
        level: 'error',
        msg: 'workflow descriptor skipped',
        obj: {
          file: path.join(dir, 'broken.json'),
          problem: 'The descriptor is not valid: inputs[0] (N).maximum: must not be smaller than "minimum"',
          issues: [
            { path: 'inputs[0] (N).maximum', message: 'must not be smaller than "minimum"' },
            { path: 'inputs[0] (N).default-value', message: 'does not fit the input: Enter a number' },
          ],
        },
      },
    ]);
  });

  it('skips invalid JSON and a bad file name; a missing directory is said, not fatal', async () => {
    fs.writeFileSync(path.join(dir, 'tool.json'), '{ "name": ');
    fs.writeFileSync(path.join(dir, 'My Tool.json'), JSON.stringify(minimal));
    await seedWorkflows(catalogue, dir, log);
    expect(skipped().map((l) => [l.level, l.obj.file, l.obj.problem])).toEqual([
      ['error', path.join(dir, 'My Tool.json'), expect.stringMatching(/the file name must be a workflow id/)],
      ['error', path.join(dir, 'tool.json'), 'The descriptor is not valid JSON'],
    ]);
    expect(await ids()).toEqual([]);
    expect(await seedWorkflows(catalogue, path.join(dir, 'missing'), log)).toEqual([]);
    expect(logged.at(-1)).toMatchObject({ level: 'warn', msg: 'cannot read the workflows directory', obj: { err: 'ENOENT' } });
  });

  it('names unknown fields and wrong types', () => {
    const issues = (raw: unknown) => {
      try {
        checkDescriptorText(JSON.stringify(raw));
      } catch (err) {
        return (err as { issues: { path: string; message: string }[] }).issues;
      }
      throw new Error('expected a refusal');
    };
    expect(issues({ ...minimal, 'container-image': { type: 'podman', image: 'x' } })).toEqual([
      { path: 'container-image.type', message: expect.stringMatching(/^Invalid discriminator value/) },
    ]);
    expect(issues({ ...minimal, inputs: [{ ...minimal.inputs[0], flagg: '-n' }] })).toEqual([
      { path: 'inputs[0] (N)', message: 'Unrecognized key: "flagg"' },
    ]);
  });
});
