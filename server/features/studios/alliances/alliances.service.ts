import { and, asc, desc, eq, inArray, isNull, like } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import {
  organisations,
  studioAllianceLeads,
  studioAllianceMembers,
  studioAllianceProjects,
  studioAlliances,
  studios,
} from '../../../../db/schema.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../../errors.ts';
import type { StaffActor } from '../../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../../audit/audit.service.ts';
import { studioForField } from '../registry/studios.service.ts';
import { assertInStudioScope, organisationForField, orgNames, studioScope, UNION_STUDIO_ROLES, type OrgRow } from '../scope.ts';
import type {
  AllianceApplicationInput,
  AllianceDetail,
  AllianceMember,
  AllianceSummary,
  CreateProjectInput,
  UpdateProjectInput,
} from '../studios.contracts.ts';

/**
 * Alliances (创新工作室联盟): kept by a union, joined by studios and employers of its area on
 * application and approval, led by a member in rotation (轮值牵头), running joint projects.
 * The union's studio staff manage them; everyone in scope reads them.
 */

type AllianceRow = typeof studioAlliances.$inferSelect;
type MemberRow = typeof studioAllianceMembers.$inferSelect;

const isManager = (actor: StaffActor) => (UNION_STUDIO_ROLES as readonly string[]).includes(actor.role);

function assertManager(actor: StaffActor): void {
  if (!isManager(actor)) throw forbidden('Alliances are managed by the union');
}

function allianceInScope(db: Db | Tx, actor: StaffActor, allianceId: number): { alliance: AllianceRow; org: OrgRow } {
  const found = db
    .select({ alliance: studioAlliances, org: organisations })
    .from(studioAlliances)
    .innerJoin(organisations, eq(organisations.id, studioAlliances.orgId))
    .where(eq(studioAlliances.id, allianceId))
    .get();
  if (!found) throw notFound('Alliance');
  assertInStudioScope(studioScope(db, actor), found.org.path);
  return found;
}

function allianceToManage(db: Db | Tx, actor: StaffActor, allianceId: number) {
  assertManager(actor);
  return allianceInScope(db, actor, allianceId);
}

/** Members with their display names and employers. */
function membersOf(db: Db | Tx, allianceId: number): (MemberRow & { name: string; studioName: string | null; employer: OrgRow })[] {
  const rows = db.select().from(studioAllianceMembers).where(eq(studioAllianceMembers.allianceId, allianceId)).orderBy(asc(studioAllianceMembers.id)).all();
  const studioIds = rows.flatMap((r) => (r.studioId === null ? [] : [r.studioId]));
  const studioRows = new Map(
    studioIds.length === 0 ? [] : db.select().from(studios).where(inArray(studios.id, studioIds)).all().map((s) => [s.id, s]),
  );
  const orgs = orgNames(db, [...rows.flatMap((r) => (r.employerId === null ? [] : [r.employerId])), ...[...studioRows.values()].map((s) => s.hostEmployerId)]);
  return rows.map((r) => {
    const studio = r.studioId === null ? undefined : studioRows.get(r.studioId);
    const employer = orgs.get(studio ? studio.hostEmployerId : r.employerId!)!;
    return { ...r, name: studio ? studio.name : employer.name, studioName: studio?.name ?? null, employer };
  });
}

function currentLead(db: Db | Tx, allianceId: number) {
  return db
    .select()
    .from(studioAllianceLeads)
    .where(and(eq(studioAllianceLeads.allianceId, allianceId), isNull(studioAllianceLeads.toDate)))
    .orderBy(desc(studioAllianceLeads.fromDate))
    .get();
}

function summaryOf(db: Db | Tx, alliance: AllianceRow, org: OrgRow): AllianceSummary {
  const members = membersOf(db, alliance.id);
  const lead = currentLead(db, alliance.id);
  const leadMember = lead ? members.find((m) => m.id === lead.memberId) : undefined;
  const projects = db.select({ id: studioAllianceProjects.id }).from(studioAllianceProjects).where(eq(studioAllianceProjects.allianceId, alliance.id)).all().length;
  return {
    id: alliance.id,
    name: alliance.name,
    field: alliance.field,
    org: { id: org.id, name: org.name },
    foundedOn: alliance.foundedOn,
    members: members.filter((m) => m.status === 'approved').length,
    pendingApplications: members.filter((m) => m.status === 'applied').length,
    lead: leadMember ? { id: leadMember.id, name: leadMember.name } : null,
    projects,
  };
}

