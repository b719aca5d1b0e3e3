/** Launch drafts on SQLite and PostgreSQL: per owner and instance, rename, save over, delete, bounded count. */
import { describe, expect, it } from 'vitest';
import { DRAFTS_MAX_PER_USER, DraftContentSchema, DraftCreateSchema, DraftUpdateSchema } from '../../contracts/drafts.ts';
import { bothDialects, suiteDatabase } from '../testing/db-targets.ts';
import { createDraftRepo } from './drafts-repo.ts';

const alice = { ownerSub: 'escape:alice', instanceId: 'local' };
const paul = { ownerSub: 'escape:paul', instanceId: 'local' };
const aliceElsewhere = { ownerSub: 'escape:alice', instanceId: 'other' };
const content = (n: number) => ({
  form: { values: { RUNNR: n, ERANGE: null }, sweeps: { RUNNR: { enabled: true, mode: 'list', list: '1, 2, 3' } } },
  settings: { inputItemIds: ['i1', 'i2'], inputMode: 'per-file', resources: { cores: '4', ramGB: '' }, name: `draft ${n}` },
});

describe('draft contract', () => {
  it('takes incomplete forms but only bounded, well-formed JSON', () => {
    expect(DraftCreateSchema.safeParse({ name: ' CORSIKA scan ', workflowId: 'corsika', content: content(1) }).data?.name).toBe(
      'CORSIKA scan',
    );
    expect(DraftCreateSchema.safeParse({ name: 'x', workflowId: 'corsika', content: { form: {}, settings: {} } }).success).toBe(true);
    expect(DraftContentSchema.safeParse({ form: { big: 'x'.repeat(300 * 1024) }, settings: {} }).success).toBe(false);
    expect(DraftContentSchema.safeParse({ form: { f: () => 1 }, settings: {} }).success).toBe(false);
    expect(DraftCreateSchema.safeParse({ name: '', workflowId: 'corsika', content: content(1) }).success).toBe(false);
    expect(DraftCreateSchema.safeParse({ name: 'a\u0007b', workflowId: 'corsika', content: content(1) }).success).toBe(false);
    expect(DraftCreateSchema.safeParse({ name: 'x', workflowId: '../etc', content: content(1) }).success).toBe(false);
    expect(DraftUpdateSchema.safeParse({}).success).toBe(false);
  });
});

for (const [name, make] of bothDialects('drafts')) {
  describe(`launch drafts on ${name}`, () => {
    const database = suiteDatabase(make);

    it('saves, lists, opens, renames, saves over and deletes, for its owner only', async () => {
      const repo = createDraftRepo(database());
      const a = await repo.create(alice, { name: 'scan', workflowId: 'corsika', content: content(1) });
      const b = await repo.create(alice, { name: 'dl3', workflowId: 'cta-dl0-dl3', content: content(2) });
      expect((await repo.list(alice)).map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
      expect((await repo.list(alice, 'corsika')).map((d) => d.name)).toEqual(['scan']);
      expect(await repo.get(alice, a.id)).toEqual(a);
      // nobody else sees, changes or deletes it (another user, or the same user on another instance)
      for (const other of [paul, aliceElsewhere]) {
        expect(await repo.list(other)).toEqual([]);
        expect(await repo.get(other, a.id)).toBeNull();
        expect(await repo.update(other, a.id, { name: 'mine' })).toBeNull();
        expect(await repo.remove(other, a.id)).toBe(false);
      }
      const renamed = await repo.update(alice, a.id, { name: 'scan v2' });
      expect(renamed).toMatchObject({ name: 'scan v2', content: content(1) });
      const over = await repo.update(alice, a.id, { content: content(3) });
      expect(over).toMatchObject({ name: 'scan v2', content: content(3) });
      expect(over!.updatedAt >= a.updatedAt).toBe(true);
      expect((await repo.list(alice))[0]!.id).toBe(a.id); // newest first
      expect(await repo.remove(alice, a.id)).toBe(true);
      expect(await repo.get(alice, a.id)).toBeNull();
      expect(await repo.remove(alice, b.id)).toBe(true);
    });

    it(`keeps at most ${DRAFTS_MAX_PER_USER} drafts per user and instance`, async () => {
      const repo = createDraftRepo(database());
      for (let i = 0; i < DRAFTS_MAX_PER_USER; i++)
        await repo.create(paul, { name: `d${i}`, workflowId: 'hello-world', content: { form: {}, settings: {} } });
      await expect(
        repo.create(paul, { name: 'one more', workflowId: 'hello-world', content: { form: {}, settings: {} } }),
      ).rejects.toMatchObject({ status: 409 });
      expect(
        await repo.create(alice, { name: 'alice is fine', workflowId: 'hello-world', content: { form: {}, settings: {} } }),
      ).toMatchObject({ name: 'alice is fine' });
    }, 60_000);
  });
}
