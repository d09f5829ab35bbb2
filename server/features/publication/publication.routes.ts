import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import {
  appealSchema,
  awardsOverrideBody,
  checkBody,
  decideAppealBody,
  lodgeAppealBody,
  publicationSchema,
  recheckListSchema,
} from '../../contracts/publication.ts';
import { authorizeEvent } from '../event-access.ts';
import { appealWindow, decideAppeal, finaliseResults, listAppeals, lodgeAppeal, markingClosedAt } from './appeals.service.ts';
import { awardsGate, overrideAwardsGate } from './awards-gate.ts';
import { checkResult, drawRechecks, listRechecks } from './rechecks.service.ts';

const errors = { ...commonErrors, 409: problemSchema };
const READERS = { staff: ['admin' as const, 'organiser' as const, 'hr_officer' as const, 'viewer' as const], judge: ['chief' as const, 'supervisor' as const] };

const publicationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/events/:id/rechecks', {
    schema: {
      operationId: 'listRechecks',
      summary: 'The results check: top-10 results and the drawn 15 % sample, with what is checked',
      tags: ['publication'],
      params: idParams,
      response: { 200: recheckListSchema, ...commonErrors },
    },
    handler: async (req) => listRechecks(app, req, req.params.id),
  });

  app.post('/events/:id/rechecks/draw', {
    schema: {
      operationId: 'drawRechecks',
      summary: 'Draw the results check once marking is closed (top 10 + random 15 % of the rest, recorded)',
      tags: ['publication'],
      params: idParams,
      response: { 200: recheckListSchema, ...errors },
    },
    handler: async (req) => drawRechecks(app, req, req.params.id),
  });

  app.post('/rechecks/:id/check', {
    schema: {
      operationId: 'checkResult',
      summary: 'The chief judge confirms one result as rechecked',
      tags: ['publication'],
      params: idParams,
      body: checkBody,
      response: { 200: recheckListSchema, ...errors },
    },
    handler: async (req) => checkResult(app, req, req.params.id, req.body.note),
  });

  app.get('/events/:id/appeals', {
    schema: {
      operationId: 'listAppeals',
      summary: 'Appeals against an event’s results',
      tags: ['publication'],
      params: idParams,
      response: { 200: z.array(appealSchema), ...commonErrors },
    },
    handler: async (req) => listAppeals(app, req, req.params.id),
  });

  app.post('/events/:id/appeals', {
    schema: {
      operationId: 'lodgeAppeal',
      summary: 'Record an appeal (申诉) lodged in writing within the competition’s window (by default the publicity period)',
      tags: ['publication'],
      params: idParams,
      body: lodgeAppealBody,
      response: { 201: appealSchema, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(lodgeAppeal(app, req, req.params.id, req.body)),
  });

  app.post('/appeals/:id/decision', {
    schema: {
      operationId: 'decideAppeal',
      summary: 'The supervision group’s ruling: upheld (with the marks it changes) or dismissed; final',
      tags: ['publication'],
      params: idParams,
      body: decideAppealBody,
      response: { 200: appealSchema, ...errors },
    },
    handler: async (req) => decideAppeal(app, req, req.params.id, req.body),
  });

  app.get('/events/:id/publication', {
    schema: {
      operationId: 'getPublication',
      summary: 'Where an event’s results stand: marking, awaiting release, publicity period or final',
      tags: ['publication'],
      params: idParams,
      response: { 200: publicationSchema, ...commonErrors },
    },
    handler: async (req) => {
      const { event, competition } = authorizeEvent(app, req, req.params.id, READERS);
      const now = app.clock.now();
      const closed = markingClosedAt(app, event.id);
      const stage = event.finalAt ? 'final' : event.releasedAt ? 'publicity' : closed ? 'awaiting_release' : 'marking';
      const window = appealWindow(app, event, competition);
      const gate = awardsGate(app, event, now);
      return {
        eventId: event.id,
        stage: stage as 'marking' | 'awaiting_release' | 'publicity' | 'final',
        releasedAt: event.releasedAt?.toISOString() ?? null,
        publicityEndsAt: event.publicityEndsAt?.toISOString() ?? null,
        finalAt: event.finalAt?.toISOString() ?? null,
        markingClosedAt: closed?.toISOString() ?? null,
        appealRule: competition.appealRule,
        appealsOpenAt: window?.opensAt.toISOString() ?? null,
        appealsCloseAt: window?.closesAt.toISOString() ?? null,
        appealsOpen: !event.finalAt && !!window && now >= window.opensAt && now <= window.closesAt,
        openAppeals: gate.openAppeals,
        awardsAllowed: gate.allowed,
        awardsBlockedBy: gate.blockedBy,
        awardsOverride: gate.override,
      };
    },
  });

  app.post('/events/:id/awards-override', {
    schema: {
      operationId: 'overrideAwardsGate',
      summary: 'An organiser allows prizes and titles before the publicity period ends (or with an appeal waiting), with the reason; audited',
      tags: ['publication'],
      params: idParams,
      body: awardsOverrideBody,
      response: {
        200: z.object({
          allowed: z.boolean(),
          blockedBy: z.enum(['not_released', 'publicity_running', 'appeals_open']).nullable(),
          openAppeals: z.int(),
          override: z.object({ reason: z.string(), at: z.string(), by: z.string() }).nullable(),
        }),
        ...errors,
      },
    },
    handler: async (req) => overrideAwardsGate(app, req, req.params.id, req.body.reason),
  });

  app.post('/events/:id/finalise', {
    schema: {
      operationId: 'finaliseResults',
      summary: 'Make results final after the publicity period, when no appeal is waiting',
      tags: ['publication'],
      params: idParams,
      response: { 200: z.object({ eventId: z.int(), finalAt: z.string() }), ...errors },
    },
    handler: async (req) => ({ eventId: req.params.id, finalAt: finaliseResults(app, req, req.params.id).toISOString() }),
  });
};

export default publicationRoutes;
