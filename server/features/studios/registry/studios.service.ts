import { and, asc, count, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import {
  accounts,
  organisations,
  orgSettings,
  people,
  studioAchievements,
  studioFunding,
  studioMembers,
  studios,
  studioSteps,
} from '../../../../db/schema.ts';
import {
  studioSettingsSchema,
  type StudioAction,
  type StudioKind,
  type StudioSettings,
  type StudioState,
  type StudioStep,
} from '../../../contracts/studios.ts';
import {
  checkLeaderEligibility,
  openApplication,
  studioYearFigures,
  sumFigures,
  termStatus,
  transition,
  type Refusal,
} from '../../../domain/studios/index.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../../errors.ts';
import type { StaffActor } from '../../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../../audit/audit.service.ts';
import { achievementOf } from '../achievements/achievement-of.ts';
import {
  assertInStudioScope,
  assertManagesKind,
  bodyOfRole,
  managesKind,
  organisationById,
  organisationForField,
  orgNames,
  settingsAt,
  STUDIO_SETTINGS_KEY,
  studioScope,
  todayInChina,
  UNION_STUDIO_ROLES,
  type OrgRow,
  type Scope,
} from '../scope.ts';
import type {
  AddMemberInput,
  CreateStudioInput,
  FundingInput,
  ListStudiosQuery,
  StudioDetail,
  StudioDecisionInput,
  StudioSummary,
  UpdateStudioInput,
} from '../studios.contracts.ts';

export type StudioRow = typeof studios.$inferSelect;
type PersonRow = typeof people.$inferSelect;

const DECIDING_ACTIONS = ['start_evaluation', 'recognise', 'reject', 'withdraw', 'renew', 'warn', 'delist', 'expire', 'reconfirm'] as const;

/** The domain's view of a stored studio. */
export function stateOf(row: StudioRow): StudioState {
  return {
    kind: row.kind,
    hostEmployerId: row.hostEmployerId,
    leaderPersonId: row.leaderPersonId,
    status: row.status,
    level: row.level,
    recognisedOn: row.recognisedOn,
    termStartsOn: row.termStartsOn,
    termEndsOn: row.termEndsOn,
    bannedUntil: row.bannedUntil,
    lastStepOn: row.lastStepOn,
  };
}

/** The studio with its host, or 404; 403 when the host lies outside the caller's scope. */
export function getStudioInScope(db: Db | Tx, actor: StaffActor, studioId: number): { studio: StudioRow; host: OrgRow; scope: Scope } {
  const found = db
    .select({ studio: studios, host: organisations })
    .from(studios)
    .innerJoin(organisations, eq(organisations.id, studios.hostEmployerId))
    .where(eq(studios.id, studioId))
    .get();
  if (!found) throw notFound('Studio');
  const scope = studioScope(db, actor);
  assertInStudioScope(scope, found.host.path);
  return { ...found, scope };
}

/** A studio the caller may change: in scope, and of a kind their line manages. */
export function getStudioToManage(db: Db | Tx, actor: StaffActor, studioId: number) {
  const found = getStudioInScope(db, actor, studioId);
  const settings = settingsAt(db, found.host.path);
  assertManagesKind(actor, found.studio.kind, settings);
  return { ...found, settings };
}

/** A person a body field names: 400 when unknown, 403 when kept outside the caller's scope. */
export function personForField(db: Db | Tx, scope: Scope, personId: number, field: string): PersonRow {
  const found = db
    .select({ person: people, path: organisations.path })
    .from(people)
    .innerJoin(organisations, eq(organisations.id, people.orgId))
    .where(eq(people.id, personId))
    .get();
  if (!found) throw invalid(field, `there is no person ${personId}`);
  assertInStudioScope(scope, found.path);
  return found.person;
}

/** A studio a body field names: 400 when unknown, 403 when hosted outside the caller's scope. */
export function studioForField(db: Db | Tx, scope: Scope, studioId: number, field: string): { studio: StudioRow; host: OrgRow } {
  const found = db
    .select({ studio: studios, host: organisations })
    .from(studios)
    .innerJoin(organisations, eq(organisations.id, studios.hostEmployerId))
    .where(eq(studios.id, studioId))
    .get();
  if (!found) throw invalid(field, `there is no studio ${studioId}`);
  assertInStudioScope(scope, found.host.path);
  return found;
}

// ---------------------------------------------------------------------------------------
// Presenters

/** Summaries of several studios, with hosts, areas, leaders and member counts loaded in bulk. */
export function summarise(db: Db | Tx, rows: StudioRow[], settings?: StudioSettings): StudioSummary[] {
  if (rows.length === 0) return [];
  const hosts = orgNames(db, rows.map((r) => r.hostEmployerId));
  const areas = orgNames(
    db,
    [...hosts.values()].flatMap((h) => (h.parentId === null ? [] : [h.parentId])),
  );
  const leaders = new Map(
    db
      .select({ id: people.id, name: people.name })
      .from(people)
      .where(inArray(people.id, [...new Set(rows.map((r) => r.leaderPersonId))]))
      .all()
      .map((p) => [p.id, p.name]),
  );
  const members = new Map(
    db
      .select({ studioId: studioMembers.studioId, n: count() })
      .from(studioMembers)
      .where(inArray(studioMembers.studioId, rows.map((r) => r.id)))
      .groupBy(studioMembers.studioId)
      .all()
      .map((m) => [m.studioId, m.n]),
  );
  const today = todayInChina();
  return rows.map((r) => {
    const host = hosts.get(r.hostEmployerId)!;
    const area = host.parentId === null ? undefined : areas.get(host.parentId);
    const rules = settings ?? settingsAt(db, host.path);
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      line: rules.kinds[r.kind].line,
      status: r.status,
      level: r.level,
      host: { id: host.id, name: host.name },
      area: area ? { id: area.id, name: area.name } : null,
      leader: { id: r.leaderPersonId, name: leaders.get(r.leaderPersonId) ?? '' },
      field: r.field,
      recognisedOn: r.recognisedOn,
      termEndsOn: r.termEndsOn,
      bannedUntil: r.bannedUntil,
      termStatus: termStatus(stateOf(r), today),
      memberCount: members.get(r.id) ?? 0,
    };
  });
}