function presentAlliance(db: Db | Tx, actor: StaffActor, alliance: AllianceRow, org: OrgRow): AllianceDetail {
  const members = membersOf(db, alliance.id);
  const lead = currentLead(db, alliance.id);
  const leads = db.select().from(studioAllianceLeads).where(eq(studioAllianceLeads.allianceId, alliance.id)).orderBy(asc(studioAllianceLeads.fromDate), asc(studioAllianceLeads.id)).all();
  const projects = db.select().from(studioAllianceProjects).where(eq(studioAllianceProjects.allianceId, alliance.id)).orderBy(asc(studioAllianceProjects.id)).all();
  const nameOf = new Map(members.map((m) => [m.id, m.name]));
  const memberList: AllianceMember[] = members.map((m) => ({
    id: m.id,
    memberType: m.memberType,
    studio: m.studioId === null ? null : { id: m.studioId, name: m.studioName ?? '' },
    employer: { id: m.employer.id, name: m.employer.name },
    name: m.name,
    status: m.status,
    appliedOn: m.appliedOn,
    decidedOn: m.decidedOn,
    note: m.note,
    isLead: lead?.memberId === m.id,
  }));
  return {
    ...summaryOf(db, alliance, org),
    description: alliance.description,
    memberList,
    leads: leads.map((l) => ({ member: { id: l.memberId, name: nameOf.get(l.memberId) ?? '' }, fromDate: l.fromDate, toDate: l.toDate })),
    projectList: projects.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      status: p.status,
      startedOn: p.startedOn,
      endedOn: p.endedOn,
      members: p.memberIds.map((id) => ({ id, name: nameOf.get(id) ?? '' })),
      outcome: p.outcome,
    })),
    canManage: isManager(actor),
  };
}

export function listAlliances(db: Db, actor: StaffActor): AllianceSummary[] {
  const scope = studioScope(db, actor);
  return db
    .select({ alliance: studioAlliances, org: organisations })
    .from(studioAlliances)
    .innerJoin(organisations, eq(organisations.id, studioAlliances.orgId))
    .where(like(organisations.path, `${scope.path}%`))
    .orderBy(asc(studioAlliances.id))
    .all()
    .map((r) => summaryOf(db, r.alliance, r.org));
}

export function getAlliance(db: Db, actor: StaffActor, allianceId: number): AllianceDetail {
  const { alliance, org } = allianceInScope(db, actor, allianceId);
  return presentAlliance(db, actor, alliance, org);
}

export function createAlliance(
  db: Db,
  actor: StaffActor,
  input: { name: string; field: string; foundedOn: string | null; description: string; orgId?: number },
): AllianceDetail {
  assertManager(actor);
  const org = organisationForField(db, studioScope(db, actor), input.orgId ?? actor.orgId, 'body.orgId');
  if (org.kind !== 'union') throw invalid('body.orgId', 'an alliance is kept by a union');
  return db.transaction((tx) => {
    const row = tx
      .insert(studioAlliances)
      .values({ orgId: org.id, name: input.name, field: input.field, foundedOn: input.foundedOn, description: input.description })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'studio.alliance.create', entityType: 'studio_alliance', entityId: row.id, orgId: org.id, after: row });
    return presentAlliance(tx, actor, row, org);
  });
}

export function updateAlliance(
  db: Db,
  actor: StaffActor,
  allianceId: number,
  patch: Partial<{ name: string; field: string; foundedOn: string | null; description: string }>,
): AllianceDetail {
  const { alliance: before, org } = allianceToManage(db, actor, allianceId);
  // Nothing to change (an empty body): the alliance as it is, not an empty UPDATE.
  if (Object.values(patch).every((v) => v === undefined)) return presentAlliance(db, actor, before, org);
  return db.transaction((tx) => {
    const row = tx.update(studioAlliances).set(patch).where(eq(studioAlliances.id, allianceId)).returning().get();
    recordAudit(tx, actor, { action: 'studio.alliance.update', entityType: 'studio_alliance', entityId: allianceId, orgId: org.id, before, after: row });
    return presentAlliance(tx, actor, row, org);
  });
}

