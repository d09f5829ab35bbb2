import { desc, eq, inArray, like } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { organisations, studioAchievements, studioFunding, studios, studioSteps } from '../../../../db/schema.ts';
import type { StudioKind, StudioLevel, StudioStatus } from '../../../contracts/studios.ts';
import { studioYearFigures, sumFigures, termStatus } from '../../../domain/studios/index.ts';
import { invalid } from '../../../errors.ts';
import type { StaffActor } from '../../../plugins/auth.plugin.ts';
import { achievementOf } from '../achievements/achievement-of.ts';
import { stateOf } from '../registry/studios.service.ts';
import { organisationForField, studioScope, todayInChina } from '../scope.ts';
import type { FiguresQuery, StudioDashboard } from '../studios.contracts.ts';

const KINDS: StudioKind[] = ['model_worker', 'craftsman', 'worker', 'blue_collar', 'skill_master', 'traditional_craft'];
const LEVELS: StudioLevel[] = ['national_demonstration', 'province', 'city', 'county'];
const STATUSES: StudioStatus[] = ['applied', 'under_evaluation', 'recognised', 'warned', 'expired', 'rejected', 'withdrawn', 'delisted'];
/** In the registry (在册): recognised, including those warned or awaiting re-confirmation. */
const IN_REGISTRY: ReadonlySet<StudioStatus> = new Set(['recognised', 'warned', 'expired']);

/**
 * What a county union shows in a meeting: counts by kind, level, status and area, results,
 * patents and benefit per year, funding per year, the studios due for re-confirmation and
 * the latest decisions, for the chosen organisation's subtree (the caller's by default).
 */
export function studioDashboard(db: Db, actor: StaffActor, q: FiguresQuery): StudioDashboard {
  const scope = studioScope(db, actor);
  const root = organisationForField(db, scope, q.orgId ?? scope.orgId, 'querystring.orgId');
  if (q.fromYear && q.toYear && q.fromYear > q.toYear) throw invalid('querystring.toYear', 'toYear is before fromYear');
  const rows = db
    .select({ s: studios, hostPath: organisations.path })
    .from(studios)
    .innerJoin(organisations, eq(organisations.id, studios.hostEmployerId))
    .where(like(organisations.path, `${root.path}%`))
    .all();
  const ids = rows.map((r) => r.s.id);
  const inYears = (year: number) => (q.fromYear === undefined || year >= q.fromYear) && (q.toYear === undefined || year <= q.toYear);

  const registry = rows.filter((r) => IN_REGISTRY.has(r.s.status));
  const children = db.select().from(organisations).where(eq(organisations.parentId, root.id)).all();
  const byArea = children
    .map((child) => {
      const under = rows.filter((r) => r.hostPath.startsWith(child.path));
      return { org: { id: child.id, name: child.name }, inRegistry: under.filter((r) => IN_REGISTRY.has(r.s.status)).length, total: under.length };
    })
    .filter((a) => a.total > 0)
    .sort((a, b) => b.inRegistry - a.inRegistry || b.total - a.total || a.org.id - b.org.id);

  const achievements = ids.length === 0 ? [] : db.select().from(studioAchievements).where(inArray(studioAchievements.studioId, ids)).all().filter((a) => inYears(a.year));
  const perStudio = studioYearFigures(achievements.map(achievementOf));
  const years = [...new Set(perStudio.map((r) => r.year))].sort((a, b) => a - b);

  const funding = ids.length === 0 ? [] : db.select().from(studioFunding).where(inArray(studioFunding.studioId, ids)).all().filter((f) => inYears(f.year));
  const fundingYears = new Map<number, number>();
  for (const f of funding) fundingYears.set(f.year, (fundingYears.get(f.year) ?? 0) + Math.round(f.amountYuan * 100));

  const today = todayInChina();
  const names = new Map(rows.map((r) => [r.s.id, r.s.name]));
  const due = rows
    .map((r) => ({ row: r.s, status: termStatus(stateOf(r.s), today) }))
    .filter((d) => d.status === 'final_year' || d.status === 'expired')
    .sort((a, b) => (a.row.termEndsOn ?? '').localeCompare(b.row.termEndsOn ?? ''))
    .map((d) => ({ studio: { id: d.row.id, name: d.row.name }, termEndsOn: d.row.termEndsOn, termStatus: d.status }));
  const recent =
    ids.length === 0
      ? []
      : db
          .select()
          .from(studioSteps)
          .where(inArray(studioSteps.studioId, ids))
          .orderBy(desc(studioSteps.date), desc(studioSteps.id))
          .limit(8)
          .all();

  return {
    org: { id: root.id, name: root.name },
    studios: {
      total: rows.length,
      inRegistry: registry.length,
      applying: rows.filter((r) => r.s.status === 'applied' || r.s.status === 'under_evaluation').length,
      delisted: rows.filter((r) => r.s.status === 'delisted').length,
    },
    byKind: KINDS.map((kind) => ({ kind, count: registry.filter((r) => r.s.kind === kind).length })),
    byLevel: LEVELS.map((level) => ({ level, count: registry.filter((r) => r.s.level === level).length })),
    byStatus: STATUSES.map((status) => ({ status, count: rows.filter((r) => r.s.status === status).length })).filter((s) => s.count > 0),
    byArea,
    years: years.map((year) => ({ year, figures: sumFigures(perStudio.filter((r) => r.year === year).map((r) => r.figures)) })),
    total: sumFigures(perStudio.map((r) => r.figures)),
    fundingByYear: [...fundingYears.entries()].sort(([a], [b]) => a - b).map(([year, fen]) => ({ year, amountYuan: fen / 100 })),
    due,
    recentSteps: recent.map((s) => ({ studio: { id: s.studioId, name: names.get(s.studioId) ?? '' }, date: s.date, decision: s.decision })),
  };
}
