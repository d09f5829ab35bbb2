import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, okSchema, problemSchema } from '../../contracts/common.ts';
import {
  addEventJudgeBody,
  createJudgeBody,
  eventJudgeParams,
  eventJudgeSchema,
  issueCodesBody,
  issuedCodesSchema,
  judgeCodeSchema,
  judgeSchema,
  panelGridSchema,
  panelsQuery,
  setPanelsBody,
  updateAssignmentBody,
  updateJudgeBody,
} from '../../contracts/judges.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { issueCodes, issueJudgeCode, revokeJudgeCode } from './judge-codes.service.ts';
import {
  addEventJudge,
  createJudge,
  deleteJudge,
  getJudge,
  listCompetitionJudges,
  listEventJudges,
  removeAssignment,
  updateAssignment,
  updateJudge,
} from './judges.service.ts';
import { getPanelGrid, setPanels } from './panels.service.ts';

const tags = ['judges'];
/** Who sets up judges and panels: other staff in scope, and the event's chief judge, may only read them. */
const MANAGERS = ['admin', 'organiser'] as const;
const errors = { ...commonErrors, 409: problemSchema };

const judgesRoutes: FastifyPluginAsyncZod = async (app) => {
  // ---- The competition's judges: one person, one code, several events ----

  app.get('/competitions/:id/judges', {
    schema: {
      operationId: 'listCompetitionJudges',
      summary: "A competition's judges, each with the events they sit on and their role in each (staff in scope)",
      tags,
      params: idParams,
      response: { 200: z.array(judgeSchema), ...commonErrors },
    },
    handler: async (req) => listCompetitionJudges(app, requireStaff(req), req.params.id),
  });

  app.post('/competitions/:id/judges', {
    schema: {
      operationId: 'createJudge',
      summary: 'Add a judge to the competition, optionally on events straight away (one chief judge per event)',
      tags,
      params: idParams,
      body: createJudgeBody,
      response: { 201: judgeSchema, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(createJudge(app, requireStaff(req, ...MANAGERS), req.params.id, req.body)),
  });

  app.get('/judges/:id', {
    schema: {
      operationId: 'getJudge',
      summary: 'One judge with their events (staff in scope, or the chief judge of an event they sit on)',
      tags,
      params: idParams,
      response: { 200: judgeSchema, ...commonErrors },
    },
    handler: async (req) => getJudge(app, req.actor, req.params.id),
  });

  app.patch('/judges/:id', {
    schema: {
      operationId: 'updateJudge',
      summary: "Change a judge's name or employer (recusals follow the employer)",
      tags,
      params: idParams,
      body: updateJudgeBody,
      response: { 200: judgeSchema, ...errors },
    },
    handler: async (req) => updateJudge(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.delete('/judges/:id', {
    schema: {
      operationId: 'deleteJudge',
      summary: 'Remove a judge who has not marked from the competition (and every panel)',
      tags,
      params: idParams,
      response: { 200: okSchema, ...errors },
    },
    handler: async (req) => {
      deleteJudge(app, requireStaff(req, ...MANAGERS), req.params.id);
      return { ok: true as const };
    },
  });

  // ---- One event's panel: who sits on it and in which role ----

  app.get('/events/:id/judges', {
    schema: {
      operationId: 'listEventJudges',
      summary: "The judges sitting on an event, with their role there (staff in scope, or the event's chief judge)",
      tags,
      params: idParams,
      response: { 200: z.array(eventJudgeSchema), ...commonErrors },
    },
    handler: async (req) => listEventJudges(app, req.actor, req.params.id),
  });

  app.post('/events/:id/judges', {
    schema: {
      operationId: 'addEventJudge',
      summary: 'Put a judge on the event in a role: a judge of the competition (judgeId) or a new one (name, employer)',
      tags,
      params: idParams,
      body: addEventJudgeBody,
      response: { 201: eventJudgeSchema, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(addEventJudge(app, requireStaff(req, ...MANAGERS), req.params.id, req.body)),
  });

  app.patch('/events/:id/judges/:judgeId', {
    schema: {
      operationId: 'updateEventJudgeRole',
      summary: "Change a judge's role in one event (chief, judge, supervisor, scorer)",
      tags,
      params: eventJudgeParams,
      body: updateAssignmentBody,
      response: { 200: eventJudgeSchema, ...errors },
    },
    handler: async (req) => updateAssignment(app, requireStaff(req, ...MANAGERS), req.params.id, req.params.judgeId, req.body.role),
  });

  app.delete('/events/:id/judges/:judgeId', {
    schema: {
      operationId: 'removeEventJudge',
      summary: 'Take a judge who has not worked there off an event (they stay a judge of the competition)',
      tags,
      params: eventJudgeParams,
      response: { 200: okSchema, ...errors },
    },
    handler: async (req) => {
      removeAssignment(app, requireStaff(req, ...MANAGERS), req.params.id, req.params.judgeId);
      return { ok: true as const };
    },
  });

  // ---- Panels per round and part ----

  app.get('/events/:id/panels', {
    schema: {
      operationId: 'getPanels',
      summary: 'Who marks which part (or criterion) in a round, with each panel’s size',
      description: 'Staff in scope, or the event’s chief judge or supervisor.',
      tags,
      params: idParams,
      querystring: panelsQuery,
      response: { 200: panelGridSchema, ...commonErrors },
    },
    handler: async (req) => getPanelGrid(app, req, req.params.id, req.query.roundId),
  });

  app.put('/rounds/:id/panels', {
    schema: {
      operationId: 'setPanels',
      summary: 'Seat the panels of a round: each listed part (or criterion) gets exactly the judges given',
      description:
        "A panel's size is its part's expected number of marks. Admins and organisers in scope, or the event's chief judge. A judge who has marked a part in the round keeps their seat on it.",
      tags,
      params: idParams,
      body: setPanelsBody,
      response: { 200: panelGridSchema, ...errors },
    },
    handler: async (req) => setPanels(app, req, req.params.id, req.body),
  });

  // ---- Sign-in codes ----

  app.post('/judges/:id/code', {
    schema: {
      operationId: 'issueJudgeCode',
      summary: 'Issue a new sign-in code (shown only this once); the old one stops working',
      description: "Admins and organisers in scope, or the chief judge of an event the judge sits on (never for themself).",
      tags,
      params: idParams,
      response: { 200: judgeCodeSchema, ...errors },
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

  app.post('/events/:id/judge-codes', {
    schema: {
      operationId: 'issueEventJudgeCodes',
      summary: "Issue the codes of an event's whole panel at once, with a printable slip per judge (shown only this once)",
      description: "Admins and organisers in scope, or the event's chief judge (whose own code is left alone). Reissuing ends a judge's old code and sessions.",
      tags,
      params: idParams,
      body: issueCodesBody,
      response: { 200: issuedCodesSchema, ...errors },
    },
    handler: async (req, reply) =>
      reply.header('cache-control', 'no-store').send(issueCodes(app, req.actor, { kind: 'event', eventId: req.params.id }, req.body ?? { onlyMissing: false })),
  });

  app.post('/competitions/:id/judge-codes', {
    schema: {
      operationId: 'issueCompetitionJudgeCodes',
      summary: "Issue the codes of a competition's judges at once, with a printable slip per judge (shown only this once)",
      description: 'Admins and organisers in scope. Reissuing ends a judge’s old code and sessions.',
      tags,
      params: idParams,
      body: issueCodesBody,
      response: { 200: issuedCodesSchema, ...errors },
    },
    handler: async (req, reply) =>
      reply.header('cache-control', 'no-store').send(issueCodes(app, req.actor, { kind: 'competition', competitionId: req.params.id }, req.body ?? { onlyMissing: false })),
  });
};

export default judgesRoutes;