/**
 * Records an application to join: a studio or an employer of the alliance's area. A rejected
 * applicant may apply again (the same record returns to `applied`).
 */
export function applyToAlliance(db: Db, actor: StaffActor, allianceId: number, input: AllianceApplicationInput): AllianceDetail {
  const { alliance, org } = allianceToManage(db, actor, allianceId);
  const scope = studioScope(db, actor);
  let studioId: number | null = null;
  let employerId: number | null = null;
  if (input.memberType === 'studio') {
    const { studio, host } = studioForField(db, scope, input.studioId, 'body.studioId');
    if (!host.path.startsWith(org.path)) throw invalid('body.studioId', `${studio.name} is outside the area of ${org.name}`);
    if (studio.status === 'delisted' || studio.status === 'rejected' || studio.status === 'withdrawn')
      throw invalid('body.studioId', `${studio.name} is not an active studio`);
    studioId = studio.id;
  } else {
    const employer = organisationForField(db, scope, input.employerId, 'body.employerId');
    if (employer.kind !== 'employer' && employer.kind !== 'department') throw invalid('body.employerId', `${employer.name} is not an employer`);
    if (!employer.path.startsWith(org.path)) throw invalid('body.employerId', `${employer.name} is outside the area of ${org.name}`);
    employerId = employer.id;
  }
  const field = input.memberType === 'studio' ? 'body.studioId' : 'body.employerId';
  const existing = db
    .select()
    .from(studioAllianceMembers)
    .where(and(eq(studioAllianceMembers.allianceId, allianceId), studioId !== null ? eq(studioAllianceMembers.studioId, studioId) : eq(studioAllianceMembers.employerId, employerId!)))
    .get();
  if (existing && existing.status !== 'rejected')
    throw new AppError(409, 'member_exists', existing.status === 'approved' ? 'Already a member' : 'An application is already pending', [{ field, message: 'already applied' }]);
  return db.transaction((tx) => {
    const row = existing
      ? tx
          .update(studioAllianceMembers)
          .set({ status: 'applied', appliedOn: input.appliedOn, decidedOn: null, note: input.note })
          .where(eq(studioAllianceMembers.id, existing.id))
          .returning()
          .get()
      : tx
          .insert(studioAllianceMembers)
          .values({ allianceId, memberType: input.memberType, studioId, employerId, status: 'applied', appliedOn: input.appliedOn, note: input.note })
          .returning()
          .get();
    recordAudit(tx, actor, { action: 'studio.alliance.apply', entityType: 'studio_alliance', entityId: allianceId, orgId: org.id, before: existing, after: row });
    return presentAlliance(tx, actor, alliance, org);
  });
}

/** Approves or rejects a pending application, on a date not before it. */
export function decideApplication(
  db: Db,
  actor: StaffActor,
  allianceId: number,
  memberId: number,
  input: { approve: boolean; date: string; note: string },
): AllianceDetail {
  const { alliance, org } = allianceToManage(db, actor, allianceId);
  const member = db.select().from(studioAllianceMembers).where(and(eq(studioAllianceMembers.id, memberId), eq(studioAllianceMembers.allianceId, allianceId))).get();
  if (!member) throw notFound('Alliance member');
  if (member.status !== 'applied') throw conflict('not_pending', `The application was already ${member.status}`);
  if (input.date < member.appliedOn) throw invalid('body.date', `the decision cannot be before the application (${member.appliedOn})`);
  return db.transaction((tx) => {
    const row = tx
      .update(studioAllianceMembers)
      .set({ status: input.approve ? 'approved' : 'rejected', decidedOn: input.date, note: input.note || member.note })
      .where(eq(studioAllianceMembers.id, memberId))
      .returning()
      .get();
    // The first member approved leads the alliance until the first rotation.
    if (input.approve && !currentLead(tx, allianceId)) tx.insert(studioAllianceLeads).values({ allianceId, memberId, fromDate: input.date }).run();
    recordAudit(tx, actor, { action: input.approve ? 'studio.alliance.approve' : 'studio.alliance.reject', entityType: 'studio_alliance', entityId: allianceId, orgId: org.id, before: member, after: row });
    return presentAlliance(tx, actor, alliance, org);
  });
}

/**
 * Passes the lead to the member given, or to the next approved member in joining order after
 * the current lead (round robin). The current term ends on the date the next one starts.
 */
