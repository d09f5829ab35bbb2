import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors } from '../../contracts/common.ts';
import { dashboardQuery, dashboardSchema } from '../../contracts/dashboard.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { getDashboard } from './dashboard.service.ts';

/** The overview of the signed-in staff member's subtree; every staff role may read it. */
const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/dashboard', {
    schema: {
      operationId: 'getDashboard',
      summary: 'Competitions by grade and status, events, entrants, judges and marks in your subtree',
      tags: ['dashboard'],
      querystring: dashboardQuery,
      response: { 200: dashboardSchema, ...commonErrors },
    },
    handler: async (req) => getDashboard(app.db, requireStaff(req), req.query),
  });
};

export default dashboardRoutes;
