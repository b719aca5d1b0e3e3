/**
 * Cross-check: the zod model of the Boutiques standard (`BoutiquesStandardSchema`) says "valid"
 * exactly when the official JSON schema does (run by Python's `jsonschema`, the file shipped in
 * the pinned PyPI `boutiques`), on real descriptors and on descriptors mutated by fast-check; and
 * whatever `BoutiquesDescriptorSchema` accepts, `bosh validate` accepts too. All samples go to one
 * Python process (testing/bosh.ts), as the JDL renderer's cross-check with DIRAC's parser does.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoutiquesDescriptorSchema, BoutiquesStandardSchema } from './descriptor.ts';
import { bosh, type BoshResult } from './testing/bosh.ts';
import { baseDescriptor, CATALOGUE, CORPUS, loadCorpus, WORKFLOWS_DIR } from './testing/descriptors.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const REAL: Json[] = [
  ...CORPUS.map((f) => loadCorpus(f) as Json),
  ...CATALOGUE.map((f) => JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, f), 'utf8')) as Json),
  baseDescriptor() as Json,
];

/** Field names of the standard (and a few that are not), to add where they may or may not belong. */
const FIELDS = [
  'id',
  'name',
  'type',
  'value-key',
  'list',
  'list-separator',
  'optional',
  'command-line-flag',
  'command-line-flag-separator',
  'requires-inputs',
  'disables-inputs',
  'default-value',
  'value-choices',
  'value-requires',
  'value-disables',
  'value-enables',
  'integer',
  'minimum',
  'maximum',
  'exclusive-minimum',
  'exclusive-maximum',
  'min-list-entries',
  'max-list-entries',
  'uses-absolute-path',
  'path-template',
  'conditional-path-template',
  'file-template',
  'members',
  'mutually-exclusive',
  'image',
  'url',
  'index',
  'container-opts',
  'entrypoint',
  'code',
  'description',
  'tests',
  'custom',
  'shell',
  'colour',
] as const;
const VALUES: Json[] = [
  null,
  true,
  false,
  0,
  1,
  -1,
  1.5,
  '',
  'x',
  'File',
  'Flag',
  'Number',
  'rootfs',
  'docker',
  '0.5',
  'a b',
  'http://h',
  [],
  ['x'],
  [1],
  {},
  { x: 1 },
];

/** Every path to a value inside `v`. */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

type Mutation = { kind: 'set'; value: Json } | { kind: 'delete' } | { kind: 'add'; field: string; value: Json } | { kind: 'dup' };

function mutate(doc: Json, at: (string | number)[], m: Mutation): Json {
  const copy = structuredClone(doc);
  if (at.length === 0) return m.kind === 'set' ? m.value : copy;
  let parent: Json = copy;
  for (const k of at.slice(0, -1)) parent = (parent as Record<string, Json>)[k as string] as Json;
  const last = at[at.length - 1] as string | number;
  const node = parent as Record<string | number, Json>;
  if (m.kind === 'set') node[last] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete node[last];
  } else if (m.kind === 'dup' && Array.isArray(parent)) parent.push(structuredClone(parent[last as number] as Json));
  else if (m.kind === 'add') {
    const target = node[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) target[m.field] = m.value;
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), value: fc.constantFrom(...VALUES) }),
  fc.constant({ kind: 'delete' as const }),
  fc.constant({ kind: 'dup' as const }),
  fc.record({ kind: fc.constant('add' as const), field: fc.constantFrom(...FIELDS), value: fc.constantFrom(...VALUES) }),
);

/** One to three mutations of a real descriptor. */
const mutated: fc.Arbitrary<Json> = fc
  .tuple(fc.nat(REAL.length - 1), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }))
  .map(([i, ms]) =>
    ms.reduce<Json>((doc, [pick, m]) => {
      const all = paths(doc);
      return mutate(doc, all[pick % all.length] ?? [], m);
    }, REAL[i] as Json),
  );

describe('the zod model of Boutiques 0.5 against the official JSON schema and bosh validate', () => {
  const samples = [...REAL, ...fc.sample(mutated, { numRuns: 800, seed: 20261205 })];
  const results = bosh(samples.map((descriptor) => ({ descriptor }))) as Extract<BoshResult, { schema: string[] }>[];

  it('agrees with the official schema on every real and mutated descriptor', () => {
    let valid = 0;
    samples.forEach((doc, i) => {
      const official = results[i]!.schema;
      const ours = BoutiquesStandardSchema.safeParse(doc);
      const ourIssues = ours.success ? [] : ours.error.issues.map((x) => `${x.path.join('/')}: ${x.message}`);
      expect(ours.success, `${JSON.stringify(doc)}\nofficial: ${JSON.stringify(official)}\nours: ${JSON.stringify(ourIssues)}`).toBe(
        official.length === 0,
      );
      if (ours.success) valid += 1;
    });
    // Both verdicts must really be exercised.
    expect(valid).toBeGreaterThan(300);
    expect(samples.length - valid).toBeGreaterThan(300);
  });

  it('accepts only descriptors bosh validate accepts, and every real one', () => {
    let accepted = 0;
    samples.forEach((doc, i) => {
      if (!BoutiquesDescriptorSchema.safeParse(doc).success) return;
      accepted += 1;
      // bosh's validator itself crashes (KeyError…) on some mutated descriptors: only its refusals count.
      const verdict = results[i]!.bosh;
      if (verdict === null || verdict.startsWith('DescriptorValidationError')) expect(verdict, JSON.stringify(doc)).toBeNull();
    });
    REAL.forEach((doc, i) => {
      expect(results[i]!.bosh, JSON.stringify(doc).slice(0, 200)).toBeNull();
      expect(BoutiquesDescriptorSchema.safeParse(doc).success).toBe(true);
    });
    expect(accepted).toBeGreaterThan(200);
  });
});
