import type { Scheme } from '../../contracts/scheme.ts';
import { allocatePrizes, allocateTeamPrizes } from '../awards/index.ts';
import { carriedTotal, computeTeamRanking, rankEntries, roundHalfUp, scoreEntry, selectAdvancers, type EntryInput, type EntryScore, type MarkInput, type RankingRow } from '../index.ts';
import type { CompetitionPackage, PackageEvent } from './format.ts';

/**
 * The verifier: recomputes every total, rank, advancement and prize of a competition package from
 * its marks with the project's scoring engine alone (no database, no server) and compares them
 * with the results the package says were published. Used by `npm run verify -- FILE`
 * (server/cli/verify.ts), by the chief judge's check before release, and by the import.
 *
 * Numbers are compared as published, at 2 decimals (rounded half-up); ranks, shared ranks,
 * completeness, advancement and prize tiers exactly. Every difference is reported with where it
 * is (event, round, entry and drawn number) and both values: a package is verified only when
 * there is none.
 */

export type VerifyProblem = {
  /** Round sequence number, when the problem is in a round. */
  round: number | null;
  entry: string | null;
  number: number | null;
  /** What differs: total, rank, shared, roundTotal, carried, complete, provisional, part:<id>, advanced, prize, team_prize, missing_result, extra_result, package. */
  what: string;
  published: unknown;
  recomputed: unknown;
};

export type EventVerification = {
  ref: string;
  name: string;
  ok: boolean;
  rounds: number;
  entries: number;
  marks: number;
  /** Prizes checked against the rule (individual and team); null when none were awarded yet. */
  prizes: number | null;
  problems: VerifyProblem[];
};

export type PackageVerification = { ok: boolean; verified: number; total: number; events: EventVerification[] };

const at2 = (n: number) => roundHalfUp(n, 2);
const same = (a: number | null, b: number | null) => (a === null || b === null ? a === b : at2(a) === at2(b));

export function verifyPackage(pkg: CompetitionPackage): PackageVerification {
  const events = pkg.events.map(verifyEvent);
  const verified = events.filter((e) => e.ok).length;
  return { ok: verified === events.length, verified, total: events.length, events };
}

