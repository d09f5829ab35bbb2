import { eq } from 'drizzle-orm';
import { competitions, events, rounds } from '../../../db/schema.ts';
import type { CompetitionStatus } from '../../contracts/competitions.ts';
import { deriveCompetitionStatus, type EventStage } from '../../domain/competition-status.ts';
import type { Actor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';

/**
 * Why the competition's status refuses marks (and paper sheets), or null while it is running.
 * Marks are taken only while the competition runs: not while it is a draft or still registering,
 * and not once every round is closed or results are out.
 */
export function marksRefusedByCompetition(status: CompetitionStatus): string | null {
  if (status === 'running') return null;
  return status === 'draft' || status === 'registration'
    ? `the competition has not started (${status}); marks are taken only while it is running`
    : `the competition is no longer running (${status}); marks are taken only while it is running`;
}

/**
 * Brings a competition's status in line with its events (server/domain/competition-status.ts) and
 * audits a change as `competition.status` by the actor whose action caused it. Called in the same
 * transaction as every change that can move it: closing or reopening a round, releasing or
 * finalising an event, adding or deleting an event, and the organiser's move to running.
 * @returns the status after the call
 */
export function syncCompetitionStatus(tx: Tx, actor: Actor | 'system', competitionId: number): CompetitionStatus {
  const competition = tx.select().from(competitions).where(eq(competitions.id, competitionId)).get();
  if (!competition) return 'draft';
  const stages = new Map<number, EventStage>();
  for (const e of tx
    .select({ id: events.id, releasedAt: events.releasedAt, finalAt: events.finalAt })
    .from(events)
    .where(eq(events.competitionId, competitionId))
    .all())
    stages.set(e.id, { released: e.releasedAt != null, final: e.finalAt != null, markingClosed: false });
  const roundStates = tx
    .select({ eventId: rounds.eventId, status: rounds.status })
    .from(rounds)
    .innerJoin(events, eq(events.id, rounds.eventId))
    .where(eq(events.competitionId, competitionId))
    .all();
  for (const [eventId, stage] of stages) {
    const own = roundStates.filter((r) => r.eventId === eventId);
    stage.markingClosed = own.length > 0 && own.every((r) => r.status === 'closed');
  }
  const next = deriveCompetitionStatus(competition.status, [...stages.values()]);
  if (next === competition.status) return next;
  tx.update(competitions).set({ status: next }).where(eq(competitions.id, competitionId)).run();
  recordAudit(tx, actor, {
    action: 'competition.status',
    entityType: 'competition',
    entityId: competitionId,
    orgId: competition.orgId,
    before: { status: competition.status },
    after: { status: next, followsEvents: true },
  });
  return next;
}
