import type { Db } from '../../../db/client.ts';
import type { CompetitionStatus } from '../../contracts/competitions.ts';

/**
 * Prepared statements for the mark submission path. Raw SQL on purpose: this path runs
 * thousands of times a second at a busy venue, and prepared statements skip query building.
 */
export function markQueries(db: Db) {
  let q = cache.get(db);
  if (!q) {
    q = prepare(db);
    cache.set(db, q);
  }
  return q;
}

const cache = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  const s = db.$client;
  return {
    event: s.prepare<
      [number],
      { id: number; competition_id: number; competition_status: CompetitionStatus; scheme: string; released_at: number | null; org_id: number }
    >(
      `select e.id, e.competition_id, c.status as competition_status, e.scheme, e.released_at, c.org_id
       from events e join competitions c on c.id = e.competition_id where e.id = ?`,
    ),
    round: s.prepare<[number], RoundRow>(`select id, event_id, status, seq, scheme from rounds where id = ?`),
    openRound: s.prepare<[number], RoundRow>(
      `select id, event_id, status, seq, scheme from rounds where event_id = ? and status = 'open' order by seq limit 1`,
    ),
    entryByNumber: s.prepare<
      [number, number],
      { id: number; status: string; drawn_number: number; employer_id: number | null; employer_name: string | null }
    >(
      `select e.id, e.status, e.drawn_number, p.employer_id, coalesce(o.name, p.employer_name) as employer_name
       from entries e join people p on p.id = e.person_id left join organisations o on o.id = p.employer_id
       where e.event_id = ? and e.drawn_number = ?`,
    ),
    inRound: s.prepare<[number, number], { one: number }>(`select 1 as one from round_entries where round_id = ? and entry_id = ?`),
    /** The employers of a team or pair entry's members (none for an individual): recusal compares each. */
    memberEmployers: s.prepare<[number], { employer_id: number | null; employer_name: string | null }>(
      `select p.employer_id, coalesce(o.name, p.employer_name) as employer_name
       from entry_members em join people p on p.id = em.person_id left join organisations o on o.id = p.employer_id
       where em.entry_id = ?`,
    ),
    markByKey: s.prepare<[string], MarkRow>(`${MARK_SELECT} where m.idempotency_key = ?`),
    markById: s.prepare<[number], MarkRow>(`${MARK_SELECT} where m.id = ?`),
    currentVersion: s.prepare<[number, number, number, string, string], { version: number | null }>(
      `select max(version) as version from marks where round_id = ? and entry_id = ? and judge_id = ? and part_id = ? and criterion_id = ?`,
    ),
    /** The seats of one part's panels in a round ('' criterion: the whole part). */
    seats: s.prepare<[number, string], { judge_id: number; criterion_id: string }>(
      `select judge_id, criterion_id from panel_seats where round_id = ? and part_id = ?`,
    ),
    /** Judges who have marked a part (any criterion) of an entry in a round. */
    partMarkers: s.prepare<[number, number, string], { judge_id: number }>(
      `select distinct judge_id from marks where round_id = ? and entry_id = ? and part_id = ?`,
    ),
    /** Judges who have marked one criterion of a part of an entry in a round. */
    criterionMarkers: s.prepare<[number, number, string, string], { judge_id: number }>(
      `select distinct judge_id from marks where round_id = ? and entry_id = ? and part_id = ? and criterion_id = ?`,
    ),
    insertMark: s.prepare<
      [number, number, number, string, string, number, number, string | null, number, string | null, string | null, number | null]
    >(
      `insert into marks (round_id, entry_id, judge_id, part_id, criterion_id, version, value, reason, entered_at, device, idempotency_key, judge_code_number)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

/** A round as the marks path reads it; `scheme` is the round's own (JSON) or null: read it through schemeForRound. */
type RoundRow = { id: number; event_id: number; status: 'open' | 'closed'; seq: number; scheme: string | null };

export type MarkRow = {
  id: number;
  round_id: number;
  entry_id: number;
  judge_id: number;
  part_id: string;
  criterion_id: string;
  version: number;
  value: number;
  reason: string | null;
  entered_at: number;
  device: string | null;
  idempotency_key: string | null;
  judge_code_number: number | null;
  drawn_number: number | null;
  event_id: number;
};

export const MARK_SELECT = `select m.*, e.drawn_number, e.event_id from marks m join entries e on e.id = m.entry_id`;
