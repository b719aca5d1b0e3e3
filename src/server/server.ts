/** Entry point: load config, open the database, build the app and listen. */
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase, redactUrl } from './db/database.ts';
import { CatalogueError } from './resources/catalogue.ts';

async function main() {
  const config = loadConfig();
  const db = await openDatabase(config.databaseUrl);
  const app = await buildApp({ config, db, startScheduler: config.schedulerEnabled });
  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void close('SIGTERM'));
  process.once('SIGINT', () => void close('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
  app.log.info({ database: redactUrl(config.databaseUrl), instances: config.instances.map((i) => `${i.id}=${i.url}`) }, 'BFF ready');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof CatalogueError) {
    console.error(`BFF not started. ${err.message}`);
    process.exit(2);
  }
  console.error('BFF failed to start:', err);
  process.exit(1);
});
