import { and, count, desc, eq, gte, inArray, like, lte, min, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { awardProposals, competitions, events, organisations, people, skillCertificates } from '../../../db/schema.ts';
import type { Certificate } from '../../contracts/certificates.ts';
import { certificateNumberProblem } from '../../domain/awards/index.ts';
import { maskResidentId } from '../../domain/resident-id.ts';
import { skillLevelLabel } from '../../domain/skill-levels.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { assertInScope, type StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { organisationForField } from '../organisations/organisations.service.ts';
import { getPersonInScope } from '../people/people.service.ts';

type CertRow = typeof skillCertificates.$inferSelect;

/** HR officers and administrators keep certified levels and see full ID numbers. */
export const CERTIFICATE_KEEPERS = ['admin', 'hr_officer'] as const;
const seesFullIds = (actor: StaffActor) => (CERTIFICATE_KEEPERS as readonly string[]).includes(actor.role);

/** The competition and event each promotion came from, as people name it: "2026年肥西县电工技能竞赛 · 电工", by proposal id (one query for a page of certificates). */
function promotionSources(db: Db, rows: readonly CertRow[]): Map<number, string> {
  const ids = rows.flatMap((r) => (r.proposalId === null ? [] : [r.proposalId]));
  if (ids.length === 0) return new Map();
  return new Map(
    db
      .select({ id: awardProposals.id, competition: competitions.name, event: events.name })
      .from(awardProposals)
      .innerJoin(events, eq(events.id, awardProposals.eventId))
      .innerJoin(competitions, eq(competitions.id, events.competitionId))
      .where(inArray(awardProposals.id, ids))
      .all()
      .map((p) => [p.id, `${p.competition} · ${p.event}`]),
  );
}

export function presentCertificate(db: Db, row: CertRow, person: { name: string; idNumber: string }, actor: StaffActor, sources = promotionSources(db, [row])): Certificate {
  return {
    id: row.id,
    personId: row.personId,
    personName: person.name,
    idNumber: seesFullIds(actor) ? person.idNumber : maskResidentId(person.idNumber),
    orgId: row.orgId,
    occupationCode: row.occupationCode,
    occupationName: row.occupationName,
    trade: row.trade,
    level: row.level,
    levelLabel: skillLevelLabel(row.level),
    certificateNumber: row.certificateNumber,
    issueDate: row.issueDate,
    evaluationBody: row.evaluationBody,
    basis: row.basis,
    theoryScore: row.theoryScore,
    practicalScore: row.practicalScore,
    status: row.status,
    proposalId: row.proposalId,
    fromCompetition: row.proposalId === null ? null : (sources.get(row.proposalId) ?? null),
  };
}

/**
 * An issued certificate needs its number, date and evaluating body, and the number must agree
 * with the record (人社鉴发〔2019〕2号: year and level digits). Each problem names its field.
 */
function checkIssued(r: Pick<CertRow, 'certificateNumber' | 'issueDate' | 'evaluationBody' | 'level' | 'status'>): void {
  if (r.status !== 'issued') return;
  const problems: { field: string; message: string }[] = [];
  if (!r.issueDate) problems.push({ field: 'body.issueDate', message: 'an issued certificate needs its issue date' });
  if (!r.evaluationBody) problems.push({ field: 'body.evaluationBody', message: 'an issued certificate needs its evaluation body' });
  if (!r.certificateNumber) problems.push({ field: 'body.certificateNumber', message: 'an issued certificate needs its number' });
  else {
    const problem = certificateNumberProblem(r.certificateNumber, { issueDate: r.issueDate ?? undefined, level: r.level });
    if (problem) problems.push({ field: 'body.certificateNumber', message: problem });
  }
  if (problems.length > 0) throw new AppError(400, 'certificate_invalid', problems.map((p) => p.message).join('; '), problems);
}

function assertNumberFree(tx: Tx, number: string | null | undefined, exceptId?: number): void {
  if (!number) return;
  const existing = tx.select({ id: skillCertificates.id }).from(skillCertificates).where(eq(skillCertificates.certificateNumber, number)).get();
  if (existing && existing.id !== exceptId)
    throw new AppError(409, 'certificate_number_taken', `Certificate number ${number} is already recorded`, [{ field: 'body.certificateNumber', message: 'already recorded' }]);
}

/**
 * The person's current certified level follows their best issued certificate (1 is highest),
 * so competition rules that look at it see what the HR bureau has certified.
 */
export function refreshPersonLevel(tx: Tx, personId: number): void {
  const best = tx
    .select({ level: min(skillCertificates.level) })
    .from(skillCertificates)
    .where(and(eq(skillCertificates.personId, personId), eq(skillCertificates.status, 'issued')))
    .get()?.level;
  if (best != null) tx.update(people).set({ skillLevel: best }).where(eq(people.id, personId)).run();
}

function getInScope(db: Db, actor: StaffActor, id: number) {
  const row = db
    .select({ cert: skillCertificates, path: organisations.path, name: people.name, idNumber: people.idNumber })
    .from(skillCertificates)
    .innerJoin(organisations, eq(organisations.id, skillCertificates.orgId))
    .innerJoin(people, eq(people.id, skillCertificates.personId))
    .where(eq(skillCertificates.id, id))
    .get();
  if (!row) throw notFound('Certificate');
  assertInScope(actor, row.path);
  return row;
}

export function getCertificate(db: Db, actor: StaffActor, id: number): Certificate {
  const row = getInScope(db, actor, id);
  return presentCertificate(db, row.cert, row, actor);
}

/**
 * The certificates a body below `path` reads (the query joins organisations on the certificate's
 * recording body): those recorded by bodies of that subtree (an HR bureau's own), and those that
 * came from promotions in competitions run by that subtree (a union sees what its contests led to,
 * whichever bureau recorded them). Reading only: changing one stays with the recording body.
 */
export function certificatesReadBy(db: Db, path: string): SQL {
  const fromOwnCompetitions = db
    .select({ id: awardProposals.id })
    .from(awardProposals)
    .innerJoin(events, eq(events.id, awardProposals.eventId))
    .innerJoin(competitions, eq(competitions.id, events.competitionId))
    .innerJoin(organisations, eq(organisations.id, competitions.orgId))
    .where(like(organisations.path, `${path}%`));
  return or(like(organisations.path, `${path}%`), inArray(skillCertificates.proposalId, fromOwnCompetitions))!;
}

export function listCertificates(
  db: Db,
  actor: StaffActor,
  q: { page: number; pageSize: number; personId?: number; from?: string; to?: string; orgId?: number; occupationCode?: string; level?: number; status?: 'pending' | 'issued' },
) {
  const scope = q.orgId ? organisationForField(db, actor, q.orgId, 'querystring.orgId').path : actor.orgPath;
  const where: SQL[] = [certificatesReadBy(db, scope)];
  if (q.personId) where.push(eq(skillCertificates.personId, q.personId));
  if (q.occupationCode) where.push(eq(skillCertificates.occupationCode, q.occupationCode));
  if (q.level) where.push(eq(skillCertificates.level, q.level));
  if (q.status) where.push(eq(skillCertificates.status, q.status));
  if (q.from) where.push(gte(skillCertificates.issueDate, q.from));
  if (q.to) where.push(lte(skillCertificates.issueDate, q.to));
  const cond = and(...where);
  const rows = db
    .select({ cert: skillCertificates, name: people.name, idNumber: people.idNumber })
    .from(skillCertificates)
    .innerJoin(organisations, eq(organisations.id, skillCertificates.orgId))
    .innerJoin(people, eq(people.id, skillCertificates.personId))
    .where(cond)
    .orderBy(desc(skillCertificates.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .all();
  const total =
    db.select({ n: count() }).from(skillCertificates).innerJoin(organisations, eq(organisations.id, skillCertificates.orgId)).where(cond).get()?.n ?? 0;
  const sources = promotionSources(db, rows.map((r) => r.cert));
  return { items: rows.map((r) => presentCertificate(db, r.cert, r, actor, sources)), total, page: q.page, pageSize: q.pageSize };
}

export type CertificateInput = Omit<typeof skillCertificates.$inferInsert, 'id' | 'createdAt' | 'orgId'> & { orgId?: number };

/** Records a certificate (issued, or pending for the HR officer to complete). */
export function createCertificate(db: Db, actor: StaffActor, input: CertificateInput, tx: Tx = db): Certificate {
  const person = getPersonInScope(db, actor, input.personId);
  const orgId = input.orgId ?? actor.orgId;
  organisationForField(db, actor, orgId, 'body.orgId');
  const values = {
    ...input,
    orgId,
    trade: input.trade || '--',
    status: input.status ?? 'issued',
    certificateNumber: input.certificateNumber ?? null,
    issueDate: input.issueDate ?? null,
    evaluationBody: input.evaluationBody ?? null,
  };
  checkIssued(values);
  assertNumberFree(tx, values.certificateNumber);
  const write = (t: Tx) => {
    const row = t.insert(skillCertificates).values(values).returning().get();
    refreshPersonLevel(t, row.personId);
    recordAudit(t, actor, { action: 'certificate.create', entityType: 'certificate', entityId: row.id, orgId, after: row });
    return row;
  };
  const row = tx === db ? db.transaction(write) : write(tx);
  return presentCertificate(db, row, person, actor);
}

/** Completes or corrects a record; issuing a pending one checks it like a new issued certificate. */
export function updateCertificate(db: Db, actor: StaffActor, id: number, patch: Partial<CertificateInput>): Certificate {
  const before = getInScope(db, actor, id);
  // Nothing to change (an empty body): the record as it is, not an empty UPDATE.
  if (Object.values(patch).every((v) => v === undefined)) return presentCertificate(db, before.cert, before, actor);
  if (before.cert.status === 'issued' && patch.status === 'pending') throw conflict('already_issued', 'An issued certificate cannot go back to pending');
  const merged = { ...before.cert, ...patch };
  checkIssued(merged);
  assertNumberFree(db, merged.certificateNumber, id);
  const row = db.transaction((tx) => {
    const after = tx.update(skillCertificates).set(patch).where(eq(skillCertificates.id, id)).returning().get();
    refreshPersonLevel(tx, after.personId);
    recordAudit(tx, actor, {
      action: before.cert.status === 'pending' && after.status === 'issued' ? 'certificate.issue' : 'certificate.update',
      entityType: 'certificate',
      entityId: id,
      orgId: after.orgId,
      before: before.cert,
      after,
    });
    return after;
  });
  return presentCertificate(db, row, before, actor);
}
