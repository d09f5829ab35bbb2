import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { events, rounds } from '../../../db/schema.ts';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { eventStandingsSchema, publicCompetitionStandingsSchema, setTeamStandingBody, teamStandingSchema } from '../../contracts/standings.ts';
import { notFound } from '../../errors.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { authorizeEvent } from '../event-access.ts';
import { seesIdentities } from '../scope.ts';
import { eventStandings, setTeamStanding, staffTeamStanding, teamStanding } from './standings.service.ts';

const tags = ['standings'];

const standingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/events/:id/standings', {
    schema: {
      operationId: 'getEventStandings',
      summary: 'Each round’s own placement beside the carried standing, and the final standings of everyone (finalists first)',
      description:
        'Round winners (on the round’s own total) and standing leaders (with what earlier rounds carry) by drawn number; the final standings list the finalists by the final, then those eliminated in earlier rounds by their last round’s standing. Names before release only for organisers, administrators and the encryption officer.',
      tags,
      params: idParams,
      response: { 200: eventStandingsSchema, ...commonErrors },
    },
    handler: async (req) => {
      const { event, competition, actor } = authorizeEvent(app, req, req.params.id, {
        staff: ['admin', 'organiser', 'hr_officer', 'viewer'],
        judge: ['chief', 'supervisor'],
      });
      return eventStandings(app, event, event.releasedAt != null || seesIdentities(app.db, actor, competition.id));
    },
  });

  app.get('/public/events/:id/standings', {
    schema: {
      operationId: 'getPublicEventStandings',
      summary: 'Released results: each round’s placement and the final standings of everyone; no sign-in (404 before release)',
      tags,
      security: [],
      params: idParams,
      response: { 200: eventStandingsSchema, 404: problemSchema },
    },
    handler: async (req) => {
      const event = app.db.select().from(events).where(eq(events.id, req.params.id)).get();
      // Before release the public has the live ranking by number; standings name people.
      if (!event || !event.releasedAt) throw notFound('Published results');
      return eventStandings(app, event, true);
    },
  });

  app.get('/public/competitions/:id/standings', {
    schema: {
      operationId: 'getPublicCompetitionStandings',
      summary: 'Released events of more than one round with their final standings, and the team standing over released events; no sign-in',
      tags,
      security: [],
      params: idParams,
      response: { 200: publicCompetitionStandingsSchema, 404: problemSchema },
    },
    handler: async (req) => {
      const released = app.db
        .select()
        .from(events)
        .where(and(eq(events.competitionId, req.params.id), isNotNull(events.releasedAt)))
        .orderBy(asc(events.id))
        .all();
      if (released.length === 0) throw notFound('Published results');
      const multiRound = released.filter((e) => app.db.select({ id: rounds.id }).from(rounds).where(eq(rounds.eventId, e.id)).all().length > 1);
      return {
        competitionId: req.params.id,
        events: multiRound.map((e) => eventStandings(app, e, true)),
        teamStanding: teamStanding(app, req.params.id, { releasedOnly: true }),
      };
    },
  });

  app.get('/competitions/:id/team-standing', {
    schema: {
      operationId: 'getCompetitionTeamStanding',
      summary: 'The competition’s team standing (团体总分) by placing points over its chosen events, as it stands now',
      tags,
      params: idParams,
      response: { 200: teamStandingSchema, ...commonErrors },
    },
    handler: async (req) => staffTeamStanding(app, requireStaff(req, 'admin', 'organiser', 'hr_officer', 'viewer'), req.params.id),
  });

  app.put('/competitions/:id/team-standing', {
    schema: {
      operationId: 'setCompetitionTeamStanding',
      summary: 'Choose the competition’s team standing: a placing-points table, how many entries of a delegation count per event, and the events (null removes it)',
      description:
        'Each ranked entry earns the points of its place in each event (shared places share the points of the places they cover); a delegation’s best `bestN` entries per event count; the standing sums the events. Audited.',
      tags,
      params: idParams,
      body: setTeamStandingBody,
      response: { 200: teamStandingSchema, ...commonErrors },
    },
    handler: async (req) => setTeamStanding(app, requireStaff(req, 'admin', 'organiser'), req.params.id, req.body.setting),
  });
};

export default standingsRoutes;