/** The decisions the status allows today, as the domain sees them (the body is checked separately). */
function possibleActions(row: StudioRow, settings: StudioSettings): StudioAction[] {
  const state = stateOf(row);
  const today = todayInChina();
  const date = today > state.lastStepOn ? today : state.lastStepOn;
  return DECIDING_ACTIONS.filter((action) => {
    const result = transition(
      state,
      action,
      { date, decidedBy: { body: action === 'withdraw' ? 'applicant' : 'joint' }, level: state.level ?? 'county' },
      settings,
    );
    return result.ok;
  });
}

export function presentStudio(db: Db | Tx, actor: StaffActor, row: StudioRow): StudioDetail {
  const host = organisationById(db, row.hostEmployerId);
  const settings = settingsAt(db, host.path);
  const [summary] = summarise(db, [row], settings);
  const leader = db.select().from(people).where(eq(people.id, row.leaderPersonId)).get()!;
  const eligibility = checkLeaderEligibility(row.kind, { honours: row.leaderHonours, skillLevel: leaderLevel(leader) }, settings);

  const memberRows = db
    .select({ m: studioMembers, p: people })
    .from(studioMembers)
    .innerJoin(people, eq(people.id, studioMembers.personId))
    .where(eq(studioMembers.studioId, row.id))
    .orderBy(asc(studioMembers.id))
    .all();
  const employers = orgNames(db, memberRows.flatMap((m) => (m.p.employerId === null ? [] : [m.p.employerId])));
  const stepRows = db
    .select({ s: studioSteps, by: accounts.displayName })
    .from(studioSteps)
    .leftJoin(accounts, eq(accounts.id, studioSteps.recordedBy))
    .where(eq(studioSteps.studioId, row.id))
    .orderBy(asc(studioSteps.date), asc(studioSteps.id))
    .all();
  const funding = db.select().from(studioFunding).where(eq(studioFunding.studioId, row.id)).orderBy(asc(studioFunding.year), asc(studioFunding.id)).all();
  const achievements = db.select().from(studioAchievements).where(eq(studioAchievements.studioId, row.id)).all();
  const figures = studioYearFigures(achievements.map(achievementOf));
  const rule = settings.kinds[row.kind];

  return {
    ...summary!,
    leaderHonours: row.leaderHonours,
    leaderSkillLevel: leaderLevel(leader),
    leaderEligibility: eligibility.ok
      ? { ok: true, satisfiedBy: eligibility.satisfiedBy.label, reasons: [] }
      : { ok: false, satisfiedBy: null, reasons: eligibility.reasons.map((r) => r.message) },
    siteAreaM2: row.siteAreaM2,
    foundedOn: row.foundedOn,
    functions: row.functions as StudioDetail['functions'],
    description: row.description,
    termStartsOn: row.termStartsOn,
    lastStepOn: row.lastStepOn,
    members: memberRows.map(({ m, p }) => {
      const employer = p.employerId === null ? undefined : employers.get(p.employerId);
      return {
        id: m.id,
        person: { id: p.id, name: p.name },
        employer: employer ? { id: employer.id, name: employer.name } : null,
        skillLevel: p.skillLevel,
        role: m.role,
        joinedOn: m.joinedOn,
      };
    }),
    steps: stepRows.map(({ s, by }) => ({
      id: s.id,
      action: s.action,
      decision: s.decision,
      from: s.fromStatus as StudioDetail['steps'][number]['from'],
      to: s.toStatus as StudioDetail['steps'][number]['to'],
      date: s.date,
      decidedBy: { body: s.body, organisationId: s.bodyOrgId, name: s.bodyName },
      level: s.level as StudioDetail['steps'][number]['level'],
      termEndsOn: s.termEndsOn,
      bannedUntil: s.bannedUntil,
      note: s.note,
      evaluationId: s.evaluationId,
      recordedBy: by ?? null,
    })),
    funding: funding.map((f) => ({ id: f.id, year: f.year, kind: f.kind, amountYuan: f.amountYuan, source: f.source, receivedOn: f.receivedOn, note: f.note })),
    fundingTotalYuan: Math.round(funding.reduce((sum, f) => sum + Math.round(f.amountYuan * 100), 0)) / 100,
    figuresByYear: figures.map((f) => ({ year: f.year, figures: f.figures })),
    figuresTotal: sumFigures(figures.map((f) => f.figures)),
    canManage: managesKind(actor, row.kind, settings),
    possibleActions: possibleActions(row, settings),
    rule: { termYears: rule.termYears, reapplyBanYears: rule.reapplyBanYears, leaderRule: rule.leader.map((l) => l.label) },
  };
}

