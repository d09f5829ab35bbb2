import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { elementGridQuery, elementGridSchema, setBaseValuesBody, setBaseValuesResult, voidElementBody, voidElementResult } from '../../contracts/elements.ts';
import { elementGrid, setBaseValues, setVoidElement } from './elements.service.ts';

const tags = ['elements'];

/** Base values and void elements of a round (issue 13): the grid, batch entry of base values, the chief judge's void declarations. */
const elementsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/events/:id/elements', {
    schema: {
      operationId: 'getElementGrid',
      summary: "A round's elements per drawn number: base values (基础分), void elements (无效动作) and the engine's element scores",
      description:
        'Organisers, admins, HR officers and viewers in scope; the event’s chief judge and supervisors. Drawn numbers only. ' +
        'Lists the element parts of the round’s scheme (aggregated per element, or with base values).',
      tags,
      params: idParams,
      querystring: elementGridQuery,
      response: { 200: elementGridSchema, ...commonErrors },
    },
    handler: async (req) => elementGrid(app, req, req.params.id, req.query.roundId),
  });

  app.put('/events/:id/base-values', {
    schema: {
      operationId: 'setBaseValues',
      summary: 'Enter many base values of a round in one request (all or nothing)',
      description:
        'Organisers and admins in scope, and the event’s chief judge. Each cell: a drawn number of the round, a part that uses base values, one of its elements and ' +
        'a value from 0 to 10,000 with at most two decimals (null clears it); where a grade table turns the element’s grades into points, one of the table’s base values. ' +
        'Bad cells are named (`body.values.<i>.…`) and nothing is saved; changing a value already marked against needs `reason` (400 `reason_required`). ' +
        'Refused once results are released (409). Audited; the live ranking is recomputed.',
      tags,
      params: idParams,
      body: setBaseValuesBody,
      response: { 200: setBaseValuesResult, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => setBaseValues(app, req, req.params.id, req.body),
  });

  app.post('/events/:id/voids', {
    schema: {
      operationId: 'setVoidElement',
      summary: 'Declare an element of one contestant void (无效动作), or withdraw the declaration',
      description:
        'The event’s chief judge only. A void element scores 0 and expects no marks, so it never keeps a result provisional; the marks given stay stored. ' +
        'Only elements of rubric element parts. The reason is shown on the console and kept in the audit log. Refused once results are released (409).',
      tags,
      params: idParams,
      body: voidElementBody,
      response: { 200: voidElementResult, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => setVoidElement(app, req, req.params.id, req.body),
  });
};

export default elementsRoutes;