export function rotateLead(db: Db, actor: StaffActor, allianceId: number, input: { date: string; memberId?: number }): AllianceDetail {
  const { alliance, org } = allianceToManage(db, actor, allianceId);
  const approved = db
    .select()
    .from(studioAllianceMembers)
    .where(and(eq(studioAllianceMembers.allianceId, allianceId), eq(studioAllianceMembers.status, 'approved')))
    .orderBy(asc(studioAllianceMembers.id))
    .all();
  if (approved.length === 0) throw conflict('no_members', 'The alliance has no approved members to lead it');
  const current = currentLead(db, allianceId);
  let next: MemberRow;
  if (input.memberId !== undefined) {
    const chosen = approved.find((m) => m.id === input.memberId);
    if (!chosen) throw invalid('body.memberId', 'not an approved member of this alliance');
    next = chosen;
  } else {
    const at = current ? approved.findIndex((m) => m.id === current.memberId) : -1;
    next = approved[(at + 1) % approved.length]!;
  }
  if (current && current.memberId === next.id) throw invalid('body.memberId', 'this member already leads the alliance');
  if (current && input.date <= current.fromDate) throw invalid('body.date', `the new term must start after ${current.fromDate}`);
  return db.transaction((tx) => {
    if (current) tx.update(studioAllianceLeads).set({ toDate: input.date }).where(eq(studioAllianceLeads.id, current.id)).run();
    const row = tx.insert(studioAllianceLeads).values({ allianceId, memberId: next.id, fromDate: input.date }).returning().get();
    recordAudit(tx, actor, { action: 'studio.alliance.rotate_lead', entityType: 'studio_alliance', entityId: allianceId, orgId: org.id, before: current, after: row });
    return presentAlliance(tx, actor, alliance, org);
  });
}

function checkProjectMembers(db: Db | Tx, allianceId: number, memberIds: number[]): void {
  const approved = new Set(
    db
      .select({ id: studioAllianceMembers.id })
      .from(studioAllianceMembers)
      .where(and(eq(studioAllianceMembers.allianceId, allianceId), eq(studioAllianceMembers.status, 'approved')))
      .all()
      .map((m) => m.id),
  );
  memberIds.forEach((id, i) => {
    if (!approved.has(id)) throw invalid(`body.memberIds.${i}`, `${id} is not an approved member of this alliance`);
  });
}

function checkProjectDates(startedOn: string | null, endedOn: string | null): void {
  if (startedOn && endedOn && endedOn < startedOn) throw invalid('body.endedOn', 'the project ends before it starts');
}

export function createProject(db: Db, actor: StaffActor, allianceId: number, input: CreateProjectInput): AllianceDetail {
  const { alliance, org } = allianceToManage(db, actor, allianceId);
  checkProjectMembers(db, allianceId, input.memberIds);
  checkProjectDates(input.startedOn, input.endedOn);
  return db.transaction((tx) => {
    const row = tx.insert(studioAllianceProjects).values({ allianceId, ...input }).returning().get();
    recordAudit(tx, actor, { action: 'studio.alliance.project.create', entityType: 'studio_alliance', entityId: allianceId, orgId: org.id, after: row });
    return presentAlliance(tx, actor, alliance, org);
  });
}

export function updateProject(db: Db, actor: StaffActor, allianceId: number, projectId: number, patch: UpdateProjectInput): AllianceDetail {
  const { alliance, org } = allianceToManage(db, actor, allianceId);
  const before = db.select().from(studioAllianceProjects).where(and(eq(studioAllianceProjects.id, projectId), eq(studioAllianceProjects.allianceId, allianceId))).get();
  if (!before) throw notFound('Project');
  if (patch.memberIds) checkProjectMembers(db, allianceId, patch.memberIds);
  checkProjectDates(patch.startedOn !== undefined ? patch.startedOn : before.startedOn, patch.endedOn !== undefined ? patch.endedOn : before.endedOn);
  return db.transaction((tx) => {
    const row = tx.update(studioAllianceProjects).set(patch).where(eq(studioAllianceProjects.id, projectId)).returning().get();
    recordAudit(tx, actor, { action: 'studio.alliance.project.update', entityType: 'studio_alliance', entityId: allianceId, orgId: org.id, before, after: row });
    return presentAlliance(tx, actor, alliance, org);
  });
}

