import { asc, eq, isNotNull, and } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { competitions, events, organisations } from '../../../db/schema.ts';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { competitionPackageSchema, packageJsonSchema, verifyEvent } from '../../domain/package/index.ts';
import { forbidden, notFound } from '../../errors.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorizeEvent } from '../event-access.ts';
import { competitionInScope } from '../scope.ts';
import { buildPackage } from './package.service.ts';
import { importPackage, importReportSchema } from './package-import.service.ts';

const tags = ['competition package'];

const problemSchemaOf = z.object({
  round: z.int().nullable(),
  entry: z.string().nullable(),
  number: z.int().nullable(),
  what: z.string(),
  published: z.unknown(),
  recomputed: z.unknown(),
});
export const eventVerificationSchema = z
  .object({
    ref: z.string(),
    name: z.string(),
    ok: z.boolean(),
    rounds: z.int(),
    entries: z.int(),
    marks: z.int(),
    prizes: z.int().nullable(),
    problems: z.array(problemSchemaOf),
  })
  .meta({ id: 'EventVerification' });

/**
 * The open competition package (server/domain/package): the full variant for those who run the
 * competition (audited), the public one after release, its JSON Schema, the import, and the
 * chief judge's check of an event before release.
 */
const packageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/package/schema.json', {
    schema: {
      operationId: 'getPackageSchema',
      summary: 'The JSON Schema (draft 2020-12) of the competition package, version 1; no sign-in',
      tags,
      security: [],
      response: { 200: z.record(z.string(), z.unknown()) },
    },
    handler: async () => packageJsonSchema(),
  });

  app.get('/competitions/:id/package', {
    schema: {
      operationId: 'exportCompetitionPackage',
      summary: 'The full competition package: settings, schemes, entrants with ID numbers, panels, every mark version and the results; for administrators and the competition’s organisers; audited',
      tags,
      params: idParams,
      response: { 200: competitionPackageSchema, ...commonErrors },
    },
    handler: async (req, reply) => {
      const actor = requireStaff(req, 'admin', 'organiser');
      const found = app.db
        .select({ c: competitions, path: organisations.path })
        .from(competitions)
        .innerJoin(organisations, eq(organisations.id, competitions.orgId))
        .where(eq(competitions.id, req.params.id))
        .get();
      if (!found) throw notFound('Competition');
      if (!competitionInScope(app.db, actor, found.c.id, found.path)) throw forbidden('This competition belongs to an organisation outside your scope');
      const pkg = buildPackage(app, found.c.id, 'full');
      recordAudit(app.db, actor, {
        action: 'competition.package_export',
        entityType: 'competition',
        entityId: found.c.id,
        orgId: found.c.orgId,
        after: { variant: 'full', events: pkg.events.length, people: pkg.people.length },
      });
      reply.header('content-disposition', `attachment; filename="competition-${found.c.id}-full.json"`);
      return pkg;
    },
  });

  app.get('/public/competitions/:id/package', {
    schema: {
      operationId: 'getPublicCompetitionPackage',
      summary: 'The public competition package of the released events: names, masked ID numbers, every mark version and the published results, for anyone to verify; no sign-in',
      tags,
      security: [],
      params: idParams,
      response: { 200: competitionPackageSchema, 400: problemSchema, 404: problemSchema },
    },
    handler: async (req, reply) => {
      const released = app.db
        .select({ id: events.id })
        .from(events)
        .where(and(eq(events.competitionId, req.params.id), isNotNull(events.releasedAt)))
        .orderBy(asc(events.id))
        .get();
      if (!released) throw notFound('Released results');
      reply.header('content-disposition', `attachment; filename="competition-${req.params.id}.json"`);
      return buildPackage(app, req.params.id, 'public');
    },
  });

  app.post('/events/:id/verify', {
    schema: {
      operationId: 'verifyEventResults',
      summary: 'Recompute the event’s totals, ranks, advancement and prizes from its marks with the engine alone, as the package verifier does, and list every difference; for the chief judge before release',
      tags,
      params: idParams,
      response: { 200: eventVerificationSchema, ...commonErrors },
    },
    handler: async (req) => {
      const { competition } = authorizeEvent(app, req, req.params.id, { staff: ['admin', 'organiser'], judge: ['chief', 'supervisor'] });
      return verifyEvent(buildPackage(app, competition.id, 'full', { onlyEventId: req.params.id }).events[0]!);
    },
  });

  app.post('/competitions/import', {
    schema: {
      operationId: 'importCompetitionPackage',
      summary: 'Import a full competition package as a new competition of your organisation: people matched by ID number or created, judges created (no codes), every mark version stored with its time; results recomputed and every difference from the package reported, never overwritten. ?dryRun=true checks without storing',
      tags,
      querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
      body: competitionPackageSchema,
      response: { 200: importReportSchema, 201: importReportSchema, 409: problemSchema, ...commonErrors },
    },
    bodyLimit: 64 * 1024 * 1024,
    handler: async (req, reply) => {
      const actor = requireStaff(req, 'admin', 'organiser');
      const report = importPackage(app, actor, req.body, { dryRun: req.query.dryRun === 'true' });
      return reply.status(report.competitionId === null ? 200 : 201).send(report);
    },
  });
};

export default packageRoutes;
