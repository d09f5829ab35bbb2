import { Readable } from 'node:stream';
import { and, count, desc, eq, gte, isNull, like, lt, or, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accounts, auditLog, judges } from '../../../db/schema.ts';
import { commonErrors, decimalId, pageOf, pageQuery } from '../../contracts/common.ts';
import { requireStaff, type StaffActor } from '../../plugins/auth.plugin.ts';
import { csvField } from '../certificates/export.service.ts';

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

/** A calendar day in Beijing (the audit is read by people in China; the database keeps UTC milliseconds). */
const beijingDay = z.iso.date();
const BEIJING_OFFSET_MS = 8 * 3600_000;
const dayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - BEIJING_OFFSET_MS);

const auditFilter = z.object({
  entityType: z.string().max(40).optional(),
  entityId: decimalId.optional(),
  action: z.string().max(60).optional().describe('An action or the start of one (`auth.` for every sign-in record)'),
  from: beijingDay.optional().describe('First day (Beijing time), inclusive'),
  to: beijingDay.optional().describe('Last day (Beijing time), inclusive'),
});
type AuditFilter = z.infer<typeof auditFilter>;

/**
 * The rows a staff member may read: those of their subtree, by the organisation's path as it was
 * when the row was written (so a deleted organisation's trail stays with the bodies above it). Rows
 * of no organisation (sign-ins with an unknown name, the demo seed) are for the administrators at
 * the top of the tree.
 */
function auditConditions(actor: StaffActor, q: AuditFilter): SQL | undefined {
  const atTop = /^\/\d+\/$/.test(actor.orgPath) && actor.role === 'admin';
  const scope = like(auditLog.orgPath, `${actor.orgPath}%`);
  const where: (SQL | undefined)[] = [atTop ? or(scope, isNull(auditLog.orgPath)) : scope];
  if (q.entityType) where.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
  if (q.action) where.push(like(auditLog.action, `${q.action}%`));
  if (q.from) where.push(gte(auditLog.at, dayStart(q.from)));
  if (q.to) where.push(lt(auditLog.at, new Date(dayStart(q.to).getTime() + 86_400_000)));
  return and(...where);
}

const EXPORT_COLUMNS = ['编号', '时间（北京）', '操作人类型', '操作人编号', '操作人', '操作', '对象类型', '对象编号', '机构编号', '变更前', '变更后'];
const EXPORT_CHUNK = 2000;

const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit', {
    schema: {
      operationId: 'listAudit',
      summary: 'The audit trail of records in your subtree, newest first (administrators and organisers)',
      tags: ['audit'],
      querystring: pageQuery.extend(auditFilter.shape),
      response: { 200: pageOf(auditEntrySchema), ...commonErrors },
    },
    handler: async (req) => {
      const actor = requireStaff(req, 'admin', 'organiser');
      const q = req.query;
      const cond = auditConditions(actor, q);
      const rows = app.db
        .select()
        .from(auditLog)
        .where(cond)
        .orderBy(desc(auditLog.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .all();
      const total = app.db.select({ n: count() }).from(auditLog).where(cond).get()?.n ?? 0;
      return {
        items: rows.map(({ orgPath: _path, ...a }) => ({ ...a, at: a.at.toISOString() })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  });

  app.get('/audit/export', {
    schema: {
      operationId: 'exportAudit',
      summary: 'The audit trail of your subtree as a CSV file for archiving or review (administrators and organisers)',
      description:
        'Oldest first, with who acted (username or judge name), in UTF-8 with a byte-order mark for Excel. ' +
        'Audit rows are append-only and never deleted by the system, so any period can be exported again.',
      tags: ['audit'],
      querystring: auditFilter,
      produces: ['text/csv'],
      response: { 200: z.any().describe('text/csv'), ...commonErrors },
    },
    handler: async (req, reply) => {
      const actor = requireStaff(req, 'admin', 'organiser');
      const cond = auditConditions(actor, req.query);
      const db = app.db;
      // Read in chunks by id so a year's trail streams without being held in memory at once.
      async function* lines() {
        yield `\uFEFF${EXPORT_COLUMNS.map((h) => csvField(h)).join(',')}\r\n`;
        let afterId = 0;
        for (;;) {
          const rows = db
            .select({ a: auditLog, username: accounts.username, judgeName: judges.name })
            .from(auditLog)
            .leftJoin(accounts, and(eq(auditLog.actorKind, 'account'), eq(accounts.id, auditLog.actorId)))
            .leftJoin(judges, and(eq(auditLog.actorKind, 'judge'), eq(judges.id, auditLog.actorId)))
            .where(and(cond, gte(auditLog.id, afterId + 1)))
            .orderBy(auditLog.id)
            .limit(EXPORT_CHUNK)
            .all();
          if (rows.length === 0) return;
          let text = '';
          for (const { a, username, judgeName } of rows) {
            const at = new Date(a.at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
            const cells = [a.id, at, a.actorKind, a.actorId ?? '', username ?? judgeName ?? '', a.action, a.entityType, a.entityId ?? '', a.orgId ?? '', a.before == null ? '' : JSON.stringify(a.before), a.after == null ? '' : JSON.stringify(a.after)];
            text += `${cells.map((c) => csvField(c)).join(',')}\r\n`;
          }
          yield text;
          afterId = rows.at(-1)!.a.id;
        }
      }
      const from = req.query.from ?? 'start';
      const to = req.query.to ?? 'now';
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${from}-${to}.csv"`)
        .send(Readable.from(lines()));
    },
  });
};

export default auditRoutes;
