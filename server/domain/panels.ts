/**
 * Panels (裁判组): who marks which part, and so how many marks an entry expects. Pure.
 *
 * A part's panel in a round is the judges seated on it (per criterion where the scheme says
 * `panel: 'criterion'`). Its size is the part's expected number of marks; judges recused from an
 * entry (same employer as the entrant) are expected to stand aside, so that entry expects fewer.
 *
 * While no judge is seated on a part, the scheme's `expectedMarks` is the panel size and the
 * event's judges (role `judge`) are the panel, as before panels existed: an entry then expects
 * the smaller of `expectedMarks` and the number of those judges not recused from it.
 *
 * Trainee judges (见习裁判, `PanelJudge.trainee`) are members who mark but never count: they are in
 * `panelMembers` (so their tablet offers the part) and out of every size and expectation.
 */
import { criteriaOf, panelPerCriterion, type Part, type Scheme } from '../contracts/scheme.ts';
import { sameEmployer, type EmployerRef } from './recusal.ts';
import { panelKey, type PanelExpectation } from './scoring.ts';

export interface PanelJudge {
  id: number;
  employer: EmployerRef;
  /** A trainee (见习裁判) marks with the panel but never counts: left out of every panel's size and expected marks. */
  trainee?: boolean;
}

/** The seats of one round: panel key (see panelKey) → the seated judges' ids. */
export type RoundSeats = ReadonlyMap<string, readonly number[]>;

/**
 * Recusal: a judge may not mark an entrant whose employer is their own (compared as
 * server/domain/recusal.ts says). An entry of several people (a pair, a team) is one entrant
 * with each member's employer: the judge stands aside if any member works with them.
 */
export function isRecused(judge: EmployerRef | null | undefined, entrant: EmployerRef | readonly EmployerRef[]): boolean {
  if (judge == null) return false;
  return Array.isArray(entrant) ? entrant.some((e: EmployerRef) => sameEmployer(judge, e)) : sameEmployer(judge, entrant as EmployerRef);
}

/** The panel keys of a part: the part id, or one `part:criterion` per criterion; none for objective parts. */
export function panelKeysOf(part: Part): { key: string; criterionId: string | null }[] {
  if (part.marking === 'objective') return [];
  if (panelPerCriterion(part)) return criteriaOf(part).map((c) => ({ key: panelKey(part.id, c.id), criterionId: c.id }));
  return [{ key: panelKey(part.id), criterionId: null }];
}

/** Who is on one panel: the seated judges, or (none seated) the event's judges; `seated` tells which. */
export function panelMembers(seats: RoundSeats, key: string, eventJudges: readonly PanelJudge[]): { judgeIds: number[]; seated: boolean } {
  const seated = seats.get(key);
  if (seated && seated.length > 0) return { judgeIds: [...seated], seated: true };
  return { judgeIds: eventJudges.map((j) => j.id), seated: false };
}

/**
 * What every panel of the scheme expects from one entry: its size and the marks expected after
 * recusals (see the file's header for panels without seats). Objective parts are left out: they
 * keep the scheme's `expectedMarks`.
 *
 * @param judges employer of every judge that may appear in `seats` or `eventJudges`
 */
export function panelExpectations(
  scheme: Scheme,
  seats: RoundSeats,
  eventJudges: readonly PanelJudge[],
  judges: ReadonlyMap<number, PanelJudge>,
  entrant: EmployerRef | readonly EmployerRef[],
): Record<string, PanelExpectation> {
  const out: Record<string, PanelExpectation> = {};
  for (const part of scheme.parts) {
    for (const { key } of panelKeysOf(part)) {
      const seated = seats.get(key);
      if (seated && seated.length > 0) {
        // Trainees sit on the panel to mark, but the panel that counts is the others.
        const counting = seated.filter((id) => !judges.get(id)?.trainee);
        const present = counting.filter((id) => !isRecused(judges.get(id)?.employer, entrant)).length;
        out[key] = { size: counting.length, expected: present };
      } else if (eventJudges.some((j) => !j.trainee)) {
        const present = eventJudges.filter((j) => !j.trainee && !isRecused(j.employer, entrant)).length;
        out[key] = { size: part.expectedMarks, expected: Math.min(part.expectedMarks, present) };
      }
    }
  }
  return out;
}
