import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { competitions, entries, events, organisations, people, prizes } from '../../../db/schema.ts';
import { prizeRuleSchema } from '../../contracts/awards.ts';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { prizeCertificateNumber } from '../../domain/awards/index.ts';
import { notFound } from '../../errors.ts';
import { awardPrizes, listPrizes, previewPrizes, setPrizeRule } from './prizes.service.ts';
import { entryDisplayName, membersOfEntries } from '../entries/members.ts';

const awardCertificateSchema = z
  .object({
    prizeId: z.int(),
    label: z.string(),
    tier: z.int(),
    rank: z.int().nullable(),
    name: z.string().nullable().describe('The winner (a team entry’s name, or "甲、乙" for a pair); null for a delegation’s prize'),
    /** A team or pair entry's members, in order (the certificate names them under the team); empty otherwise. */
    members: z.array(z.string()),
    delegation: z.string().nullable(),
    eventName: z.string(),
    occupationName: z.string().nullable().describe('Null for a contest that is not a trade'),
    competitionId: z.int(),
    competitionName: z.string(),
    grade: z.enum(['A', 'B', 'C']),
    year: z.int(),
    /** The issuing bodies (主办单位), each with a seal on the printed certificate. */
    organisers: z.array(z.string()),
    hosts: z.array(z.string()),
    releasedAt: z.string(),
    certificateNumber: z.string().describe('Listed beside the prize in the public results, so the paper can be checked'),
  })
  .meta({ id: 'AwardCertificate' });

const prizeRowSchema = z.object({
  id: z.int(),
  tier: z.int(),
  label: z.string(),
  moneyYuan: z.number(),
  rank: z.int().nullable(),
  entryId: z.int().nullable(),
  number: z.int().nullable(),
  name: z.string().nullable(),
  delegation: z.string().nullable(),
  /** Why the prize is lower than the place alone gives (a tier's minimum score); null otherwise. */
  note: z.string().nullable(),
});

const award = z.object({ rank: z.int(), tier: z.int(), label: z.string(), moneyYuan: z.number(), provisional: z.boolean(), tiedAtBoundary: z.boolean() });
const previewSchema = z.object({
  eventId: z.int(),
  rule: prizeRuleSchema,
  provisional: z.boolean(),
  rankedEntrants: z.int(),
  tiers: z.array(z.object({ tier: z.int(), label: z.string(), places: z.int(), awarded: z.int(), moneyYuan: z.number(), totalYuan: z.number() })),
  boundaryTies: z.array(z.object({ afterTier: z.int(), rank: z.int(), ids: z.array(z.int()), tier: z.int().nullable() })),
  totalYuan: z.number(),
  awards: z.array(
    award.extend({
      entryId: z.int(),
      number: z.int().nullable(),
      name: z.string(),
      delegation: z.string().nullable(),
      placeTier: z.int().nullable().describe('The tier the place alone gives; differs from `tier` when a minimum score moved the entrant down'),
      note: z.string().nullable().describe('Why a minimum score moved the entrant, in Chinese as stored with the prize'),
    }),
  ),
  lineChanges: z
    .array(
      z.object({
        entryId: z.int(),
        number: z.int().nullable(),
        name: z.string(),
        rank: z.int(),
        total: z.number().nullable(),
        placeTier: z.int().nullable(),
        tier: z.int().nullable().describe('null: no prize'),
        missed: z.array(z.object({ tier: z.int(), minScore: z.number() })).describe('The minimum scores the entrant is below; empty when others who fell took the places'),
        note: z.string(),
      }),
    )
    .describe('Everyone a tier’s minimum score moved, lower than the place gives or out of the prizes'),
  teamAwards: z.array(award.extend({ teamId: z.int(), delegation: z.string() })),
});
const errors = { ...commonErrors, 409: problemSchema };

const prizesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/events/:id/prizes/preview', {
    schema: {
      operationId: 'previewPrizes',
      summary: 'What the event’s prize rule gives on the current ranking (nothing stored)',
      tags: ['prizes'],
      params: idParams,
      response: { 200: previewSchema, ...commonErrors },
    },
    handler: async (req) => previewPrizes(app, req, req.params.id),
  });

  app.put('/events/:id/prize-rule', {
    schema: {
      operationId: 'setPrizeRule',
      summary: 'Set the event’s prize tiers: by share of entrants or by fixed counts, with money and the tie rule',
      tags: ['prizes'],
      params: idParams,
      body: prizeRuleSchema,
      response: { 200: prizeRuleSchema, ...errors },
    },
    handler: async (req) => setPrizeRule(app, req, req.params.id, req.body),
  });

  app.post('/events/:id/prizes', {
    schema: {
      operationId: 'awardPrizes',
      summary: 'Award the prizes on released results, audited; again after a change, prizes that stay with their holder keep their id and certificate number',
      tags: ['prizes'],
      params: idParams,
      response: { 200: z.array(prizeRowSchema), ...errors },
    },
    handler: async (req) => awardPrizes(app, req, req.params.id),
  });

  app.get('/events/:id/prizes', {
    schema: {
      operationId: 'listPrizes',
      summary: 'Prizes awarded in an event',
      tags: ['prizes'],
      params: idParams,
      response: { 200: z.array(prizeRowSchema), ...commonErrors },
    },
    handler: async (req) => listPrizes(app, req, req.params.id),
  });

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
            .select({ name: people.name, teamName: entries.teamName, delegation: organisations.name })
            .from(entries)
            .innerJoin(people, eq(people.id, entries.personId))
            .leftJoin(organisations, eq(organisations.id, entries.delegationId))
            .where(eq(entries.id, row.prize.entryId))
            .get()
        : undefined;
      const members = row.prize.entryId ? (membersOfEntries(app.db, [row.prize.entryId]).get(row.prize.entryId) ?? []) : [];
      const team = row.prize.delegationId
        ? app.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, row.prize.delegationId)).get()
        : undefined;
      return {
        prizeId: row.prize.id,
        label: row.prize.label,
        tier: row.prize.tier,
        rank: row.prize.rank,
        name: winner ? entryDisplayName(winner.name, winner.teamName, members) : null,
        members: members.map((m) => m.name),
        delegation: winner?.delegation ?? team?.name ?? null,
        eventName: row.event.name,
        occupationName: row.event.occupationName,
        competitionId: row.competition.id,
        competitionName: row.competition.name,
        grade: row.competition.grade,
        year: row.competition.year,
        organisers: row.competition.organisers,
        hosts: row.competition.hosts,
        releasedAt: row.event.releasedAt.toISOString(),
        certificateNumber: prizeCertificateNumber({ year: row.competition.year, competitionId: row.competition.id, prizeId: row.prize.id }),
      };
    },
  });
};

export default prizesRoutes;
