import { COMPLETION_TIME, formatDuration, parseDuration } from '../../server/contracts/objective-fields.ts';
import type { ObjectiveColumn } from '../../server/contracts/objective.ts';

/**
 * Pure helpers of the objective-values grid: reading what was typed in a cell, showing a stored
 * value, the row subtotal, pasted blocks, and the unsaved cells kept in localStorage.
 */

/** A cell typed but not saved yet: its text and the idempotency key its save uses (kept across retries). */
export type Draft = { text: string; key: string };

export type CellReading = { ok: true; value: number | null } | { ok: false; message: string; params?: Record<string, string | number> };

/** Full-width digits and signs to half-width (Chinese input methods type １２．５). */
function fold(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
}

/** What a cell's text means for its column: a value, nothing (an empty cell), or why it is not valid (a message key). */
export function readCell(column: Pick<ObjectiveColumn, 'field' | 'max'>, text: string): CellReading {
  const t = fold(text);
  if (t === '') return { ok: true, value: null };
  let value: number | undefined;
  if (column.field === COMPLETION_TIME) {
    value = parseDuration(t);
    if (value === undefined) return { ok: false, message: 'obj.err.time' };
  } else {
    if (!/^\d+(\.\d+)?$/.test(t)) return { ok: false, message: 'obj.err.number' };
    value = Number(t);
  }
  if (value > column.max) return { ok: false, message: 'obj.err.range', params: { max: column.field === COMPLETION_TIME ? formatDuration(column.max) : column.max } };
  if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) return { ok: false, message: 'obj.err.step' };
  return { ok: true, value };
}

/** A stored value as the cell shows it: times as m:ss, scores as they are. */
export function showValue(column: Pick<ObjectiveColumn, 'field'>, value: number | null): string {
  if (value === null) return '';
  if (column.field === COMPLETION_TIME) return formatDuration(value);
  return String(Math.round(value * 100) / 100);
}

/** What one objective part adds to the total, rounded like the results sheet (server/domain/scoring.ts, point c). */
export function contributionOf(totaling: 'weighted' | 'raw', column: Pick<ObjectiveColumn, 'kind' | 'max' | 'weight'>, value: number | null): number {
  if (column.kind !== 'part' || value === null) return 0;
  if (totaling === 'raw') return value;
  // Read at 15 significant digits first, as the engine does, so 25.665 (25.664999…) rounds up.
  const hundredths = Number((((value * (column.weight ?? 0)) / column.max) * 100).toPrecision(15));
  return Math.round(hundredths) / 100;
}

/** Σ of the contributions, added in hundredths so 24.6 + 0.1 stays 24.7. */
export function sumContributions(values: number[]): number {
  return values.reduce((s, v) => s + Math.round(v * 100), 0) / 100;
}

/** A block pasted from Excel or WPS: rows by line, cells by tab; the trailing empty line dropped. */
export function splitPaste(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.split('\t'));
}

/** 128 random bits (crypto.randomUUID exists only in secure contexts; venue servers are often plain http). */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `obj-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export const cellKey = (number: number, field: string) => `${number}:${field}`;

/**
 * Unsaved cells of one round on this device, kept in localStorage so a reload, a crash or a
 * dropped connection loses nothing typed. Written on every keystroke (a few hundred cells at most).
 */
export class DraftStore {
  private readonly storageKey: string;

  constructor(eventId: number, roundId: number) {
    this.storageKey = `sc.objective.drafts:${eventId}:${roundId}`;
  }

  load(): Map<string, Draft> {
    try {
      const raw = localStorage.getItem(this.storageKey);
      if (!raw) return new Map();
      const parsed = JSON.parse(raw) as Record<string, Draft>;
      return new Map(Object.entries(parsed).filter(([, d]) => typeof d?.text === 'string' && typeof d?.key === 'string'));
    } catch {
      return new Map();
    }
  }

  save(drafts: Map<string, Draft>): void {
    try {
      if (drafts.size === 0) localStorage.removeItem(this.storageKey);
      else localStorage.setItem(this.storageKey, JSON.stringify(Object.fromEntries(drafts)));
    } catch {
      /* private mode or full storage: the drafts live as long as the page */
    }
  }
}
