import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { people, personTitles, titleYearlyReviews } from '../../../db/schema.ts';
import { namingDay, reviewsMissing, reviewYears, titleStanding } from '../../domain/selections/index.ts';
import { chinaDate } from '../../domain/working-days.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { managed, readable, type SelectionRow } from './selections.service.ts';

/**
 * The titles a selection conferred, after naming: their term (称号期限), the yearly review
 * (年度考核) a fixed-term title owes, and revocation (撤销称号) with its reason. The union that
 * named them manages them; everything is audited. The rules of the term are in
 * server/domain/selections/title-term.ts.
 */

type TitleRow = typeof personTitles.$inferSelect;

export function presentTitle(t: TitleRow) {
  return {
    id: t.id,
    personId: t.personId,
    titleTypeId: t.titleTypeId,
    selectionId: t.selectionId,
    certificateNumber: t.certificateNumber,
    conferredAt: t.conferredAt.toISOString(),
    termEnds: t.termEnds,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    revokeReason: t.revokeReason,
  };
}

const namedOnOf = (sel: SelectionRow, t: TitleRow) => namingDay(sel.namingDate, sel.namedAt ?? t.conferredAt);

export function listSelectionTitles(app: FastifyInstance, actor: StaffActor, selectionId: number) {
  const { sel } = readable(app, actor, selectionId);
  const rows = app.db
    .select({ t: personTitles, name: people.name })
    .from(personTitles)
    .innerJoin(people, eq(people.id, personTitles.personId))
    .where(eq(personTitles.selectionId, selectionId))
    .orderBy(asc(personTitles.certificateNumber), asc(personTitles.id))
    .all();
  const reviews = rows.length
    ? app.db
        .select()
        .from(titleYearlyReviews)
        .where(
          inArray(
            titleYearlyReviews.personTitleId,
            rows.map((r) => r.t.id),
          ),
        )
        .orderBy(asc(titleYearlyReviews.year))
        .all()
    : [];
  const today = chinaDate(app.clock.now());
  return rows.map(({ t, name }) => {
    const own = reviews.filter((r) => r.personTitleId === t.id);
    const namedOn = namedOnOf(sel, t);
    const revoked = t.revokedAt !== null;
    return {
      ...presentTitle(t),
      personName: name,
      namedOn,
      standing: titleStanding({ termEnds: t.termEnds, revoked }, today),
      reviews: own.map((r) => ({ year: r.year, outcome: r.outcome, note: r.note, recordedAt: r.recordedAt.toISOString() })),
      reviewsMissing: reviewsMissing(
        { namedOn, termEnds: t.termEnds, revoked },
        own.map((r) => r.year),
        today,
      ),
    };
  });
}

/** A title a selection conferred, with the selection the caller manages; anything else is not found. */
function managedTitle(app: FastifyInstance, actor: StaffActor, personTitleId: number) {
  const title = app.db.select().from(personTitles).where(eq(personTitles.id, personTitleId)).get();
  if (!title || title.selectionId === null) throw notFound('Craftsman title');
  return { title, ...managed(app, actor, title.selectionId) };
}

/**
 * The outcome of a fixed-term title's yearly review. Only for a year the term asks for that has
 * begun; once per year (the same outcome sent again is answered with what is stored, so a retry
 * is harmless; a different one is refused). A failed review says why and leaves revoking to its
 * own decision.
 */
export function recordYearlyReview(app: FastifyInstance, actor: StaffActor, personTitleId: number, input: { year: number; outcome: 'passed' | 'failed'; note: string }) {
  const { title, sel } = managedTitle(app, actor, personTitleId);
  if (title.revokedAt) throw conflict('already_revoked', 'This title was revoked: it is not reviewed any more');
  const today = chinaDate(app.clock.now());
  const years = reviewYears(namedOnOf(sel, title), title.termEnds, today);
  if (title.termEnds === null) throw conflict('title_for_life', 'This title is held for life: it has no yearly review');
  if (!years.includes(input.year)) throw invalid('body.year', years.length ? `a year from ${years[0]} to ${years.at(-1)}` : 'no year of the term has begun yet', 'year_out_of_term');
  return app.db.transaction(
    (tx) => {
      const stored = tx
        .select()
        .from(titleYearlyReviews)
        .where(and(eq(titleYearlyReviews.personTitleId, personTitleId), eq(titleYearlyReviews.year, input.year)))
        .get();
      if (stored) {
        if (stored.outcome === input.outcome && stored.note === input.note) return listSelectionTitles(app, actor, sel.id).find((t) => t.id === personTitleId)!;
        throw conflict('review_recorded', `The review for ${input.year} is recorded (${stored.outcome})`);
      }
      const row = tx
        .insert(titleYearlyReviews)
        .values({ personTitleId, year: input.year, outcome: input.outcome, note: input.note, recordedBy: actor.accountId, recordedAt: app.clock.now() })
        .returning()
        .get();
      recordAudit(tx, actor, { action: 'selection.title_review', entityType: 'person_title', entityId: personTitleId, orgId: sel.orgId, after: row });
      return listSelectionTitles(app, actor, sel.id).find((t) => t.id === personTitleId)!;
    },
    { behavior: 'immediate' },
  );
}

/** Revokes a title a selection conferred (撤销称号), with the reason. The row stays: the title is never conferred again. */
export function revokeTitle(app: FastifyInstance, actor: StaffActor, personTitleId: number, reason: string) {
  const { title: before, sel } = managedTitle(app, actor, personTitleId);
  if (before.revokedAt) throw conflict('already_revoked', 'This title was already revoked');
  const after = app.db.transaction((tx) => {
    const row = tx.update(personTitles).set({ revokedAt: app.clock.now(), revokeReason: reason }).where(eq(personTitles.id, personTitleId)).returning().get();
    recordAudit(tx, actor, { action: 'selection.title_revoke', entityType: 'person_title', entityId: personTitleId, orgId: sel.orgId, before, after: row });
    return row;
  });
  return presentTitle(after);
}