/** Recomputes one event's rounds (in order: later rounds carry earlier totals) and its prizes. */
export function verifyEvent(ev: PackageEvent): EventVerification {
  const problems: VerifyProblem[] = [];
  // The engine keys entries, judges and teams by number: the document's references mapped in order.
  const entryId = new Map(ev.entries.map((e, i) => [e.ref, i + 1]));
  const entryRef = new Map([...entryId].map(([r, id]) => [id, r]));
  const entryOf = new Map(ev.entries.map((e) => [e.ref, e]));
  const judgeId = new Map<string, number>();
  const judgeOf = (ref: string) => {
    let id = judgeId.get(ref);
    if (id === undefined) judgeId.set(ref, (id = judgeId.size + 1));
    return id;
  };
  const teamId = new Map<string, number>();
  const teamOf = (name: string | null) => {
    if (name === null) return null;
    let id = teamId.get(name);
    if (id === undefined) teamId.set(name, (id = teamId.size + 1));
    return id;
  };
  const problem = (p: Omit<VerifyProblem, 'number'> & { entryId?: number }) => {
    const ref = p.entryId !== undefined ? (entryRef.get(p.entryId) ?? null) : p.entry;
    problems.push({ round: p.round, entry: ref, number: ref ? (entryOf.get(ref)?.number ?? null) : null, what: p.what, published: p.published, recomputed: p.recomputed });
  };

  // Trainee judges' marks are in the package (every mark is) but never count (server/domain/judging/trainees.ts).
  const trainees = new Set(ev.panel.filter((a) => a.trainee && a.role === 'judge').map((a) => a.judge));
  const rounds = [...ev.rounds].sort((a, b) => a.seq - b.seq);
  const roundTotals: Map<number, number>[] = [];
  let marksCounted = 0;
  let lastRows: RankingRow[] = [];

  rounds.forEach((round, index) => {
    const scheme: Scheme = round.scheme ?? ev.scheme;
    const objectiveParts = new Set(scheme.parts.filter((p) => p.marking === 'objective').map((p) => p.id));
    // The counting version of each mark and objective value: the highest.
    const marksByEntry = new Map<number, MarkInput[]>();
    for (const m of round.marks) {
      const id = entryId.get(m.entry);
      if (id === undefined) {
        problem({ round: round.seq, entry: m.entry, what: 'package', published: 'a mark for an entry the event does not list', recomputed: null });
        continue;
      }
      if (trainees.has(m.judge)) continue;
      const current = m.versions.reduce((a, b) => (b.version > a.version ? b : a));
      let list = marksByEntry.get(id);
      if (!list) marksByEntry.set(id, (list = []));
      list.push({ entryId: id, judgeId: judgeOf(m.judge), partId: m.part, criterionId: m.criterion, value: current.value });
      marksCounted++;
    }
    const objectiveByEntry = new Map<number, Record<string, number | null>>();
    for (const o of round.objective) {
      const id = entryId.get(o.entry);
      if (id === undefined || !objectiveParts.has(o.part)) continue;
      const current = o.versions.reduce((a, b) => (b.version > a.version ? b : a));
      const values = objectiveByEntry.get(id) ?? {};
      values[o.part] = current.value;
      objectiveByEntry.set(id, values);
    }

    const scores: EntryScore[] = [];
    const totals = new Map<number, number>();
    for (const re of round.entries) {
      const id = entryId.get(re.entry);
      const entry = entryOf.get(re.entry);
      if (id === undefined || !entry) {
        problem({ round: round.seq, entry: re.entry, what: 'package', published: 'a round entry the event does not list', recomputed: null });
        continue;
      }
      const earlier = roundTotals.slice(0, index).map((t) => t.get(id) ?? 0);
      const input: EntryInput = {
        entryId: id,
        status: entry.status,
        completionSeconds: re.completionSeconds,
        difficulty: re.difficulty,
        ...(re.baseValues ? { baseValues: re.baseValues } : {}),
        // The engine needs which elements are void; the reasons are for people.
        ...(re.voids ? { voids: Object.fromEntries(Object.entries(re.voids).map(([part, byElement]) => [part, Object.keys(byElement)])) } : {}),
        carried: index === 0 ? 0 : carriedTotal(earlier, round.carryOver),
        objective: objectiveByEntry.get(id) ?? {},
        teamId: teamOf(entry.delegation),
        panels: re.panels,
      };
      const score = scoreEntry(scheme, input, marksByEntry.get(id) ?? []);
      scores.push(score);
      totals.set(id, score.roundTotal);
    }
    roundTotals.push(totals);
    const rows = rankEntries(scheme, scores, { withdrawn: ev.withdrawnRanking });
    lastRows = rows;

    // Who the round's rule sends on, against who the package says went on.
    const next = rounds[index + 1];
    const advancing = next && round.advancement ? new Set(selectAdvancers(rows, round.advancement).entryIds) : null;

    const published = new Map(round.results.map((r) => [r.entry, r]));
    for (const row of rows) {
      const ref = entryRef.get(row.entryId)!;
      const pub = published.get(ref);
      published.delete(ref);
      if (!pub) {
        problem({ round: round.seq, entryId: row.entryId, entry: ref, what: 'missing_result', published: null, recomputed: { rank: row.rank, total: at2(row.total) } });
        continue;
      }
      const check = (what: string, a: unknown, b: unknown, equal: boolean) => {
        if (!equal) problem({ round: round.seq, entryId: row.entryId, entry: ref, what, published: a, recomputed: b });
      };
      check('total', pub.total, at2(row.total), same(pub.total, row.total));
      check('roundTotal', pub.roundTotal, at2(row.score.roundTotal), same(pub.roundTotal, row.score.roundTotal));
      check('carried', pub.carried, at2(row.score.carried), same(pub.carried, row.score.carried));
      check('rank', pub.rank, row.rank, pub.rank === row.rank);
      check('shared', pub.shared, row.sharedRank, pub.shared === row.sharedRank);
      check('complete', pub.complete, row.score.complete, pub.complete === row.score.complete);
      check('provisional', pub.provisional, row.provisional, pub.provisional === row.provisional);
      const pubParts = new Map(pub.parts.map((p) => [p.part, p]));
      for (const part of row.score.parts) {
        const p = pubParts.get(part.partId);
        if (!p) check(`part:${part.partId}`, null, part.score, false);
        else if (!same(p.score, part.score) || !same(p.contribution, part.contribution))
          check(`part:${part.partId}`, { score: p.score, contribution: p.contribution }, { score: part.score === null ? null : at2(part.score), contribution: at2(part.contribution) }, false);
      }
      if (advancing) check('advanced', pub.advanced, advancing.has(row.entryId), pub.advanced === advancing.has(row.entryId));
    }
    for (const extra of published.keys()) problem({ round: round.seq, entry: extra, what: 'extra_result', published: published.get(extra)!.total, recomputed: null });
  });

  // Prizes on the last round's ranking, by the event's rule; checked once any were awarded.
  const individualPrizes = ev.prizes.filter((p) => p.entry !== null);
  const teamPrizes = ev.prizes.filter((p) => p.entry === null && p.delegation !== null);
  let prizesChecked: number | null = null;
  if (ev.prizes.length > 0) {
    prizesChecked = 0;
    const allocation = allocatePrizes(lastRows, ev.prizeRuleApplied);
    const due = new Map(allocation.awards.map((a) => [entryRef.get(a.entryId)!, a.tier]));
    const given = new Map(individualPrizes.map((p) => [p.entry!, p.tier]));
    for (const ref of new Set([...due.keys(), ...given.keys()])) {
      prizesChecked++;
      if (due.get(ref) !== given.get(ref)) problem({ round: null, entry: ref, what: 'prize', published: given.get(ref) ?? null, recomputed: due.get(ref) ?? null });
    }
    if (ev.teamRanking) {
      const teams = allocateTeamPrizes(computeTeamRanking(lastRows, ev.teamRanking), ev.prizeRuleApplied);
      const teamName = new Map([...teamId].map(([name, id]) => [id, name]));
      const dueTeams = new Map(teams.awards.map((a) => [teamName.get(a.teamId)!, a.tier]));
      const givenTeams = new Map(teamPrizes.map((p) => [p.delegation!, p.tier]));
      for (const name of new Set([...dueTeams.keys(), ...givenTeams.keys()])) {
        prizesChecked++;
        if (dueTeams.get(name) !== givenTeams.get(name)) problem({ round: null, entry: null, what: `team_prize:${name}`, published: givenTeams.get(name) ?? null, recomputed: dueTeams.get(name) ?? null });
      }
    }
  }
  return { ref: ev.ref, name: ev.name, ok: problems.length === 0, rounds: rounds.length, entries: ev.entries.length, marks: marksCounted, prizes: prizesChecked, problems };
}

/** One line per event and the summary, as the command line prints them (Chinese and English). */
export function verificationLines(v: PackageVerification): string[] {
  const lines: string[] = [];
  for (const e of v.events) {
    const counts = `${e.rounds} round(s), ${e.entries} entries, ${e.marks} marks${e.prizes === null ? '' : `, ${e.prizes} prize(s)`}`;
    lines.push(`${e.ok ? '✓' : '✗'} ${e.ref} ${e.name} — ${counts}${e.ok ? '' : `: ${e.problems.length} difference(s)`}`);
    for (const p of e.problems.slice(0, 50)) {
      const where = [p.round !== null ? `round ${p.round}` : null, p.entry ? `entry ${p.entry}${p.number !== null ? ` (No. ${p.number})` : ''}` : null].filter(Boolean).join(', ');
      lines.push(`    ${where ? `${where}: ` : ''}${p.what} published ${JSON.stringify(p.published)}, recomputed ${JSON.stringify(p.recomputed)}`);
    }
    if (e.problems.length > 50) lines.push(`    … and ${e.problems.length - 50} more`);
  }
  lines.push(`verified ${v.verified}/${v.total} events`);
  return lines;
}
