/**
 * /bff/v1/schedules: create, list, edit, pause, resume, run now, delete; the BFF-initiated
 * authorization (code + PKCE with DiracX) that gives the portal a refresh token for unattended runs;
 * "revoke unattended access everywhere"; and the in-portal notifications.
 * Owners manage their schedules; admins see (and may pause or delete) every schedule of the instance.
 */
import crypto from 'node:crypto';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AuthorizeStartSchema,
  NotificationListSchema,
  ScheduleCreateSchema,
  ScheduleDetailSchema,
  SchedulePreviewRequestSchema,
  SchedulePreviewSchema,
  ScheduleSchema,
  ScheduleUpdateSchema,
  SIGN_IN_AGAIN,
  RUN_FILES_MAX,
  RunFileListSchema,
  type Schedule,
  type ScheduleRun,
  type ScheduleSource,
  type ScheduleSpec,
} from '../../contracts/schedules.ts';
import { actorOf } from '../audit/log.ts';
import type { Principal } from '../auth/verify.ts';
import { problems } from '../errors.ts';
import { ownerOf } from '../auth/owner.ts';
import { checkFileBindings } from '../launches/build.ts';
import { asInput, boundFiles, launchBasketItems, workflowForLaunch } from '../launches/inputs.ts';
import { principalOf, publicOrigin, requireAuth, type Services } from '../plugins.ts';
import { upstream } from '../upstream.ts';
import { describe, nextSlot, nextSlots, validateSpec } from './recurrence.ts';
import { createScheduleRepo, type StoredRun, type StoredSchedule } from './repo.ts';
import { checkSource, type SourceDeps } from './sources.ts';
import { createZooniverseClient } from './zooniverse.ts';
import { rucioFromConfig } from '../datasets/rucio.ts';
import { Scheduler } from './scheduler.ts';
import { createSecretBox, loadKeys } from './secret-box.ts';

export interface ScheduleRouteOptions {
  /** Run the scheduler loop (server.ts: config.schedulerEnabled; tests drive `tick()` themselves). */
  start: boolean;
  /** Tests: receives the scheduler. */
  ref?: { current?: Scheduler };
}

const IdParams = z.object({ scheduleId: z.uuid() });

/** A run as the API shows it (without the lease bookkeeping). */
const publicRun = ({ scheduleId: _s, leaseUntil: _l, attempts: _a, ...r }: StoredRun): ScheduleRun => r;
const CALLBACK_PATH = '/bff/v1/schedules/authorize/callback';
const b64url = (b: Buffer) => b.toString('base64url');