function leaderLevel(person: PersonRow): 1 | 2 | 3 | 4 | 5 | null {
  const l = person.skillLevel;
  return l !== null && l >= 1 && l <= 5 ? (l as 1 | 2 | 3 | 4 | 5) : null;
}

// ---------------------------------------------------------------------------------------
// Queries

/** Conditions selecting the studios of a query inside the caller's scope (joined with the host). */
export function studioFilter(db: Db | Tx, actor: StaffActor, q: Omit<ListStudiosQuery, 'page' | 'pageSize'>): SQL {
  const scope = studioScope(db, actor);
  const where: SQL[] = [like(organisations.path, `${scope.path}%`)];
  if (q.orgId) {
    const org = organisationForField(db, scope, q.orgId, 'querystring.orgId');
    where.push(like(organisations.path, `${org.path}%`));
  }
  if (q.kind) where.push(eq(studios.kind, q.kind));
  if (q.level) where.push(eq(studios.level, q.level));
  if (q.status) where.push(eq(studios.status, q.status));
  if (q.line) {
    const settings = settingsAt(db, scope.path);
    const kinds = (Object.keys(settings.kinds) as StudioKind[]).filter((k) => settings.kinds[k].line === q.line);
    where.push(inArray(studios.kind, kinds));
  }
  if (q.q) {
    const leaderIds = db.select({ id: people.id }).from(people).where(like(people.name, `%${q.q}%`));
    where.push(or(like(studios.name, `%${q.q}%`), like(organisations.name, `%${q.q}%`), inArray(studios.leaderPersonId, leaderIds))!);
  }
  return and(...where)!;
}

