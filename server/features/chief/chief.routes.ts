import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { progressQuery, progressSchema } from '../../contracts/chief.ts';
import { commonErrors, idParams } from '../../contracts/common.ts';
import paperRoutes from '../paper/paper.routes.ts';
import { markingProgress } from './progress.service.ts';

/**
 * The chief judge's console: the marking-progress grid, and (registered from here so the app
 * registers the venue-desk features in one line) the paper double-entry routes.
 */
const chiefRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/events/:id/progress', {
    schema: {
      operationId: 'getMarkingProgress',
      summary: 'Marking progress of a round: contestants × judges, what is in and missing, outlying part marks',
      description: 'The chief judge or supervisor of the event, or an admin or organiser in scope. Names only after release.',
      tags: ['marking control'],
      params: idParams,
      querystring: progressQuery,
      response: { 200: progressSchema, ...commonErrors },
    },
    handler: async (req) => markingProgress(app, req, req.params.id, req.query.roundId),
  });

  await app.register(paperRoutes);
};

export default chiefRoutes;
