import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors } from '../../../contracts/common.ts';
import { requireStaff } from '../../../plugins/auth.plugin.ts';
import { figuresQuery, studioDashboardSchema } from '../studios.contracts.ts';
import { studioDashboard } from './studio-dashboard.service.ts';

const studioDashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/studio-dashboard', {
    schema: {
      operationId: 'getStudioDashboard',
      summary: 'Counts by kind, level, status and area; results, patents, benefit and funding per year',
      tags: ['studio-dashboard'],
      querystring: figuresQuery,
      response: { 200: studioDashboardSchema, ...commonErrors },
    },
    handler: async (req) => studioDashboard(app.db, requireStaff(req), req.query),
  });
};

export default studioDashboardRoutes;
