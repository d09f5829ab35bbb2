import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, okSchema, pageOf, problemSchema } from '../../contracts/common.ts';
import {
  createEventBody,
  createRoundBody,
  eventSchema,
  listEventsQuery,
  roundSchema,
  updateEventBody,
  updateRoundBody,
} from '../../contracts/events.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { createEvent, deleteEvent, getEvent, listEvents, updateEvent } from './events.service.ts';
import { createRound, deleteRound, listRounds, updateRound } from './rounds.service.ts';

const tags = ['events'];
/** Who sets up events: everyone else in scope may only read. */
const MANAGERS = ['admin', 'organiser'] as const;

const eventsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/competitions/:id/events', {
    schema: {
      operationId: 'listEvents',
      summary: "List a competition's events (赛项)",
      tags,
      params: idParams,
      querystring: listEventsQuery,
      response: { 200: pageOf(eventSchema), ...commonErrors },
    },
    handler: async (req) => listEvents(app.db, requireStaff(req), req.params.id, req.query),
  });

  app.post('/competitions/:id/events', {
    schema: {
      operationId: 'createEvent',
      summary: 'Create an event with its scoring scheme and rounds (one final by default)',
      tags,
      params: idParams,
      body: createEventBody,
      response: { 201: eventSchema, ...commonErrors },
    },
    handler: async (req, reply) => {
      const event = createEvent(app.db, requireStaff(req, ...MANAGERS), req.params.id, req.body);
      return reply.status(201).send(event);
    },
  });

  app.get('/events/:id', {
    schema: {
      operationId: 'getEvent',
      summary: 'Get one event with its rounds and entrant count',
      tags,
      params: idParams,
      response: { 200: eventSchema, ...commonErrors },
    },
    handler: async (req) => getEvent(app.db, requireStaff(req), req.params.id),
  });

  app.patch('/events/:id', {
    schema: {
      operationId: 'updateEvent',
      summary: 'Change an event (the scheme only until the first mark)',
      tags,
      params: idParams,
      body: updateEventBody,
      response: { 200: eventSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => updateEvent(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.delete('/events/:id', {
    schema: {
      operationId: 'deleteEvent',
      summary: 'Delete an event that has no marks',
      tags,
      params: idParams,
      response: { 200: okSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      deleteEvent(app, requireStaff(req, ...MANAGERS), req.params.id);
      return { ok: true as const };
    },
  });

  app.get('/events/:id/rounds', {
    schema: {
      operationId: 'listRounds',
      summary: "List an event's rounds in order",
      tags,
      params: idParams,
      response: { 200: z.array(roundSchema), ...commonErrors },
    },
    handler: async (req) => listRounds(app.db, requireStaff(req), req.params.id),
  });

  app.post('/events/:id/rounds', {
    schema: {
      operationId: 'createRound',
      summary: 'Add a round after the existing ones',
      tags,
      params: idParams,
      body: createRoundBody,
      response: { 201: roundSchema, ...commonErrors },
    },
    handler: async (req, reply) => {
      const round = createRound(app, requireStaff(req, ...MANAGERS), req.params.id, req.body);
      return reply.status(201).send(round);
    },
  });

  app.patch('/rounds/:id', {
    schema: {
      operationId: 'updateRound',
      summary: 'Change a round (name, kind, carry-over, advancement)',
      tags,
      params: idParams,
      body: updateRoundBody,
      response: { 200: roundSchema, ...commonErrors },
    },
    handler: async (req) => updateRound(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.delete('/rounds/:id', {
    schema: {
      operationId: 'deleteRound',
      summary: 'Delete an empty round (no marks, no entries); an event keeps at least one',
      tags,
      params: idParams,
      response: { 200: okSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      deleteRound(app, requireStaff(req, ...MANAGERS), req.params.id);
      return { ok: true as const };
    },
  });
};

export default eventsRoutes;
