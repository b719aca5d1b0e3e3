// `npm run stack`: the local stack without the portal BFF (DiracX + its Redis, S3 emulator, task
// workers, the local execution sites; the VO's identity provider), for working on the BFF or the SPA:
//   terminal 1: npm run stack
//   terminal 2: PORTAL_CONFIG=.stack/dev/portal.json npx node --watch src/server/server.ts   (npx: the project's Node 24)
//   terminal 3: npm run dev          (Vite on http://127.0.0.1:5173, proxying /bff to the BFF on 8080)
// Same state directory and ports as `npm start` (.stack/dev; PORTAL_*_PORT move them), so the two
// are not run at once. `npm run stack -- --fresh` starts from scratch. Ctrl+C stops everything.
import fs from 'node:fs';
import path from 'node:path';
import { runUntilStopped } from './lib/proc.mjs';
import { DEV_PORTS, portalConfig, ROOT, startStack } from './lib/stack.mjs';

const fresh = process.argv.includes('--fresh');
const stateDir = path.join(ROOT, '.stack/dev');

let stack;
try {
  stack = await startStack({ stateDir, ports: DEV_PORTS, fresh });
} catch (err) {
  console.error(`\nThe stack did not start:\n${err.message}\n\nSee docs/operations.md, "Troubleshooting".`);
  process.exit(1);
}
// The BFF configuration for this stack, as `npm start` would give it.
const cfgFile = path.join(stateDir, 'portal.json');
fs.writeFileSync(cfgFile, JSON.stringify(portalConfig(stack), null, 2));

console.log(`
  The stack is running (no BFF):
  DiracX API ${stack.urls.diracx}/api/docs · identity provider ${stack.urls.idp}

  Start the BFF:  PORTAL_CONFIG=${path.relative(ROOT, cfgFile)} npx node --watch src/server/server.ts   (${stack.urls.bff})
  and the SPA:    npm run dev   (http://127.0.0.1:5173, /bff proxied to the BFF)
  Logs: ${path.relative(ROOT, path.join(stateDir, 'logs'))}/   Press Ctrl+C to stop.
`);

runUntilStopped({
  services: () => stack.services,
  stop: () => stack.stop(),
});