export function scheduleRoutes(services: Services, opts: ScheduleRouteOptions): FastifyPluginAsyncZod {
  const { config, db } = services;
  const repo = createScheduleRepo(db);
  const keys = loadKeys({ key: config.scheduleKey, keyFile: config.scheduleKeyFile });
  const box = keys.length > 0 ? createSecretBox(keys) : null;
  const sources: SourceDeps = {
    db,
    rucio: rucioFromConfig(config.datasetSources),
    zooniverse: config.zooniverse ? createZooniverseClient(config.zooniverse) : null,
  };

  /** A saved query must be usable here (configured, existing DID) and fit the launch (a workflow that reads files). */
  async function checkQuery(source: ScheduleSource, inputMode: string) {
    if (source.kind === 'snapshot') return;
    if (inputMode === 'none')
      throw problems.validation('A schedule on a saved query needs a workflow that reads input files', [
        { path: 'launch.inputMode', message: 'choose per-file or all files' },
      ]);
    await checkSource(sources, source);
  }

  function checkSpec(spec: ScheduleSpec) {
    const issues = validateSpec(spec, { minIntervalMinutes: services.config.scheduleMinIntervalMinutes });
    if (issues.length) throw problems.validation(`${issues[0]!.path.split('.').pop()}: ${issues[0]!.message}`, issues);
  }

  const firstSlot = (spec: ScheduleSpec) => nextSlot(spec, new Date(Date.now() - 1))?.toISOString() ?? null;

  async function view(s: StoredSchedule, p: Principal): Promise<Schedule> {
    const last = await repo.lastRun(s.id);
    const lastRun = last ? publicRun(last) : null;
    return {
      id: s.id,
      name: s.name,
      owner: s.ownerName,
      mine: s.ownerSub === p.sub,
      workflowId: s.workflowId,
      launch: s.launch,
      spec: s.spec,
      source: s.source,
      sourceEditedAt: s.sourceEditedAt,
      description: describe(s.spec),
      status: s.status,
      pausedReason: s.pausedReason,
      credential: await repo.credentialState(s.id),
      consecutiveFailures: s.consecutiveFailures,
      nextRunAt: s.status === 'active' ? s.nextRunAt : null,
      lastRun,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
    };
  }

  /** The schedule if the caller may see it (owner, or admin of the same instance); 404 otherwise. */
  async function visible(id: string, p: Principal, { manage = false } = {}): Promise<StoredSchedule> {
    const s = await repo.get(id);
    if (!s || s.instanceId !== p.instance.id || (s.ownerSub !== p.sub && p.role !== 'admin')) throw problems.notFound('No such schedule');
    if (manage && s.ownerSub !== p.sub)
      throw problems.forbidden('Only the owner of a schedule can do this: it runs with their authorization');
    return s;
  }

  async function revoke(p: Principal, scheduleId: string) {
    const sealed = await repo.dropCredential(scheduleId);
    if (!sealed || !box) return;
    try {
      const token = box.open(sealed, scheduleId);
      await services
        .diracx(p.instance)
        .relayRevoke(new URLSearchParams({ token, token_type_hint: 'refresh_token', client_id: p.instance.clientId }));
    } catch {
      /* undecryptable or DiracX down: the token is forgotten here and expires at DiracX */
    }
  }

  return async (app) => {
    if (!box)
      app.log.warn(
        'no schedule credential key (scheduleKeyFile / PORTAL_SCHEDULE_KEY): schedules cannot be authorized for unattended runs',
      );
    const scheduler = new Scheduler({
      config,
      repo,
      launches: services.launches,
      runner: services.launchRunner,
      diracx: services.diracx,
      verifyToken: services.verifyToken,
      workflowFor: (launch) => workflowForLaunch(services, launch),
      boundFilesFor: (p, bindings) => boundFiles(db, p, bindings, 'launch.'),
      box,
      sources,
      log: { info: (o, m) => app.log.info(o, m), warn: (o, m) => app.log.warn(o, m) },
      audit: services.audit,
      inSpan: services.inSpan,
    });
    if (opts.ref) opts.ref.current = scheduler;
    app.addHook('onReady', async () => {
      if (opts.start) scheduler.start();
    });
    app.addHook('onClose', async () => {
      await scheduler.stop();
    });

    // The authorization callback is a browser navigation from DiracX: no bearer token; the one-time
    // state bound server-side to the signed-in user is what identifies the flow.
    app.get(
      '/v1/schedules/authorize/callback',
      {
        schema: {
          tags: ['schedules'],
          summary: 'End of the authorization for unattended runs (redirect from DiracX)',
          querystring: z.object({
            state: z.string().max(200),
            code: z.string().max(4096).optional(),
            error: z.string().max(200).optional(),
            error_description: z.string().max(1000).optional(),
          }),
        },
      },
      async (request, reply) => {
        const back = (params: Record<string, string>) => reply.redirect(`/schedules?${new URLSearchParams(params).toString()}`, 303);
        const flow = await repo.takeFlow(request.query.state);
        if (!flow)
          return back({ authorizeError: 'This authorization link has expired or was already used. Try again from the schedules page.' });
        if (request.query.error || !request.query.code)
          return back({ authorizeError: `DiracX refused: ${request.query.error_description ?? request.query.error ?? 'no code'}` });
        const instance = services.config.instances.find((i) => i.id === flow.instanceId);
        const s = await repo.get(flow.scheduleId);
        if (!instance || !s) return back({ authorizeError: 'The schedule no longer exists.' });
        const res = await upstream(() =>
          services.diracx(instance).relayToken(
            new URLSearchParams({
              grant_type: 'authorization_code',
              code: request.query.code!,
              redirect_uri: flow.redirectUri,
              code_verifier: flow.codeVerifier,
              client_id: instance.clientId,
            }),
          ),
        );
        const body = res.body as { access_token?: unknown; refresh_token?: unknown; detail?: unknown } | null;
        if (res.status !== 200 || typeof body?.access_token !== 'string' || typeof body.refresh_token !== 'string') {
          return back({
            authorizeError: `DiracX did not issue a token: ${typeof body?.detail === 'string' ? body.detail : `HTTP ${res.status}`}`,
          });
        }
        const revokeNew = () =>
          services
            .diracx(instance)
            .relayRevoke(new URLSearchParams({ token: body.refresh_token as string, client_id: instance.clientId }))
            .catch(() => undefined);
        let who: Principal;
        try {
          who = await services.verifyToken(body.access_token);
        } catch (err) {
          await revokeNew();
          return back({ authorizeError: `The token DiracX issued was not accepted: ${(err as Error).message}` });
        }
        if (who.sub !== flow.ownerSub || who.sub !== s.ownerSub || who.group !== s.group) {
          await revokeNew();
          return back({
            authorizeError: `You signed in as ${who.username} (${who.group}), but the schedule belongs to ${s.ownerName} (${s.group}).`,
          });
        }
        if (!box) {
          await revokeNew();
          return back({ authorizeError: 'Unattended runs are not configured on this portal (no credential key).' });
        }
        const replaced = await repo.putCredential(s.id, s.ownerSub, s.instanceId, box.seal(body.refresh_token, s.id));
        if (replaced) {
          try {
            await services
              .diracx(instance)
              .relayRevoke(new URLSearchParams({ token: box.open(replaced, s.id), client_id: instance.clientId }));
          } catch {
            /* best effort */
          }
        }
        await repo.setStatus(s.id, firstSlot(s.spec) ? 'active' : 'ended', null, { nextRunAt: firstSlot(s.spec), resetFailures: true });
        await services.audit.record({
          actorSub: who.sub,
          actorName: who.username,
          instanceId: instance.id,
          action: 'schedule.authorize',
          target: s.id,
          requestId: request.id,
        });
        return back({ authorized: s.id });
      },
    );

    await app.register(async (plain) => {
      const authed = plain.withTypeProvider<ZodTypeProvider>();
      authed.addHook('onRequest', requireAuth(services));

      authed.post(
        '/v1/schedules/preview',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Check a recurrence and list its next runs',
            security: [{ bearer: [] }],
            body: SchedulePreviewRequestSchema,
            response: { 200: SchedulePreviewSchema },
          },
        },
        async (request) => {
          const { spec } = request.body;
          checkSpec(spec);
          return { nextRuns: nextSlots(spec, new Date(Date.now() - 1), 5).map((d) => d.toISOString()), description: describe(spec) };
        },
      );

      authed.get(
        '/v1/schedules',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Your schedules (admins: every schedule)',
            security: [{ bearer: [] }],
            response: { 200: z.object({ items: z.array(ScheduleSchema) }) },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const list = await repo.list(p.instance.id, p.role === 'admin' ? null : p.sub);
          return { items: await Promise.all(list.map((s) => view(s, p))) };
        },
      );

      authed.post(
        '/v1/schedules',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Create a schedule (paused until unattended runs are authorized)',
            security: [{ bearer: [] }],
            body: ScheduleCreateSchema,
            response: { 201: ScheduleSchema },
          },
        },
        async (request, reply) => {
          const p = principalOf(request);
          if (!p.properties.includes('NormalUser')) throw problems.forbidden(`Your group "${p.group}" may not submit jobs`);
          const { name, spec, source } = request.body;
          checkSpec(spec);
          // A scheduled run creates its launch without the staging phase: said here rather than silently not staged.
          if (request.body.launch.stageAt)
            throw problems.validation(
              'Stage first is not available for schedules yet: uncheck “Stage first” to schedule this launch (its inputs are then read where they are)',
              [{ path: 'launch.stageAt', message: 'not available for schedules' }],
            );
          // Pin the descriptor now: every run uses this one, even after a newer version is published or this one removed.
          const wf = await workflowForLaunch(services, request.body.launch, 'launch.');
          const launch = { ...request.body.launch, workflowVersion: wf.version ?? undefined, descriptorSha256: wf.sha256 ?? undefined };
          await checkQuery(source, launch.inputMode);
          // The files chosen for the other File inputs are fixed files (not the saved query's): checked now, read at each run.
          checkFileBindings(launch, wf, await boundFiles(db, p, launch.fileBindings, 'launch.'), 'launch.');
          // A saved query reads its files at each run: the basket items chosen on the launch page are not kept.
          // The whole basket is read now, like chosen items: each run launches these files.
          const inputs = source.kind === 'snapshot' ? (await launchBasketItems(db, p, launch, 'launch.')).map(asInput) : [];
          const s = await repo.create(
            {
              ...ownerOf(p),
              name,
              launch: source.kind === 'snapshot' ? launch : { ...launch, inputItemIds: [], inputBasket: undefined },
              inputs,
              spec,
              source,
            },
            firstSlot(spec),
          );
          await services.audit.record({
            actorSub: p.sub,
            actorName: p.username,
            instanceId: p.instance.id,
            action: 'schedule.create',
            target: s.id,
            detail: { workflow: launch.workflowId, recurrence: spec.recurrence, source: source.kind },
            requestId: request.id,
          });
          return reply.code(201).send(await view(s, p));
        },
      );

      authed.get(
        '/v1/schedules/:scheduleId',
        {
          schema: {
            tags: ['schedules'],
            summary: 'One schedule and its runs',
            security: [{ bearer: [] }],
            params: IdParams,
            response: { 200: ScheduleDetailSchema },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const s = await visible(request.params.scheduleId, p);
          const runs = await repo.runs(s.id);
          return { ...(await view(s, p)), runs: runs.map(publicRun) };
        },
      );

      authed.patch(
        '/v1/schedules/:scheduleId',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Rename, change the recurrence, or edit a saved query (files already processed are not taken again)',
            security: [{ bearer: [] }],
            params: IdParams,
            body: ScheduleUpdateSchema,
            response: { 200: ScheduleSchema },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const s = await visible(request.params.scheduleId, p, { manage: true });
          const { name, spec, source } = request.body;
          if (spec) checkSpec(spec);
          if (source && (source.kind === 'snapshot') !== (s.source.kind === 'snapshot'))
            throw problems.validation('A snapshot schedule cannot become a saved query or back; create a new schedule', [
              { path: 'source.kind', message: `this schedule reads ${s.source.kind === 'snapshot' ? 'a snapshot' : 'a saved query'}` },
            ]);
          if (source) await checkQuery(source, s.launch.inputMode);
          await repo.update(s.id, {
            ...(name ? { name } : {}),
            ...(spec ? { spec, nextRunAt: firstSlot(spec) } : {}),
            ...(source ? { source } : {}),
          });
          const changed = Object.keys(request.body).filter((k) => request.body[k as keyof typeof request.body] !== undefined);
          await services.audit.record({ ...actorOf(p, request.id), action: 'schedule.update', target: s.id, detail: { changed } });
          return view((await repo.get(s.id))!, p);
        },
      );

      authed.get(
        '/v1/schedules/:scheduleId/files',
        {
          schema: {
            tags: ['schedules'],
            summary: `Files a saved-query schedule processed: all, or those one run took (at most ${RUN_FILES_MAX}, with the total)`,
            security: [{ bearer: [] }],
            params: IdParams,
            querystring: z.object({ runId: z.uuid().optional() }),
            response: { 200: RunFileListSchema },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const s = await visible(request.params.scheduleId, p);
          const { items, total } = await repo.processedFiles(s.id, request.query.runId ?? null, RUN_FILES_MAX);
          return { items, total };
        },
      );

      authed.post(
        '/v1/schedules/:scheduleId/pause',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Pause: no more runs until resumed',
            security: [{ bearer: [] }],
            params: IdParams,
            response: { 200: ScheduleSchema },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const s = await visible(request.params.scheduleId, p);
          await repo.setStatus(s.id, 'paused', s.ownerSub === p.sub ? 'Paused by you.' : `Paused by ${p.username} (administrator).`);
          await services.audit.record({ ...actorOf(p, request.id), action: 'schedule.pause', target: s.id, detail: { owner: s.ownerSub } });
          return view((await repo.get(s.id))!, p);
        },
      );

      authed.post(
        '/v1/schedules/:scheduleId/resume',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Resume from the next slot after now (409 when unattended runs must be authorized again)',
            security: [{ bearer: [] }],
            params: IdParams,
            response: { 200: ScheduleSchema },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const s = await visible(request.params.scheduleId, p, { manage: true });
          if ((await repo.credentialState(s.id)) !== 'ok') throw problems.conflict(SIGN_IN_AGAIN);
          const next = firstSlot(s.spec);
          await repo.setStatus(s.id, next ? 'active' : 'ended', null, { nextRunAt: next, resetFailures: true });
          await services.audit.record({ ...actorOf(p, request.id), action: 'schedule.resume', target: s.id, detail: { nextRunAt: next } });
          return view((await repo.get(s.id))!, p);
        },
      );

      authed.post(
        '/v1/schedules/:scheduleId/run-now',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Run once now (besides the schedule)',
            security: [{ bearer: [] }],
            params: IdParams,
            response: { 202: ScheduleSchema },
          },
        },
        async (request, reply) => {
          const p = principalOf(request);
          const s = await visible(request.params.scheduleId, p, { manage: true });
          if ((await repo.credentialState(s.id)) !== 'ok') throw problems.conflict(SIGN_IN_AGAIN);
          if (!(await scheduler.runNow(s))) throw problems.conflict('A run was started this very second; try again.');
          await services.audit.record({ ...actorOf(p, request.id), action: 'schedule.run-now', target: s.id });
          return reply.code(202).send(await view((await repo.get(s.id))!, p));
        },
      );

      authed.delete(
        '/v1/schedules/:scheduleId',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Delete a schedule and revoke its stored authorization at DiracX',
            security: [{ bearer: [] }],
            params: IdParams,
          },
        },
        async (request, reply) => {
          const p = principalOf(request);
          const s = await visible(request.params.scheduleId, p);
          await revoke(p, s.id);
          await repo.remove(s.id);
          await services.audit.record({
            actorSub: p.sub,
            actorName: p.username,
            instanceId: p.instance.id,
            action: 'schedule.delete',
            target: s.id,
            requestId: request.id,
          });
          return reply.code(204).send();
        },
      );

      authed.post(
        '/v1/schedules/:scheduleId/authorize',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Start the authorization for unattended runs: returns the DiracX URL to open',
            security: [{ bearer: [] }],
            params: IdParams,
            response: { 200: AuthorizeStartSchema },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const s = await visible(request.params.scheduleId, p, { manage: true });
          if (!box) throw problems.conflict('Unattended runs are not configured on this portal (no credential key).');
          const verifier = b64url(crypto.randomBytes(32));
          const state = b64url(crypto.randomBytes(24));
          const redirectUri = `${publicOrigin(services, request)}${CALLBACK_PATH}`;
          await repo.putFlow({ state, scheduleId: s.id, ownerSub: p.sub, instanceId: p.instance.id, codeVerifier: verifier, redirectUri });
          const url = new URL(`${p.instance.publicUrl ?? p.instance.url}/api/auth/authorize`);
          url.search = new URLSearchParams({
            response_type: 'code',
            client_id: p.instance.clientId,
            redirect_uri: redirectUri,
            scope: `vo:${p.vo} group:${p.group}`,
            state,
            code_challenge: b64url(crypto.createHash('sha256').update(verifier).digest()),
            code_challenge_method: 'S256',
          }).toString();
          return { authorizeUrl: url.toString() };
        },
      );

      authed.post(
        '/v1/schedules/revoke-all',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Sign out everywhere: revoke every stored authorization of yours and pause your schedules',
            security: [{ bearer: [] }],
            response: { 200: z.object({ revoked: z.number().int() }) },
          },
        },
        async (request) => {
          const p = principalOf(request);
          const ids = await repo.credentialsOf(p.sub, p.instance.id);
          for (const id of ids) {
            await revoke(p, id);
            await repo.setStatus(id, 'paused', SIGN_IN_AGAIN);
          }
          await services.audit.record({
            actorSub: p.sub,
            actorName: p.username,
            instanceId: p.instance.id,
            action: 'schedule.revoke-all',
            detail: { count: ids.length },
            requestId: request.id,
          });
          return { revoked: ids.length };
        },
      );

      authed.get(
        '/v1/notifications',
        {
          schema: {
            tags: ['schedules'],
            summary: 'Your portal notifications, newest first',
            security: [{ bearer: [] }],
            response: { 200: NotificationListSchema },
          },
        },
        async (request) => {
          const p = principalOf(request);
          return repo.notifications(p.sub, p.instance.id);
        },
      );

      authed.post(
        '/v1/notifications/read',
        { schema: { tags: ['schedules'], summary: 'Mark all your notifications read', security: [{ bearer: [] }] } },
        async (request, reply) => {
          const p = principalOf(request);
          await repo.markNotificationsRead(p.sub, p.instance.id);
          return reply.code(204).send();
        },
      );
    });
  };
}
