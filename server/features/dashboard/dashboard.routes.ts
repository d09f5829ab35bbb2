import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors } from '../../contracts/common.ts';
import { dashboardQuery, dashboardSchema } from '../../contracts/dashboard.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { selectionReport } from '../selections/report.service.ts';
import { getDashboard } from './dashboard.service.ts';

/** The overview of the signed-in staff member's subtree; every staff role may read it. */
const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/dashboard', {
    schema: {
      operationId: 'getDashboard',
      summary: 'Competitions by grade and status, events, entrants, judges and marks, outcomes, certified levels and craftsman selections in your subtree',
      tags: ['dashboard'],
      querystring: dashboardQuery,
      response: { 200: dashboardSchema, ...commonErrors },
    },
    handler: async (req) => {
      const actor = requireStaff(req);
      const year = req.query.year ?? new Date(app.clock.now().getTime() + 8 * 3600_000).getUTCFullYear();
      const report = selectionReport(app, actor, year);
      const selections = {
        year,
        selections: report.selections.length,
        candidates: report.candidates,
        named: report.named,
        nominationAwards: report.nominationAwards,
        paid: report.money.paid,
        outstanding: report.money.outstanding,
      };
      return { ...getDashboard(app.db, actor, req.query), selections };
    },
  });
};

export default dashboardRoutes;