/** Registry order: national demonstration first, then province, city, county, unrecognised; then by name. */
export const registryOrder = [
  sql`case ${studios.level} when 'national_demonstration' then 0 when 'province' then 1 when 'city' then 2 when 'county' then 3 else 4 end`,
  asc(studios.name),
  asc(studios.id),
];

export function listStudios(db: Db, actor: StaffActor, q: ListStudiosQuery) {
  const cond = studioFilter(db, actor, q);
  const rows = db
    .select({ s: studios })
    .from(studios)
    .innerJoin(organisations, eq(organisations.id, studios.hostEmployerId))
    .where(cond)
    .orderBy(...registryOrder)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .all()
    .map((r) => r.s);
  const total = db.select({ n: count() }).from(studios).innerJoin(organisations, eq(organisations.id, studios.hostEmployerId)).where(cond).get()?.n ?? 0;
  return { items: summarise(db, rows), total, page: q.page, pageSize: q.pageSize };
}

// ---------------------------------------------------------------------------------------
// Commands

/** Maps a domain refusal to a problem: input problems are 400 naming the field, state conflicts 409. */
export function refusalError(refusal: Refusal): AppError {
  switch (refusal.code) {
    case 'invalid_date':
    case 'date_before_last_step':
      return new AppError(400, refusal.code, refusal.reason, [{ field: 'body.date', message: refusal.reason }]);
    case 'level_required':
      return new AppError(400, refusal.code, refusal.reason, [{ field: 'body.level', message: refusal.reason }]);
    case 'invalid_term':
      return new AppError(400, refusal.code, refusal.reason, [{ field: 'body.termYears', message: refusal.reason }]);
    case 'invalid_ban':
      return new AppError(400, refusal.code, refusal.reason, [{ field: 'body.banYears', message: refusal.reason }]);
    case 'leader_not_eligible':
      return new AppError(
        400,
        refusal.code,
        refusal.reason,
        (refusal.leaderReasons ?? []).map((r) => ({ field: 'body.leaderPersonId', message: r.message })),
      );
    case 'wrong_body':
      return new AppError(403, refusal.code, refusal.reason);
    case 'reapply_banned':
      return new AppError(409, refusal.code, refusal.reason, [{ field: 'body.hostEmployerId', message: refusal.reason }]);
    default:
      return conflict(refusal.code, refusal.reason);
  }
}

function insertStep(tx: Tx, studioId: number, step: StudioStep, actor: StaffActor | null, evaluationId: number | null = null): void {
  tx.insert(studioSteps)
    .values({
      studioId,
      action: step.action,
      decision: step.decision,
      fromStatus: step.from,
      toStatus: step.to,
      date: step.date,
      body: step.decidedBy.body,
      bodyOrgId: step.decidedBy.organisationId,
      bodyName: step.decidedBy.name,
      level: step.level,
      termEndsOn: step.termEndsOn,
      bannedUntil: step.bannedUntil,
      note: step.note,
      evaluationId,
      recordedBy: actor?.accountId ?? null,
    })
    .run();
}

function stateColumns(state: StudioState) {
  return {
    status: state.status,
    level: state.level,
    recognisedOn: state.recognisedOn,
    termStartsOn: state.termStartsOn,
    termEndsOn: state.termEndsOn,
    bannedUntil: state.bannedUntil,
    lastStepOn: state.lastStepOn,
  };
}

