import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eventCertaintySchema } from '../../contracts/certainty.ts';
import { commonErrors, decimalId, idParams } from '../../contracts/common.ts';
import { eventCertainty } from './certainty.service.ts';

const certaintyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/events/:id/certainty', {
    schema: {
      operationId: 'getEventCertainty',
      summary: 'Live certainty of a round: per drawn number the lowest and highest total still reachable, and whether its prize or advancement is clinched, out of reach or open',
      description:
        'Exact bounds (every missing mark at its lowest or highest, scored by the engine) and states decided against the event’s prize rule (last round) or the round’s advancement rule (server/domain/certainty.ts). Numbers only, never names. The chief judge or supervisor of the event, or an admin or organiser in scope.',
      tags: ['marking control'],
      params: idParams,
      querystring: z.object({ roundId: decimalId.optional().describe('Default: the first open round, else the last') }),
      response: { 200: eventCertaintySchema, ...commonErrors },
    },
    handler: async (req) => eventCertainty(app, req, req.params.id, req.query.roundId),
  });
};

export default certaintyRoutes;
