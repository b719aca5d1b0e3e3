import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetSearchQuerySchema } from '../../contracts/datasets.ts';
import type { Database } from '../db/database.ts';
import { bothDialects, type MigratedTarget } from '../testing/db-targets.ts';
import { createDbDatasetCatalogue } from './catalogue.ts';
import { csvRecords, ImportError, importCatalogueCsv } from './import.ts';

const HEADER = 'lfn,project_id,data_level,size_bytes,checksum,storage_element,observation_date,telescope,run_number,replicas';
const good = [
  HEADER,
  '/cta/lst/2025/DL3/run_1.fits.gz,LST-2025,DL3,1200,adler32:0a0b0c0d,CTA-PIC-DISK,2025-03-01,LST-1,1,CTA-DESY-DISK',
  // quoted fields: a comma inside, an escaped quote, and a value over two lines are read as one field each
  '"/cta/lst/2025/DL3/run_2.fits.gz","LST-2025",DL3,"3400",ADLER32:0A0B0C0E,CTA-PIC-DISK,2025-03-02,"LST-1",2,"CTA-DESY-DISK;CTA-CNAF-TAPE"',
].join('\r\n');
const lines = (text: string) => Readable.from([text]);

describe('CSV records', () => {
  it('reads quotes, escaped quotes, commas and newlines inside quotes, CRLF, and chunk boundaries anywhere', async () => {
    const text = 'a,"b,1","c ""q""\nd"\r\n\r\nx,y,z\n';
    const whole = [];
    for await (const r of csvRecords(Readable.from([text]))) whole.push(r);
    expect(whole).toEqual([
      { line: 1, fields: ['a', 'b,1', 'c "q"\nd'] },
      { line: 4, fields: ['x', 'y', 'z'] },
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      const split = [];
      for await (const r of csvRecords(Readable.from([text.slice(0, cut), text.slice(cut)]))) split.push(r);
      expect(split, `cut at ${cut}`).toEqual(whole);
    }
  });

  it('refuses an unclosed quote, text after a quote and an endless record', async () => {
    const all = async (t: string) => {
      for await (const _ of csvRecords(Readable.from([t])));
    };
    await expect(all('a,"b\n')).rejects.toThrow('line 1: a quoted field is not closed');
    await expect(all('a,"b"c\n')).rejects.toThrow('line 1: text after a closing quote');
    await expect(all(`a,${'x'.repeat(70_000)}\n`)).rejects.toThrow('longer than 65536');
  });
});

for (const [dialect, make] of bothDialects('import')) {
  describe(`catalogue import (${dialect})`, () => {
    let target: MigratedTarget;
    let db: Database;
    beforeAll(async () => {
      target = await make();
      db = await target.fresh();
    }, 60_000);
    afterAll(() => target.teardown());

    it('stores the files with their replicas, searchable like any catalogue file; importing again updates', async () => {
      expect(await importCatalogueCsv(db, lines(good))).toEqual({ lines: 2, stored: 2, rejected: [] });
      const page = await createDbDatasetCatalogue(db).search(
        DatasetSearchQuerySchema.parse({ projectId: 'LST-2025', sort: 'name', dir: 'asc' }),
      );
      expect(page.items.map((f) => [f.id, f.name, f.sizeBytes, f.checksum, f.runNumber])).toEqual([
        ['/cta/lst/2025/DL3/run_1.fits.gz', 'run_1.fits.gz', 1200, 'adler32:0a0b0c0d', 1],
        ['/cta/lst/2025/DL3/run_2.fits.gz', 'run_2.fits.gz', 3400, 'adler32:0a0b0c0e', 2],
      ]);
      const replicas = await db.query<{ storage_element: string }>(
        "SELECT storage_element FROM dataset_replicas WHERE lfn = '/cta/lst/2025/DL3/run_2.fits.gz' ORDER BY storage_element",
      );
      expect(replicas.map((r) => r.storage_element)).toEqual(['CTA-CNAF-TAPE', 'CTA-DESY-DISK', 'CTA-PIC-DISK']);
      // A newer dump: same ids, one size changed; nothing is duplicated.
      await importCatalogueCsv(db, lines(good.replace('"3400"', '"3500"')));
      const again = await db.query<{ size_bytes: number | string }>(
        "SELECT size_bytes FROM dataset_files WHERE project_id = 'LST-2025' ORDER BY lfn",
      );
      expect(again.map((r) => Number(r.size_bytes))).toEqual([1200, 3500]);
    });

    it('refuses a file with a bad line and stores nothing of it, naming the line and the column', async () => {
      const bad = [
        HEADER,
        '/cta/x/DL0/ok.fits.fz,PX,DL0,1,adler32:00000001,CTA-PIC-TAPE,2025-01-01,,,',
        '/cta/x/DL0/bad.fits.fz,PX,DL9,1,adler32:00000002,CTA-PIC-TAPE,2025-01-01,,,',
        '/cta/x/DL0/bad2.fits.fz,PX,DL0,-4,adler32:00000003,CTA-PIC-TAPE,2025-01-01,,,',
        '/cta/x/../etc/passwd,PX,DL0,1,adler32:00000004,CTA-PIC-TAPE,2025-01-01,,,',
        '/cta/x/DL0/short.fits.fz,PX',
      ].join('\n');
      const err = await importCatalogueCsv(db, lines(bad)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect((err as ImportError).message).toBe('4 invalid line(s); nothing was imported');
      expect((err as ImportError).issues.map((i) => [i.line, i.message.split(':')[0]])).toEqual([
        [3, 'data_level'],
        [4, 'size_bytes'],
        [5, 'lfn'],
        [6, '2 fields, the header has 10'],
      ]);
      expect(Number((await db.one<{ n: number }>("SELECT count(*) AS n FROM dataset_files WHERE project_id = 'PX'"))!.n)).toBe(0);
      // --lenient keeps the good lines and reports the others.
      const lenient = await importCatalogueCsv(db, lines(bad), { lenient: true });
      expect(lenient).toMatchObject({ lines: 5, stored: 1 });
      expect(lenient.rejected).toHaveLength(4);
    });

    it('refuses a header without the required columns or with unknown ones', async () => {
      await expect(importCatalogueCsv(db, lines('lfn,size_bytes\n/a,1\n'))).rejects.toThrow(
        'line 1: the header lacks project_id, data_level, checksum, storage_element, observation_date',
      );
      await expect(importCatalogueCsv(db, lines(`${HEADER},owner\n`))).rejects.toThrow('line 1: unknown columns owner');
      await expect(importCatalogueCsv(db, lines(''))).rejects.toThrow('the file is empty');
    });
  });
}

describe('import-cli.ts', () => {
  it('imports a file into the database it is given and exits 1 with the reasons for a bad one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-cli-'));
    try {
      const run = (...args: string[]) =>
        promisify(execFile)(process.execPath, [path.join(import.meta.dirname, 'import-cli.ts'), ...args], {
          env: { ...process.env, PORTAL_CONFIG: '' },
        }).then(
          (r) => ({ code: 0, ...r }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        );
      fs.writeFileSync(path.join(dir, 'good.csv'), good);
      fs.writeFileSync(path.join(dir, 'bad.csv'), `${HEADER}\n/a/b,P,DL9,1,adler32:00000001,SE,2025-01-01,,,\n`);
      const url = `sqlite:${path.join(dir, 'portal.db')}`;
      const ok = await run(path.join(dir, 'good.csv'), '--database-url', url);
      expect(ok.stdout).toContain('import: 2 file(s) stored from 2 line(s)');
      expect(ok.code).toBe(0);
      const refused = await run(path.join(dir, 'bad.csv'), '--database-url', url);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('line 2: data_level:');
      expect(refused.stderr).toContain('nothing was imported');
      expect((await run('--database-url', url)).code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
