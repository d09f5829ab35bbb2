import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, okSchema, pageOf, problemSchema } from '../../contracts/common.ts';
import {
  changeCompetitionStatusBody,
  coOrganiserCandidatesQuery,
  coOrganiserSchema,
  competitionOfficerSchema,
  competitionSchema,
  createCompetitionBody,
  listCompetitionsQuery,
  updateCompetitionBody,
} from '../../contracts/competitions.ts';
import { requireStaff, type StaffRole } from '../../plugins/auth.plugin.ts';
import {
  changeCompetitionStatus,
  coOrganiserCandidates,
  createCompetition,
  deleteCompetition,
  getCompetitionInScope,
  listCompetitions,
  loadCompetition,
  officerCandidates,
  updateCompetition,
} from './competitions.service.ts';

const tags = ['competitions'];
const EDITORS: StaffRole[] = ['admin', 'organiser'];

/**
 * Competitions: admins and organisers run them within their subtree; every staff role reads
 * those in scope, which includes the ones their body co-organises (server/features/scope.ts).
 */
const competitionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/competitions/co-organiser-candidates', {
    schema: {
      operationId: 'listCoOrganiserCandidates',
      summary: 'Bodies that may co-organise a competition of an organisation: unions, HR bureaus and departments of its region',
      tags,
      querystring: coOrganiserCandidatesQuery,
      response: { 200: z.array(coOrganiserSchema), ...commonErrors },
    },
    handler: async (req) => coOrganiserCandidates(app.db, requireStaff(req, ...EDITORS), req.query.orgId),
  });

  app.get('/competitions/:id/officer-candidates', {
    schema: {
      operationId: 'listOfficerCandidates',
      summary: 'Staff of the organising bodies who may be named encryption officer (加密裁判)',
      tags,
      params: idParams,
      response: { 200: z.array(competitionOfficerSchema), ...commonErrors },
    },
    handler: async (req) => officerCandidates(app.db, requireStaff(req, ...EDITORS), req.params.id),
  });

  app.get('/competitions', {
    schema: {
      operationId: 'listCompetitions',
      summary: 'List competitions in your scope: owned in your subtree, co-organised by your body, or yours by duty',
      tags,
      querystring: listCompetitionsQuery,
      response: { 200: pageOf(competitionSchema), ...commonErrors },
    },
    handler: async (req) => listCompetitions(app.db, requireStaff(req), req.query),
  });

  app.post('/competitions', {
    schema: {
      operationId: 'createCompetition',
      summary: 'Create a competition (it starts in draft)',
      tags,
      body: createCompetitionBody,
      response: { 201: competitionSchema, ...commonErrors },
    },
    handler: async (req, reply) => {
      const competition = createCompetition(app.db, requireStaff(req, ...EDITORS), req.body);
      return reply.status(201).send(competition);
    },
  });

  app.get('/competitions/:id', {
    schema: {
      operationId: 'getCompetition',
      summary: 'Get one competition with its event and entry counts',
      tags,
      params: idParams,
      response: { 200: competitionSchema, ...commonErrors },
    },
    handler: async (req) => {
      const { row, counts } = getCompetitionInScope(app.db, requireStaff(req), req.params.id);
      return loadCompetition(app.db, row, counts);
    },
  });

  app.patch('/competitions/:id', {
    schema: {
      operationId: 'updateCompetition',
      summary: 'Change a competition’s details',
      tags,
      params: idParams,
      body: updateCompetitionBody,
      response: { 200: competitionSchema, ...commonErrors },
    },
    handler: async (req) => updateCompetition(app.db, requireStaff(req, ...EDITORS), req.params.id, req.body),
  });

  app.post('/competitions/:id/status', {
    schema: {
      operationId: 'changeCompetitionStatus',
      summary: 'Move a competition one step forward: draft → registration → running → marking_closed → results_published → final',
      tags,
      params: idParams,
      body: changeCompetitionStatusBody,
      response: { 200: competitionSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => changeCompetitionStatus(app.db, requireStaff(req, ...EDITORS), req.params.id, req.body.status),
  });

  app.delete('/competitions/:id', {
    schema: {
      operationId: 'deleteCompetition',
      summary: 'Delete a draft competition and its events',
      tags,
      params: idParams,
      response: { 200: okSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      deleteCompetition(app.db, requireStaff(req, ...EDITORS), req.params.id);
      return { ok: true as const };
    },
  });
};

export default competitionsRoutes;
