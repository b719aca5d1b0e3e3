/**
 * A local execution site process: `node src/site/main.ts <config.json>` (scripts/lib/stack.mjs starts one per
 * site of config/sites.json). Logs one JSON object per line; never logs tokens or the API key.
 */
import { loadSiteConfig } from './config.ts';
import { createSite } from './site.ts';
import { livePayloadGroups } from './wrapper.ts';

const file = process.argv[2] ?? process.env.PORTAL_SITE_CONFIG;
if (!file) {
  console.error('usage: node src/site/main.ts <site-config.json>');
  process.exit(2);
}
const cfg = loadSiteConfig(file);
const log = (msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), site: cfg.site, msg, ...extra })}\n`);

const site = await createSite(cfg, log);
log('site started', { slots: cfg.slots });
let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    stopping = true;
    log('stopping', { running: site.running() });
    // No payload outlives its site (its jobs stay Running until another site's stalled-job rule fails them).
    for (const pgid of livePayloadGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    site.close();
    process.exit(0);
  });
}
while (!stopping) {
  try {
    await site.poll();
  } catch (err) {
    log('poll failed', { err: (err as Error).message });
  }
  await new Promise((r) => setTimeout(r, cfg.pollMs));
}
