import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors, idParams, okSchema, pageOf, problemSchema } from '../../contracts/common.ts';
import {
  changeCompetitionStatusBody,
  competitionSchema,
  createCompetitionBody,
  listCompetitionsQuery,
  updateCompetitionBody,
} from '../../contracts/competitions.ts';
import { requireStaff, type StaffRole } from '../../plugins/auth.plugin.ts';
import {
  changeCompetitionStatus,
  createCompetition,
  deleteCompetition,
  getCompetitionInScope,
  listCompetitions,
  presentCompetition,
  updateCompetition,
} from './competitions.service.ts';

const tags = ['competitions'];
const EDITORS: StaffRole[] = ['admin', 'organiser'];

/** Competitions: admins and organisers run them within their subtree; every staff role reads. */
const competitionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/competitions', {
    schema: {
      operationId: 'listCompetitions',
      summary: 'List competitions owned in your subtree',
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
      return presentCompetition(row, counts);
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
