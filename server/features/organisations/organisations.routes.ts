import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors, idParams, okSchema, pageOf, problemSchema } from '../../contracts/common.ts';
import {
  createOrganisationBody,
  listOrganisationsQuery,
  organisationSchema,
  updateOrganisationBody,
} from '../../contracts/organisations.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import {
  createOrganisation,
  deleteOrganisation,
  getOrganisationInScope,
  listOrganisations,
  presentOrganisation,
  updateOrganisation,
} from './organisations.service.ts';

const tags = ['organisations'];

const organisationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/organisations', {
    schema: {
      operationId: 'listOrganisations',
      summary: 'List organisations in your subtree',
      tags,
      querystring: listOrganisationsQuery,
      response: { 200: pageOf(organisationSchema), ...commonErrors },
    },
    handler: async (req) => listOrganisations(app.db, requireStaff(req), req.query),
  });

  app.post('/organisations', {
    schema: {
      operationId: 'createOrganisation',
      summary: 'Create a sub-organisation (union, HR bureau, employer or department)',
      tags,
      body: createOrganisationBody,
      response: { 201: organisationSchema, ...commonErrors },
    },
    handler: async (req, reply) => {
      const org = createOrganisation(app.db, requireStaff(req, 'admin'), req.body);
      return reply.status(201).send(org);
    },
  });

  app.get('/organisations/:id', {
    schema: {
      operationId: 'getOrganisation',
      summary: 'Get one organisation',
      tags,
      params: idParams,
      response: { 200: organisationSchema, ...commonErrors },
    },
    handler: async (req) => presentOrganisation(getOrganisationInScope(app.db, requireStaff(req), req.params.id)),
  });

  app.patch('/organisations/:id', {
    schema: {
      operationId: 'updateOrganisation',
      summary: 'Change an organisation',
      tags,
      params: idParams,
      body: updateOrganisationBody,
      response: { 200: organisationSchema, ...commonErrors },
    },
    handler: async (req) => updateOrganisation(app.db, requireStaff(req, 'admin'), req.params.id, req.body),
  });

  app.delete('/organisations/:id', {
    schema: {
      operationId: 'deleteOrganisation',
      summary: 'Delete an organisation nothing refers to',
      tags,
      params: idParams,
      response: { 200: okSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      deleteOrganisation(app.db, requireStaff(req, 'admin'), req.params.id);
      return { ok: true as const };
    },
  });
};

export default organisationsRoutes;
