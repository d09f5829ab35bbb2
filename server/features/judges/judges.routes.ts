import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, okSchema, problemSchema } from '../../contracts/common.ts';
import { createJudgeBody, judgeCodeSchema, judgeSchema, updateJudgeBody } from '../../contracts/judges.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { issueJudgeCode, revokeJudgeCode } from './judge-codes.service.ts';
import { createJudge, deleteJudge, getJudge, listJudges, updateJudge } from './judges.service.ts';

const tags = ['judges'];
/** Who sets up the panel: other staff in scope, and the event's chief judge, may only read it. */
const MANAGERS = ['admin', 'organiser'] as const;

const judgesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/events/:id/judges', {
    schema: {
      operationId: 'listJudges',
      summary: "List an event's panel (staff in scope, or the event's chief judge)",
      tags,
      params: idParams,
      response: { 200: z.array(judgeSchema), ...commonErrors },
    },
    handler: async (req) => listJudges(app.db, req.actor, req.params.id),
  });

  app.post('/events/:id/judges', {
    schema: {
      operationId: 'createJudge',
      summary: 'Add a judge, chief judge or supervisor to the panel',
      tags,
      params: idParams,
      body: createJudgeBody,
      response: { 201: judgeSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req, reply) => {
      const judge = createJudge(app.db, requireStaff(req, ...MANAGERS), req.params.id, req.body);
      return reply.status(201).send(judge);
    },
  });

  app.get('/judges/:id', {
    schema: {
      operationId: 'getJudge',
      summary: 'Get one panel member',
      tags,
      params: idParams,
      response: { 200: judgeSchema, ...commonErrors },
    },
    handler: async (req) => getJudge(app.db, req.actor, req.params.id),
  });

  app.patch('/judges/:id', {
    schema: {
      operationId: 'updateJudge',
      summary: "Change a panel member's name, employer or role",
      tags,
      params: idParams,
      body: updateJudgeBody,
      response: { 200: judgeSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => updateJudge(app.db, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.delete('/judges/:id', {
    schema: {
      operationId: 'deleteJudge',
      summary: 'Remove a panel member who has not marked',
      tags,
      params: idParams,
      response: { 200: okSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      deleteJudge(app.db, requireStaff(req, ...MANAGERS), req.params.id);
      return { ok: true as const };
    },
  });

  app.post('/judges/:id/code', {
    schema: {
      operationId: 'issueJudgeCode',
      summary: 'Issue a new sign-in code (shown only this once); the old one stops working',
      description: "Admins and organisers in scope, or the event's chief judge for another panel member.",
      tags,
      params: idParams,
      response: { 200: judgeCodeSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req, reply) => {
      const code = issueJudgeCode(app, req.actor, req.params.id);
      // A secret: no proxy or browser cache may keep it.
      return reply.header('cache-control', 'no-store').send(code);
    },
  });

  app.delete('/judges/:id/code', {
    schema: {
      operationId: 'revokeJudgeCode',
      summary: "Revoke a judge's sign-in code and end their sessions",
      tags,
      params: idParams,
      response: { 200: okSchema, ...commonErrors },
    },
    handler: async (req) => {
      revokeJudgeCode(app, req.actor, req.params.id);
      return { ok: true as const };
    },
  });
};

export default judgesRoutes;