/** The host must be an employer (or a department, which can host a studio too) in scope. */
function hostForField(db: Db | Tx, scope: Scope, hostId: number): OrgRow {
  const host = organisationForField(db, scope, hostId, 'body.hostEmployerId');
  if (host.kind !== 'employer' && host.kind !== 'department')
    throw invalid('body.hostEmployerId', `${host.name} is a ${host.kind === 'union' ? 'union' : 'HR bureau'}, not an employer`);
  return host;
}

/**
 * Registers an application (申报) on behalf of the host employer: the leader rule of the kind,
 * the reapplication ban after a de-listing and the one-pending-application rule are the
 * domain's; the first step is recorded as the applicant's.
 */
export function createStudio(db: Db, actor: StaffActor, input: CreateStudioInput): StudioDetail {
  const scope = studioScope(db, actor);
  const host = hostForField(db, scope, input.hostEmployerId);
  const settings = settingsAt(db, host.path);
  assertManagesKind(actor, input.kind, settings);
  const leader = personForField(db, scope, input.leaderPersonId, 'body.leaderPersonId');
  const memberIds = new Set<number>();
  input.members.forEach((m, i) => {
    personForField(db, scope, m.personId, `body.members.${i}.personId`);
    if (m.personId === leader.id) throw invalid(`body.members.${i}.personId`, 'the leader is not listed as a member');
    if (memberIds.has(m.personId)) throw invalid(`body.members.${i}.personId`, 'listed twice');
    memberIds.add(m.personId);
  });

  return db.transaction((tx) => {
    const history = tx
      .select()
      .from(studios)
      .where(or(eq(studios.hostEmployerId, host.id), eq(studios.leaderPersonId, leader.id)))
      .all()
      .map(stateOf);
    const opened = openApplication(
      { kind: input.kind, hostEmployerId: host.id, leaderPersonId: leader.id, leader: { honours: input.leaderHonours, skillLevel: leaderLevel(leader) } },
      history,
      { date: input.appliedOn, decidedBy: { body: 'applicant', organisationId: host.id, name: host.name }, note: input.note },
      settings,
    );
    if (!opened.ok) throw opened.code === 'invalid_date' ? invalid('body.appliedOn', opened.reason) : refusalError(opened);
    const row = tx
      .insert(studios)
      .values({
        name: input.name,
        kind: input.kind,
        hostEmployerId: host.id,
        leaderPersonId: leader.id,
        leaderHonours: input.leaderHonours,
        field: input.field,
        siteAreaM2: input.siteAreaM2,
        foundedOn: input.foundedOn,
        functions: input.functions,
        description: input.description,
        ...stateColumns(opened.state),
      })
      .returning()
      .get();
    insertStep(tx, row.id, opened.step, actor);
    for (const m of input.members) tx.insert(studioMembers).values({ studioId: row.id, personId: m.personId, role: m.role, joinedOn: m.joinedOn }).run();
    recordAudit(tx, actor, { action: 'studio.apply', entityType: 'studio', entityId: row.id, orgId: host.id, after: { ...row, members: input.members } });
    return presentStudio(tx, actor, row);
  });
}

export function getStudio(db: Db, actor: StaffActor, studioId: number): StudioDetail {
  return presentStudio(db, actor, getStudioInScope(db, actor, studioId).studio);
}

