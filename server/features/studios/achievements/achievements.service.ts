import { and, asc, eq, inArray, like } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { organisations, people, studioAchievements, studioMembers, studios } from '../../../../db/schema.ts';
import { studioYearFigures, totalsBySubtree } from '../../../domain/studios/index.ts';
import { invalid, notFound } from '../../../errors.ts';
import type { StaffActor } from '../../../plugins/auth.plugin.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import { achievementOf } from './achievement-of.ts';
import { getStudioInScope, getStudioToManage, personForField } from '../registry/studios.service.ts';
import { organisationForField, studioScope } from '../scope.ts';
import type { AchievementBodyInput, FiguresQuery, StudioAchievementRecord, StudioFiguresReport } from '../studios.contracts.ts';

type AchievementRow = typeof studioAchievements.$inferSelect;

function present(row: AchievementRow, personName: string | null): StudioAchievementRecord {
  return {
    id: row.id,
    studioId: row.studioId,
    year: row.year,
    type: row.type,
    count: row.count,
    patentKind: row.patentKind,
    patentNumber: row.patentNumber,
    amountYuan: row.amountYuan,
    trained: row.trained,
    promoted: row.promoted,
    title: row.title,
    person: row.personId !== null ? { id: row.personId, name: personName ?? '' } : null,
    achievedOn: row.achievedOn,
    note: row.note,
  };
}

export function listAchievements(db: Db, actor: StaffActor, studioId: number, q: { year?: number; type?: AchievementRow['type'] }): StudioAchievementRecord[] {
  getStudioInScope(db, actor, studioId);
  const where = [eq(studioAchievements.studioId, studioId)];
  if (q.year) where.push(eq(studioAchievements.year, q.year));
  if (q.type) where.push(eq(studioAchievements.type, q.type));
  return db
    .select({ a: studioAchievements, name: people.name })
    .from(studioAchievements)
    .leftJoin(people, eq(people.id, studioAchievements.personId))
    .where(and(...where))
    .orderBy(asc(studioAchievements.year), asc(studioAchievements.id))
    .all()
    .map((r) => present(r.a, r.name));
}

/**
 * Records a result of a studio or one of its members. The member credited must be the leader
 * or a member of the studio; a date must fall in the year; money is kept to the fen; promoted
 * apprentices are some of those trained.
 */
export function addAchievement(db: Db, actor: StaffActor, studioId: number, input: AchievementBodyInput): StudioAchievementRecord {
  const { studio, scope } = getStudioToManage(db, actor, studioId);
  let personName: string | null = null;
  if (input.personId !== null) {
    const person = personForField(db, scope, input.personId, 'body.personId');
    const member = db.select().from(studioMembers).where(and(eq(studioMembers.studioId, studioId), eq(studioMembers.personId, person.id))).get();
    if (!member && person.id !== studio.leaderPersonId) throw invalid('body.personId', `${person.name} is neither the leader nor a member of the studio`);
    personName = person.name;
  }
  if (input.achievedOn && Number(input.achievedOn.slice(0, 4)) !== input.year) throw invalid('body.achievedOn', `the date is not in ${input.year}`);
  if (input.type === 'economic_benefit' && Math.abs(Math.round(input.amountYuan * 100) - input.amountYuan * 100) > 1e-6)
    throw invalid('body.amountYuan', 'at most two decimals (fen)');
  if (input.type === 'apprentices' && input.promoted > input.trained)
    throw invalid('body.promoted', `promoted (${input.promoted}) cannot exceed trained (${input.trained})`);
  if ((input.type === 'innovation_result' || input.type === 'technical_breakthrough') && input.title === '')
    throw invalid('body.title', 'a result needs its title');

  return db.transaction((tx) => {
    const row = tx
      .insert(studioAchievements)
      .values({
        studioId,
        year: input.year,
        type: input.type,
        count: 'count' in input ? input.count : null,
        patentKind: input.type === 'patent' ? input.patentKind : null,
        patentNumber: input.type === 'patent' ? input.patentNumber : null,
        amountYuan: input.type === 'economic_benefit' ? input.amountYuan : null,
        trained: input.type === 'apprentices' ? input.trained : null,
        promoted: input.type === 'apprentices' ? input.promoted : null,
        title: input.title,
        personId: input.personId,
        achievedOn: input.achievedOn,
        note: input.note,
      })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'studio.achievement.add', entityType: 'studio', entityId: studioId, orgId: studio.hostEmployerId, after: row });
    return present(row, personName);
  });
}

