/**
 * Import a dataset catalogue dump into the portal database (docs/datasets.md, "A real catalogue"):
 *
 *   node src/server/datasets/import-cli.ts catalogue.csv [--lenient] [--database-url URL]
 *
 * The database is the BFF's (PORTAL_CONFIG / DATABASE_URL, as for the server) unless --database-url is
 * given; it is migrated first, so the importer may run before the first BFF start. `-` reads standard input.
 * Exit 0 imported, 1 refused (the reasons on standard error), 2 bad usage.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase, redactUrl } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { migrations } from '../migrations.ts';
import { ImportError, importCatalogueCsv } from './import.ts';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { lenient: { type: 'boolean' }, 'database-url': { type: 'string' } } });
  } catch (err) {
    console.error(`import: ${(err as Error).message}`);
    return 2;
  }
  const [file, ...extra] = args.positionals;
  if (!file || extra.length) {
    console.error('usage: import-cli.ts <catalogue.csv | -> [--lenient] [--database-url URL]');
    return 2;
  }
  const url = args.values['database-url'] ?? loadConfig().databaseUrl;
  const db = await openDatabase(url);
  try {
    await migrate(db, migrations);
    const input = file === '-' ? process.stdin : fs.createReadStream(file);
    const result = await importCatalogueCsv(db, input, { lenient: args.values.lenient === true });
    for (const r of result.rejected) console.error(`line ${r.line}: ${r.message} (skipped)`);
    process.stdout.write(`import: ${result.stored} file(s) stored from ${result.lines} line(s) into ${redactUrl(url)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    for (const i of err.issues) console.error(`line ${i.line}: ${i.message}`);
    console.error(`import: ${err.message}`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
