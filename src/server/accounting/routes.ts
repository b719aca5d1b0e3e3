import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AccountingQuerySchema, AccountingReportSchema, type AccountingQuery } from '../../contracts/accounting.ts';
import type { Principal } from '../auth/verify.ts';
import { aggregateUsage, readWatermark } from '../accounting/repo.ts';
import { buildReport, rangeOf, reportCsv } from '../accounting/report.ts';
import { problems } from '../errors.ts';
import { principalOf, requireAuth, type Services } from '../plugins.ts';

/** Accounting is for administrators (JobAdministrator) only, whatever the SPA shows. */
function adminOf(p: Principal): Principal {
  if (p.role !== 'admin') throw problems.forbidden('Accounting is for administrators (a group with JobAdministrator)');
  return p;
}

export function accountingRoutes(services: Services): FastifyPluginAsyncZod {
  const report = async (p: Principal, q: AccountingQuery) => {
    const { fromEpoch, toEpoch, starts } = rangeOf(q);
    const rows = await aggregateUsage(services.db, { instanceId: p.instance.id, bucket: q.bucket, groupBy: q.groupBy, fromEpoch, toEpoch });
    const wm = await readWatermark(services.db, p.instance.id);
    const until = wm ? new Date(Date.parse(`${wm.second}Z`) + (wm.lastJobId === null ? 1000 : 0)).toISOString() : null;
    return buildReport(q, starts, rows, until);
  };

  return async (app) => {
    app.addHook('onRequest', requireAuth(services));

    app.get(
      '/v1/accounting/usage',
      {
        schema: {
          tags: ['accounting'],
          summary: 'Usage of finished jobs (jobs, CPU hours, wall hours) per time bucket and key, for administrators',
          security: [{ bearer: [] }],
          querystring: AccountingQuerySchema,
          response: { 200: AccountingReportSchema },
        },
      },
      async (request) => report(adminOf(principalOf(request)), request.query),
    );

    app.get(
      '/v1/accounting/usage.csv',
      {
        schema: {
          tags: ['accounting'],
          summary: 'The same report as CSV (one line per bucket and key)',
          security: [{ bearer: [] }],
          querystring: AccountingQuerySchema,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const q = request.query;
        const r = await report(adminOf(principalOf(request)), q);
        const name = `accounting-${q.groupBy}-${q.bucket}-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(reportCsv(r));
      },
    );
  };
}