export function removeAchievement(db: Db, actor: StaffActor, studioId: number, achievementId: number): void {
  const { studio } = getStudioToManage(db, actor, studioId);
  const row = db.select().from(studioAchievements).where(and(eq(studioAchievements.id, achievementId), eq(studioAchievements.studioId, studioId))).get();
  if (!row) throw notFound('Achievement');
  db.transaction((tx) => {
    tx.delete(studioAchievements).where(eq(studioAchievements.id, achievementId)).run();
    recordAudit(tx, actor, { action: 'studio.achievement.remove', entityType: 'studio', entityId: studioId, orgId: studio.hostEmployerId, before: row });
  });
}

/**
 * Yearly figures per studio and totals per organisation subtree, for the chosen organisation
 * (the caller's jurisdiction by default): the domain's studioYearFigures and totalsBySubtree
 * over the studios hosted in that subtree.
 */
export function figuresReport(db: Db, actor: StaffActor, q: FiguresQuery): StudioFiguresReport {
  const scope = studioScope(db, actor);
  const root = organisationForField(db, scope, q.orgId ?? scope.orgId, 'querystring.orgId');
  if (q.fromYear && q.toYear && q.fromYear > q.toYear) throw invalid('querystring.toYear', 'toYear is before fromYear');
  const orgs = db.select().from(organisations).where(like(organisations.path, `${root.path}%`)).all();
  const studioRows = db
    .select({ id: studios.id, name: studios.name, hostEmployerId: studios.hostEmployerId })
    .from(studios)
    .innerJoin(organisations, eq(organisations.id, studios.hostEmployerId))
    .where(like(organisations.path, `${root.path}%`))
    .all();
  const ids = studioRows.map((s) => s.id);
  const achievements =
    ids.length === 0
      ? []
      : db
          .select()
          .from(studioAchievements)
          .where(inArray(studioAchievements.studioId, ids))
          .all()
          .filter((a) => (q.fromYear === undefined || a.year >= q.fromYear) && (q.toYear === undefined || a.year <= q.toYear));
  const perStudio = studioYearFigures(achievements.map(achievementOf));
  // The root's parent is left out of the tree, so the sums stop at the chosen organisation.
  const tree = orgs.map((o) => ({ id: o.id, parentId: o.id === root.id ? null : o.parentId }));
  const { byOrganisation } = totalsBySubtree(
    perStudio,
    studioRows.map((s) => ({ id: s.id, organisationId: s.hostEmployerId })),
    tree,
  );
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const names = new Map(studioRows.map((s) => [s.id, s.name]));
  const subtree = byOrganisation
    .filter((line) => line.organisationId === root.id || line.studios > 0)
    .sort((a, b) => (a.organisationId === root.id ? -1 : b.organisationId === root.id ? 1 : byId.get(a.organisationId)!.path.localeCompare(byId.get(b.organisationId)!.path)))
    .map((line) => {
      const org = byId.get(line.organisationId)!;
      return {
        org: { id: org.id, name: org.name },
        parentId: org.id === root.id ? null : org.parentId,
        studios: line.studios,
        total: line.total,
        byYear: line.byYear,
      };
    });
  return {
    org: { id: root.id, name: root.name },
    byStudio: perStudio.map((r) => ({ studio: { id: r.studioId, name: names.get(r.studioId) ?? '' }, year: r.year, figures: r.figures })),
    subtree,
  };
}
