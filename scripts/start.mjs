// `npm start`: bring the whole stack up on loopback (DiracX + its Redis, S3
// emulator, task workers, the local execution sites; the VO's identity provider; the
// portal BFF serving the SPA), print the URL and the demo logins, and keep
// running until Ctrl+C. State (DiracX jobs, the portal database) is kept in
// .stack/dev between runs; `npm start -- --fresh` starts from scratch.
import path from 'node:path';
import { ensureSpaBuild } from './lib/build.mjs';
import { runUntilStopped } from './lib/proc.mjs';
import { DEV_PORTS, ROOT, startBff, startStack } from './lib/stack.mjs';
import { DEMO_PASSWORD, DEMO_USERS } from './idp/users.mjs';

const fresh = process.argv.includes('--fresh');
const stateDir = path.join(ROOT, '.stack/dev');

ensureSpaBuild();
let stack;
let bff;
try {
  stack = await startStack({ stateDir, ports: DEV_PORTS, fresh });
  bff = await startBff({ stack });
} catch (err) {
  console.error(`\nThe stack did not start:\n${err.message}\n\nSee docs/operations.md, "Troubleshooting".`);
  await stack?.stop();
  process.exit(1);
}

const roles = { scientist: 'scientist', pi: 'principal investigator (PI)', admin: 'administrator' };
console.log(`
  ESCAPE Batch Portal is running:  ${stack.urls.bff}

  Demo logins (password for all: ${DEMO_PASSWORD}); pick the matching group on the sign-in page:
${DEMO_USERS.map((u) => `    ${u.username.padEnd(6)} ${roles[u.role].padEnd(28)} group "${stack.vo.roleGroup[u.role]}"`).join('\n')}

  DiracX API ${stack.urls.diracx}/api/docs · identity provider ${stack.urls.idp}
  BFF OpenAPI ${stack.urls.bff}/bff/openapi.json · health ${stack.urls.bff}/bff/healthz
  Logs: ${path.relative(ROOT, path.join(stateDir, 'logs'))}/   Press Ctrl+C to stop.
`);

runUntilStopped({
  services: () => [...stack.services, bff.svc],
  stop: async () => {
    await bff.stop();
    await stack.stop();
  },
});
