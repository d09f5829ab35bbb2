import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EventCertainty } from '../../contracts/certainty.ts';
import type { CarryOver, Scheme } from '../../contracts/scheme.ts';
import { carriedTotal } from '../../domain/advancement.ts';
import { decideCertainty, entryBounds, prizeState, type CertaintyTargets, type EntryBounds, type RoundCertainty, type StillArriving } from '../../domain/certainty.ts';
import type { EntryInput, EntryScore, EntryStatus, MarkInput, RankingRow } from '../../domain/scoring.ts';
import { authorizeEvent } from '../event-access.ts';

/**
 * Live certainty on the server: the ranking service's rounds, as the engine sees them, in; per
 * entry bounds and states out. After a mark only the marked entry's bounds are recomputed (its
 * EntryScore is a new object, which is how a changed entry is recognised); the states of the
 * round are re-decided once per change (server/domain/certainty.ts decideCertainty).
 */

/** One round as the ranking service holds it (server/features/ranking/ranking.service.ts). */
export interface CertaintyRoundSource {
  /** The ranking service's round state: certainty is cached with it and dropped with it. */
  key: object;
  scheme: Scheme;
  carryOver: CarryOver;
  /** Marks and values can still arrive: the round is open and the event's results not released. */
  arriving: boolean;
  targets: CertaintyTargets;
  inputs: ReadonlyMap<number, EntryInput>;
  /** The engine's current score of each entry: a new object whenever the entry was re-scored. */
  scores: ReadonlyMap<number, EntryScore>;
  /** The entry's current marks, exactly as the ranking service gives them to the engine. */
  marksOf(entryId: number): MarkInput[];
}

/** What can still arrive for an entry of an open round (the marks and objective services' rules). */
export function arrivingFor(status: EntryStatus, roundArriving: boolean): StillArriving {
  if (!roundArriving) return { marks: false, objective: false };
  return {
    // Judges mark checked-in contestants; a registered one may still check in.
    marks: status === 'checked_in' || status === 'registered',
    // Staff enter values for everyone taking part, withdrawn included (a theory exam sat before leaving).
    objective: status !== 'absent' && status !== 'disqualified' && status !== 'reserve',
  };
}

type Cached = {
  entries: Map<number, { score: EntryScore; carriedMin: number; carriedMax: number; bounds: EntryBounds }>;
  targets: string;
  result: RoundCertainty | null;
};

const cache = new WeakMap<object, Cached>();

/**
 * The certainty of round `index` (bounds by entry and the decided states), from cache where
 * nothing changed. Rounds that carry earlier totals forward take the earlier rounds' bounds as
 * the range of what they carry (carriedTotal is monotone in each round's total).
 */
export function roundCertainty(rounds: readonly CertaintyRoundSource[], index: number): { result: RoundCertainty; bounds: Map<number, EntryBounds> } {
  const source = rounds[index]!;
  const targets = JSON.stringify([source.targets.prizeRule ?? null, source.targets.advancement ?? null, source.targets.withdrawn ?? null]);
  let cached = cache.get(source.key);
  if (!cached || cached.targets !== targets) {
    cached = { entries: new Map(), targets, result: null };
    cache.set(source.key, cached);
  }
  const earlier = source.carryOver !== 'none' && index > 0 ? rounds.slice(0, index).map((_, j) => roundCertainty(rounds, j).bounds) : [];

  const bounds = new Map<number, EntryBounds>();
  let changed = cached.result === null || cached.entries.size !== source.inputs.size;
  for (const [entryId, input] of source.inputs) {
    const score = source.scores.get(entryId);
    if (!score) continue;
    let carriedMin = 0;
    let carriedMax = 0;
    if (earlier.length > 0) {
      carriedMin = carriedTotal(
        earlier.map((b) => b.get(entryId)?.min.roundTotal ?? 0),
        source.carryOver,
      );
      carriedMax = carriedTotal(
        earlier.map((b) => b.get(entryId)?.max.roundTotal ?? 0),
        source.carryOver,
      );
    }
    const hit = cached.entries.get(entryId);
    if (hit && hit.score === score && hit.carriedMin === carriedMin && hit.carriedMax === carriedMax) {
      bounds.set(entryId, hit.bounds);
      continue;
    }
    const b = entryBounds(source.scheme, {
      input,
      marks: source.marksOf(entryId),
      arriving: arrivingFor(input.status, source.arriving),
      current: score,
      ...(earlier.length > 0 ? { carried: { min: carriedMin, max: carriedMax } } : {}),
    });
    cached.entries.set(entryId, { score, carriedMin, carriedMax, bounds: b });
    bounds.set(entryId, b);
    changed = true;
  }
  if (changed) {
    for (const id of cached.entries.keys()) if (!bounds.has(id)) cached.entries.delete(id);
    cached.result = decideCertainty(source.scheme, [...bounds.values()], source.targets);
  }
  return { result: cached.result!, bounds };
}

