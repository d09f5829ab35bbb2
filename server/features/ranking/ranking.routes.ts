import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { competitions, events } from '../../../db/schema.ts';
import { commonErrors, decimalId, idParams, problemSchema } from '../../contracts/common.ts';
import { eventRankingSchema, liveRowSchema, staffRowSchema } from '../../contracts/ranking.ts';
import { writeStreamHead } from '../../plugins/live-transport.ts';
import { authorizeEvent } from '../event-access.ts';
import { seesIdentities } from '../scope.ts';
import { publishedResults } from './published-results.ts';
import { competitionChannel, eventChannel } from './ranking.service.ts';

const roundQuery = z.object({ roundId: decimalId.optional() });
const sseResponse = {
  200: z.string().describe('text/event-stream: `snapshot` (the whole ranking) then `ranking` (changed rows) messages'),
  404: problemSchema,
  503: problemSchema, // live_capacity, with Retry-After
};

const rankingRoutes: FastifyPluginAsyncZod = async (app) => {
  /**
   * Streams a channel. A reconnecting client sends `Last-Event-ID` and gets exactly the messages
   * it missed, or a fresh snapshot when they are no longer buffered. A client that stops reading
   * is cut off (server/plugins/live.plugin.ts) and catches up the same way when it reconnects.
   */
  function stream(req: FastifyRequest, reply: FastifyReply, channel: string, snapshot: () => unknown) {
    app.live.checkCapacity(); // 503 before the stream opens
    const lastEventId = req.headers['last-event-id'];
    reply.hijack();
    const res = reply.raw;
    writeStreamHead(res);
    app.live.subscribe(channel, res, typeof lastEventId === 'string' ? lastEventId : undefined, snapshot);
  }

  app.get('/public/events/:id/ranking', {
    schema: {
      operationId: 'getPublicEventRanking',
      summary: 'Live ranking of an event by drawn number (names only after release); no sign-in',
      tags: ['rankings'],
      security: [],
      params: idParams,
      querystring: roundQuery,
      response: { 200: eventRankingSchema, 404: problemSchema },
    },
    handler: async (req) => app.rankings.eventRanking(req.params.id, req.query.roundId),
  });

  app.get('/public/events/:id/live', {
    schema: {
      operationId: 'streamEventRanking',
      summary: 'Server-Sent Events: the event’s ranking as marks arrive (resumes with Last-Event-ID)',
      tags: ['rankings'],
      security: [],
      params: idParams,
      response: sseResponse,
    },
    handler: async (req, reply) => {
      app.rankings.eventRanking(req.params.id); // 404 before the stream opens
      // Made again when due: with Redis it is labelled with a stream id fetched first, and must hold every message up to it.
      stream(req, reply, eventChannel(req.params.id), () => app.rankings.eventRanking(req.params.id));
    },
  });

  app.get('/public/competitions/:id/ranking', {
    schema: {
      operationId: 'getPublicCompetitionRanking',
      summary: 'Live rankings of all events of a competition; no sign-in',
      tags: ['rankings'],
      security: [],
      params: idParams,
      response: {
        200: z.object({ competitionId: z.int(), name: z.string(), events: z.array(eventRankingSchema) }),
        404: problemSchema,
      },
    },
    handler: async (req) => app.rankings.competitionRanking(req.params.id),
  });

  app.get('/public/competitions/:id/live', {
    schema: {
      operationId: 'streamCompetitionRanking',
      summary: 'Server-Sent Events: every event’s ranking in a competition (resumes with Last-Event-ID)',
      tags: ['rankings'],
      security: [],
      params: idParams,
      response: sseResponse,
    },
    handler: async (req, reply) => {
      app.rankings.competitionRanking(req.params.id); // 404 before the stream opens
      stream(req, reply, competitionChannel(req.params.id), () => app.rankings.competitionRanking(req.params.id));
    },
  });

  app.get('/events/:id/ranking', {
    schema: {
      operationId: 'getEventRanking',
      summary: 'Full ranking with part details (staff in scope, chief judge, supervisor); names before release only for organisers and the encryption officer',
      tags: ['rankings'],
      params: idParams,
      querystring: roundQuery,
      response: { 200: eventRankingSchema.extend({ staffRows: z.array(staffRowSchema) }), ...commonErrors },
    },
    handler: async (req) => {
      const { competition, actor } = authorizeEvent(app, req, req.params.id, {
        staff: ['admin', 'organiser', 'hr_officer', 'viewer'],
        judge: ['chief', 'supervisor'],
      });
      return app.rankings.staffRanking(req.params.id, req.query.roundId, { identities: seesIdentities(app.db, actor, competition.id) });
    },
  });

  app.get('/public/competitions', {
    schema: {
      operationId: 'listPublicCompetitions',
      summary: 'Competitions under way or finished (not drafts), for venue screens; no sign-in',
      tags: ['rankings'],
      security: [],
      response: {
        200: z.array(z.object({ id: z.int(), name: z.string(), grade: z.enum(['A', 'B', 'C']), year: z.int(), status: z.string() })),
      },
    },
    handler: async () =>
      app.db
        .select({ id: competitions.id, name: competitions.name, grade: competitions.grade, year: competitions.year, status: competitions.status })
        .from(competitions)
        .where(inArray(competitions.status, ['running', 'marking_closed', 'results_published', 'final']))
        .orderBy(desc(competitions.year), desc(competitions.id))
        .all(),
  });

  app.get('/public/results', {
    schema: {
      operationId: 'listPublishedCompetitions',
      summary: 'Competitions with released results; no sign-in',
      tags: ['public results'],
      security: [],
      response: {
        200: z.array(z.object({ id: z.int(), name: z.string(), grade: z.enum(['A', 'B', 'C']), year: z.int(), status: z.string() })),
      },
    },
    handler: async () =>
      app.db
        .selectDistinct({ id: competitions.id, name: competitions.name, grade: competitions.grade, year: competitions.year, status: competitions.status })
        .from(competitions)
        .innerJoin(events, and(eq(events.competitionId, competitions.id), isNotNull(events.releasedAt)))
        .orderBy(desc(competitions.year), desc(competitions.id))
        .all(),
  });

  app.get('/public/competitions/:id/results', {
    schema: {
      operationId: 'getPublishedResults',
      summary: 'Released results of a competition: names, masked ID numbers, delegations, scores; no sign-in',
      tags: ['public results'],
      security: [],
      params: idParams,
      response: {
        200: z.object({
          competitionId: z.int(),
          name: z.string(),
          grade: z.enum(['A', 'B', 'C']),
          year: z.int(),
          organisers: z.array(z.string()),
          hosts: z.array(z.string()),
          events: z.array(
            z.object({
              eventId: z.int(),
              eventName: z.string(),
              releasedAt: z.string(),
              publicityEndsAt: z.string().nullable(),
              final: z.boolean(),
              parts: eventRankingSchema.shape.parts,
              rows: z.array(
                liveRowSchema.extend({
                  name: z.string(),
                  idNumberMasked: z.string(),
                  /** The published reason of a disqualification (取消资格); the staff-only status note is never here. */
                  disqualifiedReason: z.string().nullable(),
                  /** A team or pair entry's members (ID numbers masked); `name` is the team's. Empty for an individual. */
                  members: z.array(z.object({ name: z.string(), idNumberMasked: z.string(), captain: z.boolean() })),
                  prize: z
                    .object({ id: z.int(), label: z.string(), tier: z.int(), certificateNumber: z.string().describe('Printed on the award certificate (JS2027-0003-000042)') })
                    .nullable(),
                }),
              ),
              teams: eventRankingSchema.shape.teams,
            }),
          ),
        }),
        404: problemSchema,
      },
    },
    handler: async (req) => publishedResults(app, req.params.id),
  });
};

export default rankingRoutes;
