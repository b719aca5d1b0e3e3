/**
 * Hello world as the one-click card sends it since it is an ordinary launch: workflow `hello-world`
 * through POST /bff/v1/launches, with an idempotency key. For tests of the in-process BFF (app.inject).
 */
import type { FastifyInstance } from 'fastify';
import type { Launch, LaunchRequest } from '../../contracts/launches.ts';

export function helloWorldLaunch(idempotencyKey: string, { greeting = 'Hello', message = 'world' } = {}): LaunchRequest {
  return {
    idempotencyKey,
    name: 'Hello world',
    workflowId: 'hello-world',
    values: { GREETING: greeting, MESSAGE: message },
    sweeps: {},
    inputItemIds: [],
    inputMode: 'none',
    resources: {},
  };
}

/**
 * Launch Hello world and wait until the BFF has finished sending it to DiracX (the launch runs in the
 * background). `launch` is null when the request itself was refused; `res` is the POST's answer.
 */
export async function launchHelloWorld(
  app: FastifyInstance,
  headers: Record<string, string>,
  idempotencyKey: string,
  values: { greeting?: string; message?: string } = {},
) {
  const res = await app.inject({ method: 'POST', url: '/bff/v1/launches', headers, payload: helloWorldLaunch(idempotencyKey, values) });
  if (res.statusCode !== 200 && res.statusCode !== 202) return { res, launch: null };
  await app.launchRunner.idle();
  const launch = (await app.inject({ method: 'GET', url: `/bff/v1/launches/${res.json<Launch>().id}`, headers })).json<Launch>();
  return { res, launch };
}