/** What the badges on a venue screen say for each entry: its advancement and some prize are certain. */
export function clinchedBadges(result: RoundCertainty): Map<number, ('advancement' | 'prize')[]> {
  const out = new Map<number, ('advancement' | 'prize')[]>();
  for (const e of result.entries) {
    const badges: ('advancement' | 'prize')[] = [];
    if (e.advancement === 'clinched') badges.push('advancement');
    if (e.prize?.guaranteed != null) badges.push('prize');
    out.set(e.entryId, badges);
  }
  return out;
}

/** What the ranking service hands over for the API (see RankingService.certaintyView). */
export interface CertaintyView {
  eventId: number;
  released: boolean;
  rounds: EventCertainty['rounds'];
  index: number;
  sources: CertaintyRoundSource[];
  /** The round's engine ranking, for the order and the current ranks. */
  rows: readonly RankingRow[];
  numberOf(entryId: number): number | null;
}

/** The certainty of one round as the API presents it: numbers only, in the engine's order. */
export function presentCertainty(view: CertaintyView): EventCertainty {
  const source = view.sources[view.index]!;
  const { result } = roundCertainty(view.sources, view.index);
  const byEntry = new Map(result.entries.map((e) => [e.entryId, e]));
  const rule = source.targets.prizeRule ?? null;
  const advancement = source.targets.advancement ?? null;
  return {
    eventId: view.eventId,
    roundId: view.rounds[view.index]!.id,
    rounds: view.rounds,
    released: view.released,
    arriving: source.arriving,
    prize: rule
      ? {
          ties: rule.ties,
          entrants: result.prizeEntrants,
          tiers: rule.tiers.map((t, k) => ({ tier: k + 1, label: t.label, places: result.prizePlaces?.[k] ?? 0, minScore: t.minScore ?? null })),
        }
      : null,
    advancement: advancement ? { rule: advancement, places: result.advancementPlaces } : null,
    rows: view.rows.flatMap((row) => {
      const e = byEntry.get(row.entryId);
      if (!e) return [];
      return [
        {
          entryId: e.entryId,
          number: view.numberOf(e.entryId),
          status: e.status,
          rank: row.rank,
          ranked: e.ranked,
          total: e.total,
          min: e.min,
          max: e.max,
          missing: e.missing,
          settled: e.settled,
          prize: e.prize ? { state: prizeState(e.prize), guaranteedTier: e.prize.guaranteed, bestTier: e.prize.best, exact: e.prize.exact } : null,
          advancement: e.advancement,
        },
      ];
    }),
  };
}

/** GET /api/events/:id/certainty: the chief judge and supervisors of the event, organisers and administrators in scope. */
export function eventCertainty(app: FastifyInstance, req: FastifyRequest, eventId: number, roundId?: number): EventCertainty {
  authorizeEvent(app, req, eventId, { staff: ['admin', 'organiser'], judge: ['chief', 'supervisor'] });
  return presentCertainty(app.rankings.certaintyView(eventId, roundId));
}
