import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';
import { recordAudit } from '../features/audit/audit.service.ts';

/**
 * Operations on people and on results whose refusals are audited (by their OpenAPI tag): someone
 * trying to read ID numbers or change marks they may not is what a security review asks about.
 */
const AUDITED_TAGS: ReadonlySet<string> = new Set([
  'people',
  'entries',
  'certified skill levels',
  'training subsidies',
  'marks',
  'corrections',
  'marking control',
  'objective values',
  'paper sheets',
  'rankings',
  'publication',
  'prizes',
  'titles and promotions',
]);

/** One refusal row per caller, operation and minute at most: a script hammering a door leaves a trace, not a flood. */
const REPEAT_WINDOW_MS = 60_000;
const MAX_REMEMBERED = 10_000;

/** Audits 401/403 answers to operations on people and results: who tried what, from where. */
export default fp(
  async (app) => {
    const lastRecorded = new Map<string, number>();
    app.addHook('onError', async (req, _reply, err) => {
      if (!(err instanceof AppError) || (err.status !== 401 && err.status !== 403)) return;
      const schema = req.routeOptions.schema as { operationId?: string; tags?: string[] } | undefined;
      if (!schema?.operationId || !schema.tags?.some((t) => AUDITED_TAGS.has(t))) return;
      const who = req.actor ? (req.actor.kind === 'staff' ? `a${req.actor.accountId}` : `j${req.actor.judgeId}`) : `ip${req.ip}`;
      const key = `${who}:${schema.operationId}`;
      const now = Date.now();
      if (now - (lastRecorded.get(key) ?? 0) < REPEAT_WINDOW_MS) return;
      if (lastRecorded.size >= MAX_REMEMBERED) lastRecorded.clear();
      lastRecorded.set(key, now);
      const id = (req.params as { id?: string } | undefined)?.id;
      recordAudit(app.db, req.actor, {
        action: 'access.refused',
        entityType: schema.tags[0]!,
        entityId: id && /^\d+$/.test(id) ? Number(id) : null,
        // The caller's own organisation: the refusal shows in the trail of whoever manages them.
        orgId: req.actor?.kind === 'staff' ? req.actor.orgId : null,
        after: { operation: schema.operationId, method: req.method, path: req.url.split('?')[0], status: err.status, code: err.code, address: req.ip },
      });
    });
  },
  { name: 'refusal-audit', dependencies: ['db', 'auth'] },
);
