/** Entry point: load config, open the database, build the app and listen. */
import type { Server } from 'node:http';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase, redactUrl } from './db/database.ts';
import { startMetricsServer } from './observability.ts';
import { CatalogueError } from './resources/catalogue.ts';

async function main() {
  const config = loadConfig();
  const db = await openDatabase(config.databaseUrl);
  const app = await buildApp({ config, db, startScheduler: config.schedulerEnabled });
  let metricsServer: Server | null = null;
  let closing = false;
  // Graceful shutdown (Kubernetes sends SIGTERM, then SIGKILL after terminationGracePeriodSeconds): readiness
  // fails first so the Service stops routing here, then the listener closes after in-flight requests, and the
  // onClose hooks stop the scheduler and the collector and let running launches finish (shutdownGraceMs).
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, delayMs: config.shutdownDelayMs, graceMs: config.shutdownGraceMs }, 'shutting down');
    app.lifecycle.draining = true;
    if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
    await app.close();
    await new Promise((r) => (metricsServer ? metricsServer.close(r) : r(undefined)));
    await db.close();
    app.log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
  if (config.metrics.port !== null)
    metricsServer = await startMetricsServer(app.observability, { host: config.host, port: config.metrics.port });
  app.log.info(
    { mode: config.mode, database: redactUrl(config.databaseUrl), instances: config.instances.map((i) => `${i.id}=${i.url}`) },
    'BFF ready',
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof CatalogueError) {
    console.error(`BFF not started. ${err.message}`);
    process.exit(2);
  }
  console.error('BFF failed to start:', err);
  process.exit(1);
});
