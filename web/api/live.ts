import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EventRanking, LiveRow } from '../../server/contracts/ranking.ts';

export type { EventRanking, LiveRow };

/** A `ranking` message: whole rows for re-scored entries, `[number, rank, shared]` for rows that only moved. */
type RankingMessage = {
  eventId: number;
  roundId: number;
  revision: number;
  rows: LiveRow[];
  ranks: [number, number | null, boolean][];
  teams: EventRanking['teams'];
};

/** Where a row stands: ranked (0), still in the contest but awaiting marks (1), out of it (2). */
function band(r: LiveRow): number {
  if (r.rank !== null) return 0;
  return r.status === 'registered' || r.status === 'checked_in' ? 1 : 2;
}

/** Ranked first, in rank order; then those awaiting their first mark; then absent, disqualified…; each by number. */
export function sortRows(rows: LiveRow[]): LiveRow[] {
  return [...rows].sort(
    (a, b) => band(a) - band(b) || (a.rank ?? 0) - (b.rank ?? 0) || (a.number ?? Infinity) - (b.number ?? Infinity),
  );
}

/** Applies one `ranking` message to an event's ranking (pure: returns a new object). */
export function applyRankingMessage(ranking: EventRanking, msg: RankingMessage): EventRanking {
  if (msg.roundId !== ranking.roundId) return ranking;
  const byNumber = new Map(ranking.rows.map((r) => [r.number, r]));
  for (const row of msg.rows) byNumber.set(row.number, row);
  for (const [number, rank, shared] of msg.ranks) {
    const row = byNumber.get(number);
    if (row) byNumber.set(number, { ...row, rank, sharedRank: shared });
  }
  return { ...ranking, revision: msg.revision, rows: sortRows([...byNumber.values()]), teams: msg.teams ?? ranking.teams };
}

/** When to ask again for a stream the server refused; spread out, so a full venue does not come back at once. */
export const retryDelayMs = () => 10_000 + Math.random() * 10_000;

/**
 * Follows a public ranking stream (one event or a whole competition) and re-renders its host on
 * every change. EventSource reconnects by itself and sends Last-Event-ID, so the server replays
 * what was missed (or a fresh snapshot after a restart).
 */
export class RankingStream implements ReactiveController {
  events: EventRanking[] = [];
  title = '';
  connected = false;
  private source: EventSource | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private url: string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.open();
  }

  hostDisconnected(): void {
    this.source?.close();
    this.source = null;
  }

  /** Follows another stream. */
  setUrl(url: string): void {
    this.url = url;
    this.hostDisconnected();
    this.open();
  }

  private open(): void {
    const source = new EventSource(this.url);
    this.source = source;
    source.onopen = () => {
      this.connected = true;
      this.host.requestUpdate();
    };
    source.onerror = () => {
      this.connected = false;
      this.host.requestUpdate();
      // EventSource reconnects by itself when a stream drops, but gives up when a new one is
      // refused (503 live_capacity while the server has all the viewers it serves): retry later.
      if (source.readyState === EventSource.CLOSED)
        setTimeout(() => {
          if (this.source === source) this.open();
        }, retryDelayMs());
    };
    source.addEventListener('snapshot', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as EventRanking | { name: string; events: EventRanking[] };
      if ('events' in data) {
        this.title = data.name;
        this.events = data.events.map((ev) => ({ ...ev, rows: sortRows(ev.rows) }));
      } else {
        const next = { ...data, rows: sortRows(data.rows) };
        const i = this.events.findIndex((ev) => ev.eventId === next.eventId);
        this.events = i < 0 ? [...this.events, next] : this.events.map((ev, j) => (j === i ? next : ev));
        this.title ||= data.eventName;
      }
      this.connected = true;
      this.host.requestUpdate();
    });
    source.addEventListener('ranking', (e) => {
      const msg = JSON.parse((e as MessageEvent<string>).data) as RankingMessage;
      this.events = this.events.map((ev) => (ev.eventId === msg.eventId ? applyRankingMessage(ev, msg) : ev));
      this.host.requestUpdate();
    });
  }
}
