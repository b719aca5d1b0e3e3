import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchHelloWorld } from './testing/hello-world.ts';
import { bearer, inProcessBff, loginAs, stackInfo } from './testing/real-stack.ts';

type Bff = Awaited<ReturnType<typeof inProcessBff>>;

async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('when DiracX is down the BFF answers with readable problems', () => {
  let bff: Bff;
  let keysToo: Bff;
  beforeAll(async () => {
    const port = await deadPort();
    const s = stackInfo();
    // DiracX's API is unreachable, but its keys were fetched before (jwksUrl still answers).
    bff = await inProcessBff({
      instance: { url: `http://127.0.0.1:${port}`, issuer: s.urls.diracx, jwksUrl: `${s.urls.diracx}/.well-known/jwks.json` },
    });
    // DiracX entirely down, keys included.
    keysToo = await inProcessBff({ instance: { url: `http://127.0.0.1:${port}`, issuer: s.urls.diracx } });
  });
  afterAll(async () => {
    await bff.close();
    await keysToo.close();
  });

  it('healthz reports DiracX unreachable with 503', async () => {
    const res = await bff.app.inject({ method: 'GET', url: '/bff/healthz' });
    expect(res.statusCode).toBe(503);
    const h = res.json();
    expect(h.status).toBe('degraded');
    expect(h.instances[0].reachable).toBe(false);
    expect(h.database.ok).toBe(true);
  });

  it('the sign-in page data marks the instance unreachable instead of failing', async () => {
    const res = await bff.app.inject({ method: 'GET', url: '/bff/v1/instances' });
    expect(res.statusCode).toBe(200);
    expect(res.json().instances[0]).toMatchObject({ id: 'local', reachable: false, vos: [] });
  });

  it('job calls give 503 UPSTREAM_UNREACHABLE with a readable message and nothing is recorded as submitted', async () => {
    const token = bearer(await loginAs('scientist'));
    const list = await bff.app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: token });
    expect(list.statusCode).toBe(503);
    expect(list.headers['content-type']).toContain('application/problem+json');
    expect(list.json()).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', message: expect.stringMatching(/DiracX is not reachable/) });
    // Hello world is accepted as a launch, then waits for DiracX with a readable reason: no job was sent, none failed.
    const { res: sub, launch } = await launchHelloWorld(bff.app, token, 'down-test-0001', { message: 'x' });
    expect(sub.statusCode).toBe(202);
    expect(launch).toMatchObject({ status: 'submitting', submittedJobs: 0, failedJobs: 0, jobIds: [] });
    expect(launch!.error).toMatch(/DiracX is unreachable/);
    await bff.app.launchRunner.idle(); // the GET above resumed it; it waits again
    const row = await bff.db.one<{ status: string }>('SELECT status FROM launches WHERE idempotency_key = $1', ['down-test-0001']);
    expect(row?.status).toBe('submitting');
  });

  it('when even the keys are unreachable, the token cannot be checked: 503, not a sign-out', async () => {
    const res = await keysToo.app.inject({ method: 'GET', url: '/bff/v1/jobs', headers: bearer(await loginAs('scientist')) });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', message: expect.stringMatching(/cannot be checked/) });
  });
});
