import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BoutiquesDescriptorSchema, type BoutiquesDescriptor } from '../descriptor.ts';

/** Test fixtures: the shipped catalogue descriptors, and a small valid descriptor to derive others from. */

export const WORKFLOWS_DIR = fileURLToPath(new URL('../../../../workflows/', import.meta.url));
export const CATALOGUE = fs
  .readdirSync(WORKFLOWS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

export function loadDescriptor(name: string): BoutiquesDescriptor {
  return BoutiquesDescriptorSchema.parse(JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, `${name}.json`), 'utf8')));
}
export const corsika = loadDescriptor('corsika');
export const cta = loadDescriptor('cta-dl0-dl3');
export const irf = loadDescriptor('irf-generation');
export const hello = loadDescriptor('hello-world');

/**
 * Real-world descriptors (corpus/): Boutiques' own examples and test descriptors from PyPI
 * `boutiques` 0.5.33 (MIT, LICENSE-boutiques.txt), among them FSL's bet (neuroimaging). Every one
 * must load; they cover every standard field.
 */
export const CORPUS_DIR = fileURLToPath(new URL('./corpus/', import.meta.url));
export const CORPUS = fs
  .readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
export function loadCorpus(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8'));
}

/** A small valid descriptor to derive broken ones from. */
export function baseDescriptor(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Tool',
    'tool-version': '1',
    description: 'A tool',
    'schema-version': '0.5',
    'command-line': 'tool [N] [S] [F]',
    inputs: [
      { id: 'N', name: 'Count', type: 'Number', 'value-key': '[N]', integer: true, minimum: 1, maximum: 10, 'default-value': 2 },
      { id: 'S', name: 'Label', type: 'String', 'value-key': '[S]', optional: true },
      { id: 'F', name: 'Verbose', type: 'Flag', 'value-key': '[F]', 'command-line-flag': '-v', optional: true },
    ],
    ...overrides,
  };
}
