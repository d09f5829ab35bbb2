import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { competitions, entries, events, organisations, people, prizes } from '../../../db/schema.ts';
import { idParams, problemSchema } from '../../contracts/common.ts';
import { notFound } from '../../errors.ts';

const awardCertificateSchema = z
  .object({
    prizeId: z.int(),
    label: z.string(),
    tier: z.int(),
    rank: z.int().nullable(),
    name: z.string().nullable().describe('The winner; null for a team prize'),
    delegation: z.string().nullable(),
    eventName: z.string(),
    occupationName: z.string(),
    competitionId: z.int(),
    competitionName: z.string(),
    grade: z.enum(['A', 'B', 'C']),
    year: z.int(),
    organisers: z.array(z.string()),
    releasedAt: z.string(),
  })
  .meta({ id: 'AwardCertificate' });

const prizesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/public/prizes/:id', {
    schema: {
      operationId: 'getAwardCertificate',
      summary: 'What an award certificate (获奖证书) shows; public once the results are released',
      tags: ['prizes'],
      security: [],
      params: idParams,
      response: { 200: awardCertificateSchema, 404: problemSchema },
    },
    handler: async (req) => {
      const row = app.db
        .select({ prize: prizes, event: events, competition: competitions })
        .from(prizes)
        .innerJoin(events, eq(events.id, prizes.eventId))
        .innerJoin(competitions, eq(competitions.id, events.competitionId))
        .where(eq(prizes.id, req.params.id))
        .get();
      if (!row || !row.event.releasedAt) throw notFound('Prize');
      const winner = row.prize.entryId
        ? app.db
            .select({ name: people.name, delegation: organisations.name })
            .from(entries)
            .innerJoin(people, eq(people.id, entries.personId))
            .leftJoin(organisations, eq(organisations.id, entries.delegationId))
            .where(eq(entries.id, row.prize.entryId))
            .get()
        : undefined;
      const team = row.prize.delegationId
        ? app.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, row.prize.delegationId)).get()
        : undefined;
      return {
        prizeId: row.prize.id,
        label: row.prize.label,
        tier: row.prize.tier,
        rank: row.prize.rank,
        name: winner?.name ?? null,
        delegation: winner?.delegation ?? team?.name ?? null,
        eventName: row.event.name,
        occupationName: row.event.occupationName,
        competitionId: row.competition.id,
        competitionName: row.competition.name,
        grade: row.competition.grade,
        year: row.competition.year,
        organisers: row.competition.organisers,
        releasedAt: row.event.releasedAt.toISOString(),
      };
    },
  });
};

export default prizesRoutes;
