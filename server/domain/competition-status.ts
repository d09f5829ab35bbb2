/**
 * A competition's status after it starts running follows its events. The organiser moves it
 * through draft → registration → running by hand; from then on it is derived:
 *
 * - final: every event's results are final (publicity period over, no appeal waiting);
 * - results_published: every event's results are released (some may already be final);
 * - marking_closed: every round of every event is closed, results not yet all released;
 * - running: otherwise (some round still open, or an event not yet released).
 *
 * A competition without events stays running. Reopening a round, or an event whose results are
 * not final, moves the status back the same way.
 */
export type CompetitionLifeStatus = 'draft' | 'registration' | 'running' | 'marking_closed' | 'results_published' | 'final';

/** What the derivation needs to know about each event. */
export interface EventStage {
  released: boolean;
  final: boolean;
  /** Every round of the event is closed (an event without rounds counts as open). */
  markingClosed: boolean;
}

/** The status a competition should have: `current` before it runs, else what its events say. */
export function deriveCompetitionStatus(current: CompetitionLifeStatus, events: readonly EventStage[]): CompetitionLifeStatus {
  if (current === 'draft' || current === 'registration') return current;
  if (events.length === 0) return 'running';
  if (events.every((e) => e.final)) return 'final';
  if (events.every((e) => e.released || e.final)) return 'results_published';
  if (events.every((e) => e.released || e.final || e.markingClosed)) return 'marking_closed';
  return 'running';
}