/** Changes a studio's particulars; a new leader or new honours must still meet the kind's leader rule. */
export function updateStudio(db: Db, actor: StaffActor, studioId: number, patch: UpdateStudioInput): StudioDetail {
  const { studio: before, scope, settings } = getStudioToManage(db, actor, studioId);
  if (Object.values(patch).every((v) => v === undefined)) return presentStudio(db, actor, before);
  const leader = personForField(db, scope, patch.leaderPersonId ?? before.leaderPersonId, 'body.leaderPersonId');
  if (patch.leaderPersonId !== undefined || patch.leaderHonours !== undefined) {
    const eligibility = checkLeaderEligibility(before.kind, { honours: patch.leaderHonours ?? before.leaderHonours, skillLevel: leaderLevel(leader) }, settings);
    if (!eligibility.ok)
      throw new AppError(
        400,
        'leader_not_eligible',
        eligibility.reasons.map((r) => r.message).join('；'),
        eligibility.reasons.map((r) => ({ field: patch.leaderPersonId !== undefined ? 'body.leaderPersonId' : 'body.leaderHonours', message: r.message })),
      );
  }
  return db.transaction((tx) => {
    const row = tx
      .update(studios)
      .set({
        name: patch.name,
        leaderPersonId: patch.leaderPersonId,
        leaderHonours: patch.leaderHonours,
        field: patch.field,
        siteAreaM2: patch.siteAreaM2,
        foundedOn: patch.foundedOn,
        functions: patch.functions,
        description: patch.description,
      })
      .where(eq(studios.id, studioId))
      .returning()
      .get();
    if (patch.leaderPersonId !== undefined) tx.delete(studioMembers).where(and(eq(studioMembers.studioId, studioId), eq(studioMembers.personId, patch.leaderPersonId))).run();
    recordAudit(tx, actor, { action: 'studio.update', entityType: 'studio', entityId: studioId, orgId: row.hostEmployerId, before, after: row });
    return presentStudio(tx, actor, row);
  });
}

/**
 * Applies one life-cycle decision through the domain's `transition` and records the step. The
 * deciding body is the caller's (union or HR bureau; an admin decides for the kind's line), or
 * both together when `joint`; a withdrawal is recorded as the applicant's.
 */
export function decide(db: Db, actor: StaffActor, studioId: number, input: StudioDecisionInput, evaluationId: number | null = null): StudioDetail {
  const { studio, host, settings } = getStudioToManage(db, actor, studioId);
  return db.transaction((tx) => {
    const result = applyDecision(tx, actor, studio, host, settings, input, evaluationId);
    return presentStudio(tx, actor, result);
  });
}

/** The decision inside a caller's transaction (also used when an evaluation round recognises its applicants). */
export function applyDecision(
  tx: Tx,
  actor: StaffActor,
  studio: StudioRow,
  host: OrgRow,
  settings: StudioSettings,
  input: StudioDecisionInput,
  evaluationId: number | null,
): StudioRow {
  const role = bodyOfRole(actor.role);
  if (role === null) throw forbidden('Viewers cannot take decisions');
  const actorOrg = organisationById(tx, actor.orgId);
  const decidedBy =
    input.action === 'withdraw'
      ? { body: 'applicant' as const, organisationId: host.id, name: host.name }
      : {
          body: input.joint ? ('joint' as const) : role === 'any' ? settings.kinds[studio.kind].line : role,
          organisationId: input.decidedByName ? null : actorOrg.id,
          name: input.decidedByName ?? actorOrg.name,
        };
  const result = transition(
    stateOf(studio),
    input.action,
    { date: input.date, decidedBy, level: input.level, termYears: input.termYears, banYears: input.banYears, note: input.note },
    settings,
  );
  if (!result.ok) throw refusalError(result);
  const row = tx.update(studios).set(stateColumns(result.state)).where(eq(studios.id, studio.id)).returning().get();
  insertStep(tx, studio.id, result.step, actor, evaluationId);
  recordAudit(tx, actor, {
    action: `studio.${input.action}`,
    entityType: 'studio',
    entityId: studio.id,
    orgId: studio.hostEmployerId,
    before: stateOf(studio),
    after: { ...result.state, step: result.step, evaluationId },
  });
  return row;
}

// Members -------------------------------------------------------------------------------

