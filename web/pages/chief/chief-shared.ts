import { beijingMinute, beijingSecond } from '../../app/beijing-time.ts';
import { css, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { z } from 'zod';
import type { MarkingProgress } from '../../../server/contracts/chief.ts';
import type { EventJudge as Judge } from '../../../server/contracts/judges.ts';
import type { correctionSchema, JudgePanel, markSchema } from '../../../server/contracts/marks.ts';
import type { PaperDisagreement } from '../../../server/contracts/paper.ts';
import type { Scheme } from '../../../server/contracts/scheme.ts';
import { ApiError, NetworkError } from '../../api/client.ts';
import { retryDelayMs } from '../../api/live.ts';
import { t } from '../../app/i18n.ts';

export type { Judge, MarkingProgress, PaperDisagreement, Scheme };
export type Correction = z.infer<typeof correctionSchema>;
export type Mark = z.infer<typeof markSchema>;

/** What `/api/judge/panel` tells the chief judge about their event. */
export type ChiefPanel = JudgePanel;

/** Fired by a section after it changed marks, rounds or codes: the page reloads what depends on them. */
export class ChiefChangedEvent extends Event {
  static readonly type = 'sc-chief-changed';
  constructor() {
    super(ChiefChangedEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired by the grid to look at one contestant's marks (optionally one judge's). */
export class OpenMarksEvent extends Event {
  static readonly type = 'sc-chief-open-marks';
  constructor(
    readonly number: number,
    readonly judgeId: number | null = null,
  ) {
    super(OpenMarksEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired by the grid to show another round. */
export class RoundChosenEvent extends Event {
  static readonly type = 'sc-chief-round';
  constructor(readonly roundId: number) {
    super(RoundChosenEvent.type, { bubbles: true, composed: true });
  }
}

/** A message for a failed request: the API's own words, or "offline". */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof NetworkError) return t('app.offline');
  return t('app.error', { message: err instanceof Error ? err.message : String(err) });
}

/** A criterion's name by id, from the scheme (objective parts' criterion is the part itself). */
export function criterionName(scheme: Scheme | undefined, partId: string, criterionId: string): string {
  const part = scheme?.parts.find((p) => p.id === partId);
  if (!part) return criterionId;
  if (part.marking === 'objective') return part.name;
  const c = part.criteria.find((x) => x.id === criterionId);
  return c ? `${part.name} · ${c.name}` : criterionId;
}

export function criterionOf(scheme: Scheme | undefined, partId: string, criterionId: string): { max: number; step: number; min: number } | null {
  const part = scheme?.parts.find((p) => p.id === partId);
  if (!part) return null;
  if (part.marking === 'objective') return { max: part.max, step: 0.01, min: 0 };
  const c = part.criteria.find((x) => x.id === criterionId);
  // min: grades may go below 0 (−5 … +5).
  return c ? { max: c.max, step: c.step, min: c.min ?? 0 } : null;
}

/** Beijing date and time, short, to the second (12-02 14:05:33): when a mark or a correction came in. */
export function when(iso: string | null | undefined): string {
  return iso ? beijingSecond(iso).slice(5) : '';
}

/** Beijing date and minute with the year, for expiries (2026-12-05 23:59). */
export function whenDay(iso: string | null | undefined): string {
  return iso ? beijingMinute(iso) : '';
}

/** A criterion's position in the scheme, to list marks in the order of the sheet. */
export function schemeOrder(scheme: Scheme | undefined): (partId: string, criterionId: string) => number {
  const order = new Map<string, number>();
  scheme?.parts.forEach((p, i) => {
    if (p.marking === 'objective') order.set(`${p.id}:${p.id}`, i * 1000);
    else p.criteria.forEach((c, j) => order.set(`${p.id}:${c.id}`, i * 1000 + j + 1));
  });
  return (partId, criterionId) => order.get(`${partId}:${criterionId}`) ?? Number.MAX_SAFE_INTEGER;
}

export const fmt = (v: number | null | undefined) => (v == null ? '—' : String(Math.round(v * 100) / 100));

/** Calls `fn` at most once per `ms`, the last call of a burst always running (trailing edge). */
export function throttle(fn: () => void, ms: number): { call: () => void; cancel: () => void } {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  return {
    call() {
      if (timer) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * Listens to an event's public live stream and calls `onChange` (throttled) whenever the ranking
 * changes: the chief's grid re-reads its own, richer data rather than patching it from the diff.
 */
export class RankingPulse implements ReactiveController {
  connected = false;
  private source: EventSource | null = null;
  private url: string | null = null;
  private readonly throttled: ReturnType<typeof throttle>;

  constructor(
    private readonly host: ReactiveControllerHost,
    onChange: () => void,
    intervalMs = 1500,
  ) {
    host.addController(this);
    this.throttled = throttle(onChange, intervalMs);
  }

  follow(url: string | null): void {
    if (url === this.url) return;
    this.close();
    this.url = url;
    this.open();
  }

  hostConnected(): void {
    this.open();
  }

  hostDisconnected(): void {
    this.close();
    this.throttled.cancel();
  }

  private open(): void {
    if (!this.url || this.source) return;
    const source = new EventSource(this.url);
    this.source = source;
    // The stream opens with a snapshot of what the page has just read; later ones (after a
    // reconnect, a round closed, results released) mean something changed.
    let first = true;
    source.onopen = () => {
      this.connected = true;
      this.host.requestUpdate();
    };
    source.onerror = () => {
      this.connected = false;
      this.host.requestUpdate();
      // Refused (503 live_capacity): EventSource does not retry that by itself.
      if (source.readyState === EventSource.CLOSED)
        setTimeout(() => {
          if (this.source !== source) return;
          this.source = null;
          this.open();
        }, retryDelayMs());
    };
    source.addEventListener('ranking', () => this.throttled.call());
    // A snapshot follows a reconnect or a change other than a mark (a round closed, results released).
    source.addEventListener('snapshot', () => {
      if (first) first = false;
      else this.throttled.call();
    });
  }

  private close(): void {
    this.source?.close();
    this.source = null;
    this.connected = false;
  }
}

/** Styles the console's sections share. */
export const chiefStyles = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h2 {
    font-size: 20px;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 17px;
    margin: 16px 0 8px;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
    margin-bottom: 12px;
  }
  .toolbar .grow {
    flex: 1;
  }
  .stack > * + * {
    margin-top: 12px;
  }
  .pill {
    display: inline-block;
    padding: 2px 8px;
    border-radius: 999px;
    font-size: 13px;
    background: #eef1f5;
    color: var(--sc-muted);
    white-space: nowrap;
  }
  .pill.ok {
    background: #e6f4ea;
    color: var(--sc-ok);
  }
  .pill.warn {
    background: #fff4e5;
    color: var(--sc-warn);
  }
  .pill.danger {
    background: #fdecea;
    color: var(--sc-danger);
  }
  .empty {
    padding: 24px;
    text-align: center;
    color: var(--sc-muted);
  }
  .row-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .field-error {
    color: var(--sc-danger);
    font-size: 14px;
    margin-top: 4px;
  }
  .scroll-x {
    overflow-x: auto;
    max-width: 100%;
  }
  button.danger {
    border-color: var(--sc-danger);
    color: var(--sc-danger);
  }
  button.ok {
    border-color: var(--sc-ok);
    color: var(--sc-ok);
  }
  .value-change {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    white-space: nowrap;
  }
  .value-change .old {
    color: var(--sc-muted);
    text-decoration: line-through;
    font-weight: 400;
  }
`;
