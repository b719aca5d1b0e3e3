/** Wiring of scheduled submissions into buildApp: repository, credential key, scheduler loop, routes. */
import type { FastifyPluginAsync } from 'fastify';
import { basketItemsFor } from '../datasets/basket-repo.ts';
import type { LaunchRunner } from '../launches/engine.ts';
import type { LaunchRepo } from '../launches/repo.ts';
import { adaptWorkflow } from '../launches/workflow-adapter.ts';
import type { Services } from '../plugins.ts';
import { createScheduleRepo } from './repo.ts';
import { scheduleRoutes } from './routes.ts';
import { Scheduler } from './scheduler.ts';
import { createSecretBox, loadKey } from './secret-box.ts';

export interface ScheduleModuleOptions {
  launches: LaunchRepo;
  runner: LaunchRunner;
  /** Run the loop (server.ts: config.schedulerEnabled; tests drive `tick()` themselves). */
  start: boolean;
  /** Tests: receives the scheduler. */
  ref?: { current?: Scheduler };
}

export function schedulesPlugin(services: Services, opts: ScheduleModuleOptions): FastifyPluginAsync {
  return async (app) => {
    const { config, db } = services;
    const key = loadKey({ key: config.scheduleKey, keyFile: config.scheduleKeyFile });
    if (!key)
      app.log.warn(
        'no schedule credential key (scheduleKeyFile / PORTAL_SCHEDULE_KEY): schedules cannot be authorized for unattended runs',
      );
    const box = key ? createSecretBox(key) : null;
    const repo = createScheduleRepo(db);
    const workflowFor = (id: string) => {
      const entry = services.workflows?.get(id);
      return entry ? adaptWorkflow(entry) : undefined;
    };
    const scheduler = new Scheduler({
      config,
      repo,
      launches: opts.launches,
      runner: opts.runner,
      diracx: services.diracx,
      verifyToken: services.verifyToken,
      workflowFor,
      box,
      log: { info: (o, m) => app.log.info(o, m), warn: (o, m) => app.log.warn(o, m) },
    });
    if (opts.ref) opts.ref.current = scheduler;
    app.addHook('onReady', async () => {
      if (opts.start) scheduler.start();
    });
    app.addHook('onClose', async () => {
      await scheduler.stop();
    });
    await app.register(
      scheduleRoutes(services, {
        repo,
        scheduler,
        box,
        basketItems: async (p, ids) =>
          (await basketItemsFor(db, p.sub, p.instance.id, ids)).map((i) => ({
            id: i.id,
            kind: i.kind,
            ref: i.ref,
            name: i.name,
            sizeBytes: i.sizeBytes,
          })),
      }),
    );
  };
}
