import { and, count, desc, eq, like, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditLog, organisations } from '../../../db/schema.ts';
import { commonErrors, decimalId, pageOf, pageQuery } from '../../contracts/common.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';

const auditEntrySchema = z
  .object({
    id: z.int(),
    at: z.string(),
    actorKind: z.enum(['account', 'judge', 'system', 'public']),
    actorId: z.int().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.int().nullable(),
    orgId: z.int().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });

const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit', {
    schema: {
      operationId: 'listAudit',
      summary: 'The audit trail of records in your subtree, newest first (administrators and organisers)',
      tags: ['audit'],
      querystring: pageQuery.extend({
        entityType: z.string().max(40).optional(),
        entityId: decimalId.optional(),
        action: z.string().max(60).optional(),
      }),
      response: { 200: pageOf(auditEntrySchema), ...commonErrors },
    },
    handler: async (req) => {
      const actor = requireStaff(req, 'admin', 'organiser');
      const q = req.query;
      const where: SQL[] = [like(organisations.path, `${actor.orgPath}%`)];
      if (q.entityType) where.push(eq(auditLog.entityType, q.entityType));
      if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
      if (q.action) where.push(like(auditLog.action, `${q.action}%`));
      const cond = and(...where);
      const rows = app.db
        .select({ a: auditLog })
        .from(auditLog)
        .innerJoin(organisations, eq(organisations.id, auditLog.orgId))
        .where(cond)
        .orderBy(desc(auditLog.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .all();
      const total =
        app.db.select({ n: count() }).from(auditLog).innerJoin(organisations, eq(organisations.id, auditLog.orgId)).where(cond).get()?.n ?? 0;
      return {
        items: rows.map(({ a }) => ({ ...a, at: a.at.toISOString() })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  });
};

export default auditRoutes;
