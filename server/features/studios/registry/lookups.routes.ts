import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors } from '../../../contracts/common.ts';
import { requireStaff } from '../../../plugins/auth.plugin.ts';
import { EVALUATION_MANAGERS } from '../scope.ts';
import { hostChoiceSchema, lookupAccountsQuery, lookupPeopleQuery, peopleChoiceSchema, reviewerChoiceSchema } from '../studios.contracts.ts';
import { lookupAccounts, lookupHosts, lookupPeople } from './lookups.service.ts';

const tags = ['studios'];

const lookupsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/studio-lookups/hosts', {
    schema: {
      operationId: 'lookupStudioHosts',
      summary: 'Employers and departments in your studio scope that can host a studio',
      tags,
      response: { 200: z.array(hostChoiceSchema), ...commonErrors },
    },
    handler: async (req) => lookupHosts(app.db, requireStaff(req)),
  });

  app.get('/studio-lookups/people', {
    schema: {
      operationId: 'lookupStudioPeople',
      summary: 'People in your studio scope (leaders, members, five-smalls submitters), with their certified level',
      tags,
      querystring: lookupPeopleQuery,
      response: { 200: z.array(peopleChoiceSchema), ...commonErrors },
    },
    handler: async (req) => lookupPeople(app.db, requireStaff(req), req.query),
  });

  app.get('/studio-lookups/accounts', {
    schema: {
      operationId: 'lookupStudioReviewers',
      summary: 'Active staff accounts in your studio scope, for evaluation panels',
      tags,
      querystring: lookupAccountsQuery,
      response: { 200: z.array(reviewerChoiceSchema), ...commonErrors },
    },
    handler: async (req) => lookupAccounts(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.query),
  });
};

export default lookupsRoutes;