export function addMember(db: Db, actor: StaffActor, studioId: number, input: AddMemberInput): StudioDetail {
  const { studio, scope } = getStudioToManage(db, actor, studioId);
  personForField(db, scope, input.personId, 'body.personId');
  if (input.personId === studio.leaderPersonId) throw invalid('body.personId', 'the leader is not listed as a member');
  return db.transaction((tx) => {
    const existing = tx.select().from(studioMembers).where(and(eq(studioMembers.studioId, studioId), eq(studioMembers.personId, input.personId))).get();
    if (existing)
      throw new AppError(409, 'member_exists', 'This person is already a member of the studio', [{ field: 'body.personId', message: 'already a member' }]);
    const row = tx.insert(studioMembers).values({ studioId, personId: input.personId, role: input.role, joinedOn: input.joinedOn }).returning().get();
    recordAudit(tx, actor, { action: 'studio.member.add', entityType: 'studio', entityId: studioId, orgId: studio.hostEmployerId, after: row });
    return presentStudio(tx, actor, studio);
  });
}

export function removeMember(db: Db, actor: StaffActor, studioId: number, memberId: number): StudioDetail {
  const { studio } = getStudioToManage(db, actor, studioId);
  const member = db.select().from(studioMembers).where(and(eq(studioMembers.id, memberId), eq(studioMembers.studioId, studioId))).get();
  if (!member) throw notFound('Member');
  return db.transaction((tx) => {
    tx.delete(studioMembers).where(eq(studioMembers.id, memberId)).run();
    recordAudit(tx, actor, { action: 'studio.member.remove', entityType: 'studio', entityId: studioId, orgId: studio.hostEmployerId, before: member });
    return presentStudio(tx, actor, studio);
  });
}

// Funding -------------------------------------------------------------------------------

export function addFunding(db: Db, actor: StaffActor, studioId: number, input: FundingInput): StudioDetail {
  const { studio } = getStudioToManage(db, actor, studioId);
  if (Math.abs(Math.round(input.amountYuan * 100) - input.amountYuan * 100) > 1e-6) throw invalid('body.amountYuan', 'at most two decimals (fen)');
  if (input.receivedOn && Number(input.receivedOn.slice(0, 4)) !== input.year)
    throw invalid('body.receivedOn', `the date is not in ${input.year}`);
  return db.transaction((tx) => {
    const row = tx.insert(studioFunding).values({ studioId, ...input }).returning().get();
    recordAudit(tx, actor, { action: 'studio.funding.add', entityType: 'studio', entityId: studioId, orgId: studio.hostEmployerId, after: row });
    return presentStudio(tx, actor, studio);
  });
}

export function removeFunding(db: Db, actor: StaffActor, studioId: number, fundingId: number): StudioDetail {
  const { studio } = getStudioToManage(db, actor, studioId);
  const row = db.select().from(studioFunding).where(and(eq(studioFunding.id, fundingId), eq(studioFunding.studioId, studioId))).get();
  if (!row) throw notFound('Funding record');
  return db.transaction((tx) => {
    tx.delete(studioFunding).where(eq(studioFunding.id, fundingId)).run();
    recordAudit(tx, actor, { action: 'studio.funding.remove', entityType: 'studio', entityId: studioId, orgId: studio.hostEmployerId, before: row });
    return presentStudio(tx, actor, studio);
  });
}

// Settings ------------------------------------------------------------------------------

export function getSettings(db: Db, actor: StaffActor): StudioSettings {
  return settingsAt(db, studioScope(db, actor).path);
}

/**
 * Sets the studio rules for the caller's organisation (and everything under it that has none
 * of its own). Union staff set them; each kind's line still decides on its own studios.
 */
export function setSettings(db: Db, actor: StaffActor, input: StudioSettings): StudioSettings {
  if (!(UNION_STUDIO_ROLES as readonly string[]).includes(actor.role)) throw forbidden('Studio rules are set by the union');
  const value = studioSettingsSchema.parse(input);
  const before = settingsAt(db, actor.orgPath);
  db.transaction((tx) => {
    tx.insert(orgSettings)
      .values({ orgId: actor.orgId, key: STUDIO_SETTINGS_KEY, value })
      .onConflictDoUpdate({ target: [orgSettings.orgId, orgSettings.key], set: { value } })
      .run();
    recordAudit(tx, actor, { action: 'studio.settings', entityType: 'organisation', entityId: actor.orgId, orgId: actor.orgId, before, after: value });
  });
  return value;
}

