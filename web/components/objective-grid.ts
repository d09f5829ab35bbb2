import { beijingMinute } from '../app/beijing-time.ts';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { z } from 'zod';
import type {
  ObjectiveCell,
  ObjectiveColumn,
  ObjectiveDispute,
  ObjectiveGrid,
  objectiveHistorySchema,
  WriteObjectiveResponse,
} from '../../server/contracts/objective.ts';
import { api, ApiError, NetworkError } from '../api/client.ts';
import { LocaleController, t } from '../app/i18n.ts';
import '../i18n/objective.ts';
import { sharedStyles } from '../styles/shared.ts';
import './objective-import.ts';
import { ObjectiveChangedEvent } from './objective-import.ts';
import { cellKey, contributionOf, DraftStore, newKey, readCell, showValue, splitPaste, sumContributions, type CellReading, type Draft } from './objective-values.ts';

type History = z.infer<typeof objectiveHistorySchema>;
type Row = ObjectiveGrid['rows'][number];

/** How often the grid re-reads what others entered (drafts are never touched by it). */
const POLL_MS = 30_000;

/** The message of an API refusal in the user's language, by its code; the server's words otherwise. */
function refusalText(code: string, fallback: string): string {
  const key = `obj.code.${code}`;
  const text = t(key);
  return text === key ? fallback : text;
}

/**
 * The per-number grid of objective values (理论成绩, 完成用时 …) for one event's round, used by the
 * chief judge's console, the organisers' event page and the scorers' page. Keyboard-fast like a
 * spreadsheet: type, Enter moves down, Tab moves right, arrows move, Esc undoes the cell, a column
 * pasted from Excel fills down, Ctrl+S saves. Unsaved cells live in localStorage until saved, so a
 * reload or a dropped connection loses nothing; saving sends them in one idempotent request.
 * Missing cells are highlighted; each row shows its objective subtotal (with unsaved values) and
 * the total so far. Each cell's history, the exam-file import, double-entry settings and (for the
 * chief judge) the settling of differing double entries sit beside the grid.
 *
 * @event sc-objective-changed - values were saved, imported or settled (ObjectiveChangedEvent)
 */
@customElement('sc-objective-grid')
export class ObjectiveGridElement extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      *,
      *::before,
      *::after {
        box-sizing: border-box;
      }
      h2 {
        font-size: 20px;
        margin: 0;
      }
      h3 {
        font-size: 17px;
        margin: 0 0 8px;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        margin-bottom: 8px;
      }
      .toolbar .grow {
        flex: 1;
      }
      .intro {
        font-size: 14px;
        color: var(--sc-muted);
        margin: 0 0 8px;
      }
      .stats {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin-bottom: 8px;
      }
      .stat {
        border: 1px solid var(--sc-line);
        background: var(--sc-card);
        border-radius: 8px;
        padding: 4px 10px;
        font-size: 14px;
        color: var(--sc-muted);
      }
      .stat b {
        font-size: 18px;
        color: var(--sc-fg);
        font-variant-numeric: tabular-nums;
        margin-left: 4px;
      }
      .stat.bad b {
        color: var(--sc-danger);
      }
      .stat.pending b {
        color: var(--sc-focus);
      }
      .notice {
        border-radius: 8px;
        padding: 8px 12px;
        margin: 0 0 8px;
        font-size: 15px;
      }
      .notice.info {
        background: #eef4ff;
      }
      .notice.ok {
        background: #e6f4ea;
        color: var(--sc-ok);
      }
      .notice.error {
        background: #fdecea;
        color: var(--sc-danger);
      }
      .wrap {
        width: fit-content;
        max-width: 100%;
        overflow: auto;
        max-height: calc(100vh - 330px);
        min-height: 220px;
        border: 1px solid var(--sc-line);
        border-radius: 10px;
        background: var(--sc-card);
      }
      table {
        border-collapse: separate;
        border-spacing: 0;
        /* A spreadsheet's columns keep their width; a wide screen leaves room on the right. */
        width: auto;
      }
      th,
      td {
        padding: 0;
        border-bottom: 1px solid var(--sc-line);
        border-right: 1px solid #eef1f5;
        font-variant-numeric: tabular-nums;
      }
      thead th {
        position: sticky;
        top: 0;
        z-index: 2;
        background: #f3f5f8;
        padding: 6px 8px;
        font-size: 14px;
        text-align: center;
        line-height: 1.25;
      }
      thead th small {
        display: block;
        font-weight: 400;
        color: var(--sc-muted);
        font-size: 12px;
      }
      tbody th {
        position: sticky;
        left: 0;
        z-index: 1;
        background: var(--sc-card);
        width: 64px;
        min-width: 64px;
        text-align: center;
        font-size: 17px;
      }
      tbody th small {
        display: block;
        font-size: 11px;
        font-weight: 400;
        color: var(--sc-muted);
      }
      td.name {
        padding: 0 8px;
        white-space: nowrap;
        font-size: 15px;
        min-width: 96px;
      }
      td.val {
        min-width: 104px;
        width: 120px;
        position: relative;
      }
      td.val input {
        width: 100%;
        min-height: 44px;
        height: 44px;
        border: 0;
        border-radius: 0;
        background: transparent;
        text-align: right;
        font-size: 17px;
        padding: 0 10px;
      }
      td.val input:focus {
        outline: 3px solid var(--sc-focus);
        outline-offset: -3px;
        background: #fff;
      }
      td.val input:disabled {
        color: var(--sc-fg);
        opacity: 1;
        cursor: default;
      }
      td.missing {
        background: #fff4e5;
      }
      /* Not entered, but only needed to break a tie (the completion time): marked, never counted missing. */
      td.optional-empty input::placeholder {
        color: var(--sc-muted);
        font-size: 13px;
      }
      td.val .why {
        display: block;
        padding: 0 6px 4px;
        font-size: 12px;
        line-height: 1.2;
        color: var(--sc-bad, #b3261e);
        white-space: normal;
      }
      td.unsaved {
        background: #e8f0ff;
      }
      td.unsaved input {
        font-weight: 600;
        color: var(--sc-focus);
      }
      td.invalid {
        background: #fdecea;
        box-shadow: inset 0 0 0 2px var(--sc-danger);
      }
      td.disputed {
        background: #ffe8cc;
      }
      td.val .state {
        position: absolute;
        left: 4px;
        top: 2px;
        font-size: 11px;
        color: var(--sc-muted);
        pointer-events: none;
      }
      td.sum {
        text-align: right;
        padding: 0 10px;
        min-width: 104px;
        font-weight: 600;
      }
      td.total {
        text-align: right;
        padding: 0 10px;
        min-width: 96px;
        color: var(--sc-muted);
      }
      tr.out th,
      tr.out td {
        color: var(--sc-muted);
        background: #f7f7f8;
      }
      .savebar {
        position: sticky;
        bottom: 0;
        z-index: 3;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        padding: 8px 0;
        background: var(--sc-bg, #f5f6f8);
      }
      .savebar .reason {
        flex: 1 1 260px;
        min-width: 200px;
      }
      .savebar .reason input {
        width: 100%;
      }
      .savebar label {
        margin: 0 0 2px;
        font-size: 13px;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 14px;
        font-size: 13px;
        color: var(--sc-muted);
        margin: 6px 0 0;
      }
      .legend i {
        display: inline-block;
        width: 14px;
        height: 14px;
        border-radius: 3px;
        vertical-align: -2px;
        margin-right: 4px;
        border: 1px solid var(--sc-line);
      }
      .panel {
        background: var(--sc-card);
        border: 1px solid var(--sc-line);
        border-radius: 12px;
        padding: 12px 16px;
        margin-top: 12px;
      }
      .panel table td,
      .panel table th {
        padding: 6px 8px;
        text-align: left;
        position: static;
        background: none;
      }
      .switch {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        margin: 0;
        min-height: 44px;
        color: var(--sc-fg);
      }
      .switch input {
        width: 22px;
        height: 22px;
        min-height: 0;
      }
      .settle {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      .settle input.value {
        width: 100px;
      }
      .settle input.note {
        flex: 1;
        min-width: 160px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  /** The event whose objective values are shown. */
  @property({ type: Number }) eventId = 0;

  @state() private grid: ObjectiveGrid | null = null;
  @state() private drafts = new Map<string, Draft>();
  /** Refusals from the last save, by cell. */
  @state() private refused = new Map<string, string>();
  @state() private saving = false;
  @state() private notice: { kind: 'ok' | 'error' | 'info'; text: string } | null = null;
  @state() private reason = '';
  @state() private focusKey: string | null = null;
  @state() private history: History | null = null;
  @state() private historyOpen = false;
  @state() private importOpen = false;
  @state() private disputes: ObjectiveDispute[] = [];
  @state() private loadError = '';
  private store: DraftStore | null = null;
  private poll = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.poll = window.setInterval(() => {
      if (document.visibilityState === 'visible' && this.grid && !this.saving) void this.load(this.grid.roundId, true);
    }, POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.poll);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('eventId') && this.eventId) void this.load(null);
  }

  /** Reads the grid (and, for the chief judge, the open disagreements); `quiet` keeps the notice. */
  private async load(roundId: number | null, quiet = false) {
    try {
      const grid = await api<ObjectiveGrid>('GET', `/api/events/${this.eventId}/objective-grid${roundId ? `?roundId=${roundId}` : ''}`);
      if (!this.store || this.grid?.roundId !== grid.roundId) {
        this.store = new DraftStore(this.eventId, grid.roundId);
        this.drafts = this.store.load();
      }
      this.grid = grid;
      this.loadError = '';
      if (grid.canSettle) this.disputes = await api<ObjectiveDispute[]>('GET', `/api/events/${this.eventId}/objective-disputes?roundId=${grid.roundId}`);
    } catch (err) {
      if (!quiet) this.loadError = err instanceof ApiError ? err.message : err instanceof NetworkError ? t('app.offline') : String(err);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Cells

  private columnOf(field: string): ObjectiveColumn | undefined {
    return this.grid?.columns.find((c) => c.field === field);
  }

  private reading(key: string, column: ObjectiveColumn): CellReading | null {
    const d = this.drafts.get(key);
    return d ? readCell(column, d.text) : null;
  }

  /** Whether this cell takes typing from this user now. */
  private editable(row: Row, cell: ObjectiveCell): boolean {
    const g = this.grid!;
    if (g.mode === 'none' || g.released || !this.roundOpen()) return false;
    if (row.status === 'absent' || row.status === 'disqualified') return false;
    if (g.mode === 'double') return cell.double?.state === 'not_entered';
    return true;
  }

  private roundOpen(): boolean {
    const g = this.grid;
    return !!g && g.rounds.find((r) => r.id === g.roundId)?.status === 'open';
  }

  /** The value a cell stands for now: a valid unsaved value, else the stored one. */
  private effective(row: Row, cell: ObjectiveCell, column: ObjectiveColumn): number | null {
    const r = this.reading(cellKey(row.number, column.field), column);
    return r && r.ok ? r.value : cell.value;
  }

  private setDraft(number: number, field: string, text: string) {
    const g = this.grid;
    const column = this.columnOf(field);
    const row = g?.rows.find((r) => r.number === number);
    if (!g || !column || !row) return;
    const i = g.columns.indexOf(column);
    const key = cellKey(number, field);
    const drafts = new Map(this.drafts);
    const stored = showValue(column, row.cells[i]!.value);
    if (text.trim() === stored) drafts.delete(key);
    else if (drafts.get(key)?.text !== text) drafts.set(key, { text, key: newKey() });
    this.drafts = drafts;
    this.store?.save(drafts);
    if (this.refused.has(key)) {
      const refused = new Map(this.refused);
      refused.delete(key);
      this.refused = refused;
    }
  }

  private inputAt(r: number, c: number): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>(`input[data-r="${r}"][data-c="${c}"]`);
  }

  /** Moves to the next cell that takes typing in the direction (dr, dc); Tab-like moves wrap to the next row. */
  private move(r: number, c: number, dr: number, dc: number, wrap: boolean) {
    const g = this.grid!;
    const rows = g.rows.length;
    const cols = g.columns.length;
    let rr = r;
    let cc = c;
    for (let guard = 0; guard < rows * cols; guard++) {
      if (wrap) {
        const idx = rr * cols + cc + dc;
        if (idx < 0 || idx >= rows * cols) return;
        rr = Math.floor(idx / cols);
        cc = idx % cols;
      } else {
        rr += dr;
        cc += dc;
        if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) return;
      }
      const input = this.inputAt(rr, cc);
      if (input && !input.disabled) {
        input.focus();
        input.select();
        return;
      }
    }
  }

  private onKeydown(e: KeyboardEvent, r: number, c: number, number: number, field: string) {
    const input = e.target as HTMLInputElement;
    if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
      e.preventDefault();
      void this.save();
      return;
    }
    switch (e.key) {
      case 'Enter':
        e.preventDefault();
        this.move(r, c, e.shiftKey ? -1 : 1, 0, false);
        return;
      case 'Tab':
        e.preventDefault();
        this.move(r, c, 0, e.shiftKey ? -1 : 1, true);
        return;
      case 'ArrowDown':
        e.preventDefault();
        this.move(r, c, 1, 0, false);
        return;
      case 'ArrowUp':
        e.preventDefault();
        this.move(r, c, -1, 0, false);
        return;
      case 'ArrowLeft':
      case 'ArrowRight': {
        const all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
        const atEdge = e.key === 'ArrowLeft' ? input.selectionStart === 0 && input.selectionEnd === 0 : input.selectionStart === input.value.length;
        if (all || atEdge) {
          e.preventDefault();
          this.move(r, c, 0, e.key === 'ArrowLeft' ? -1 : 1, false);
        }
        return;
      }
      case 'Escape': {
        e.preventDefault();
        const key = cellKey(number, field);
        if (!this.drafts.has(key)) return;
        const drafts = new Map(this.drafts);
        drafts.delete(key);
        this.drafts = drafts;
        this.store?.save(drafts);
        void this.updateComplete.then(() => input.select());
        return;
      }
    }
  }

  /** A block pasted from Excel: rows fill down from this cell, tab-separated cells fill right. */
  private onPaste(e: ClipboardEvent, r: number, c: number) {
    const text = e.clipboardData?.getData('text/plain') ?? '';
    const block = splitPaste(text);
    if (block.length <= 1 && (block[0]?.length ?? 0) <= 1) return; // one value: the input takes it
    e.preventDefault();
    const g = this.grid!;
    block.forEach((cells, i) => {
      const row = g.rows[r + i];
      if (!row) return;
      cells.forEach((value, j) => {
        const column = g.columns[c + j];
        if (!column) return;
        const cell = row.cells[c + j]!;
        if (this.editable(row, cell)) this.setDraft(row.number, column.field, value.trim());
      });
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Saving

  /** Unsaved cells with what they read as, and whether each changes a value already entered. */
  private pending() {
    const g = this.grid;
    if (!g) return [];
    const out: { key: string; draft: Draft; number: number; field: string; reading: CellReading; changes: boolean }[] = [];
    for (const [key, draft] of this.drafts) {
      const [n, field] = [Number(key.slice(0, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)];
      const column = this.columnOf(field);
      const row = g.rows.find((x) => x.number === n);
      if (!column || !row) continue;
      const reading = readCell(column, draft.text);
      const stored = row.cells[g.columns.indexOf(column)]!.value;
      const changes = g.mode === 'direct' && stored !== null && reading.ok && reading.value !== stored;
      out.push({ key, draft, number: n, field, reading, changes });
    }
    return out;
  }

  /** Puts the cursor in the first cell whose text cannot be saved (its reason shows under it). */
  private focusFirstInvalid(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('td.val input[aria-invalid="true"]');
    input?.focus();
  }

  private async save() {
    const g = this.grid;
    if (!g || this.saving) return;
    const list = this.pending().filter((p) => !(g.mode === 'double' && p.reading.ok && p.reading.value === null));
    if (list.length === 0) {
      this.notice = { kind: 'info', text: t('obj.nothingToSave') };
      return;
    }
    const invalid = list.filter((p) => !p.reading.ok).length;
    if (invalid) {
      // The banner under the grid already counts them, and each cell says what is wrong: take the judge to the first.
      this.notice = null;
      this.focusFirstInvalid();
      return;
    }
    const changes = list.filter((p) => p.changes).length;
    if (changes && this.reason.trim().length < 2) {
      this.notice = { kind: 'error', text: t('obj.reasonNeeded') };
      this.renderRoot.querySelector<HTMLInputElement>('[data-testid="objective-reason"]')?.focus();
      return;
    }
    this.saving = true;
    this.notice = { kind: 'info', text: t('obj.saving') };
    const cells = list.map((p) => ({ idempotencyKey: p.draft.key, number: p.number, field: p.field, value: (p.reading as { value: number | null }).value }));
    try {
      const res = await api<WriteObjectiveResponse>('POST', `/api/events/${this.eventId}/objective-values`, {
        roundId: g.roundId,
        ...(changes ? { reason: this.reason.trim() } : {}),
        cells,
      });
      // Only drafts still holding what was sent are done: a cell retyped meanwhile stays unsaved.
      const drafts = new Map(this.drafts);
      for (const p of list) if (drafts.get(p.key)?.key === p.draft.key) drafts.delete(p.key);
      this.drafts = drafts;
      this.store?.save(drafts);
      this.refused = new Map();
      if (changes) this.reason = '';
      await this.load(g.roundId, true);
      this.notice = { kind: 'ok', text: t(g.mode === 'double' ? 'obj.savedDouble' : 'obj.saved', { n: res.results.length }) };
      this.dispatchEvent(new ObjectiveChangedEvent());
    } catch (err) {
      if (err instanceof NetworkError) this.notice = { kind: 'error', text: t('obj.offlineKept') };
      else if (err instanceof ApiError) {
        const refused = new Map<string, string>();
        for (const fe of err.fieldErrors) {
          const m = /^body\.cells\.(\d+)\./.exec(fe.field);
          const p = m ? list[Number(m[1])] : undefined;
          const code = fe.message.split(':')[0]!;
          if (p) refused.set(p.key, refusalText(code, fe.message));
        }
        this.refused = refused;
        this.notice = { kind: 'error', text: refusalText(err.code, err.message) };
      } else this.notice = { kind: 'error', text: String(err) };
    } finally {
      this.saving = false;
    }
  }

  private discard() {
    if (!this.drafts.size || !confirm(t('obj.confirmDiscard', { n: this.drafts.size }))) return;
    this.drafts = new Map();
    this.store?.save(this.drafts);
    this.refused = new Map();
  }

  // ---------------------------------------------------------------------------------------------
  // History, settings, disputes

  private async openHistory() {
    const g = this.grid;
    if (!g) return;
    this.historyOpen = true;
    this.history = null;
    if (!this.focusKey) return;
    const [n, field] = [this.focusKey.slice(0, this.focusKey.indexOf(':')), this.focusKey.slice(this.focusKey.indexOf(':') + 1)];
    try {
      this.history = await api<History>('GET', `/api/events/${this.eventId}/objective-values/history?roundId=${g.roundId}&number=${n}&field=${field}`);
    } catch (err) {
      this.notice = { kind: 'error', text: err instanceof Error ? err.message : String(err) };
    }
  }

  private async setDoubleEntry(on: boolean) {
    try {
      await api('PUT', `/api/events/${this.eventId}/objective-settings`, { doubleEntry: on });
      await this.load(this.grid?.roundId ?? null, true);
    } catch (err) {
      this.notice = { kind: 'error', text: err instanceof Error ? err.message : String(err) };
    }
  }

  private async settle(d: ObjectiveDispute, form: HTMLFormElement) {
    const data = new FormData(form);
    const column = this.columnOf(d.field);
    const reading = column ? readCell(column, String(data.get('value') ?? '')) : null;
    if (!reading || !reading.ok || reading.value === null) {
      this.notice = { kind: 'error', text: t(reading && !reading.ok ? reading.message : 'obj.err.number', reading && !reading.ok ? reading.params : {}) };
      return;
    }
    try {
      await api('POST', `/api/events/${this.eventId}/objective-disputes/settle`, {
        roundId: d.roundId,
        number: d.number,
        field: d.field,
        value: reading.value,
        note: String(data.get('note') ?? ''),
      });
      await this.load(d.roundId, true);
      this.notice = { kind: 'ok', text: t('obj.settled') };
      this.dispatchEvent(new ObjectiveChangedEvent());
    } catch (err) {
      this.notice = { kind: 'error', text: err instanceof ApiError ? refusalText(err.code, err.message) : String(err) };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  private columnHead(c: ObjectiveColumn) {
    if (c.kind === 'completion_time') return html`<th scope="col">${t('obj.completionTime')}<small>${t('obj.timeHint')}</small></th>`;
    return html`<th scope="col">
      ${c.name}<small>${t('obj.max', { max: c.max })}${c.weight != null ? html` · ${t('obj.weight', { weight: c.weight })}` : nothing}</small>
    </th>`;
  }

  private renderCell(row: Row, cell: ObjectiveCell, column: ObjectiveColumn, r: number, c: number) {
    const g = this.grid!;
    const key = cellKey(row.number, column.field);
    const draft = this.drafts.get(key);
    const reading = draft ? readCell(column, draft.text) : null;
    const refusal = this.refused.get(key);
    const invalid = (reading && !reading.ok) || refusal;
    const cleared = reading?.ok && reading.value === null && cell.value !== null;
    const missing = (cell.missing && !(reading?.ok && reading.value !== null)) || (cleared && column.required && row.status !== 'absent');
    const out = row.status === 'absent' || row.status === 'disqualified';
    const optionalEmpty = !column.required && !out && (reading ? reading.ok && reading.value === null : cell.value === null);
    const classes = ['val', missing ? 'missing' : '', optionalEmpty ? 'optional-empty' : '', draft ? 'unsaved' : '', invalid ? 'invalid' : '', cell.double?.state === 'disputed' ? 'disputed' : ''].join(' ');
    const why = refusal ?? (reading && !reading.ok ? t(reading.message, reading.params) : '');
    const title = why || (cell.double ? t(`obj.state.${cell.double.state}`) : '');
    const state = g.mode === 'double' || cell.double ? cell.double?.state : undefined;
    return html`<td class=${classes} title=${title} data-state=${state ?? ''}>
      ${state && state !== 'not_entered' ? html`<span class="state">${t(`obj.short.${state}`)}</span>` : nothing}
      <input
        data-r=${r}
        data-c=${c}
        data-testid="cell-${row.number}-${column.field}"
        inputmode="decimal"
        autocomplete="off"
        enterkeyhint="next"
        aria-label="${row.number} ${column.kind === 'part' ? column.name : t('obj.completionTime')}"
        aria-invalid=${invalid ? 'true' : 'false'}
        placeholder=${optionalEmpty ? t('obj.optionalEmpty') : ''}
        .value=${live(draft ? draft.text : showValue(column, cell.value))}
        ?disabled=${!this.editable(row, cell)}
        @input=${(e: Event) => this.setDraft(row.number, column.field, (e.target as HTMLInputElement).value)}
        @keydown=${(e: KeyboardEvent) => this.onKeydown(e, r, c, row.number, column.field)}
        @paste=${(e: ClipboardEvent) => this.onPaste(e, r, c)}
        @focus=${(e: FocusEvent) => {
          this.focusKey = key;
          (e.target as HTMLInputElement).select();
        }}
      />
      ${why ? html`<span class="why" data-testid="why-${row.number}-${column.field}">${why}</span>` : nothing}
    </td>`;
  }

  private renderRow(row: Row, r: number) {
    const g = this.grid!;
    const out = row.status === 'absent' || row.status === 'disqualified';
    const subtotal = sumContributions(g.columns.map((col, i) => contributionOf(g.totaling, col, this.effective(row, row.cells[i]!, col))));
    return html`<tr class=${out ? 'out' : ''} data-number=${row.number}>
      <th scope="row">${row.number}${out ? html`<small>${t(`obj.status.${row.status}`)}</small>` : nothing}</th>
      ${g.showsNames ? html`<td class="name">${row.name ?? ''}</td>` : nothing} ${g.columns.map((col, c) => this.renderCell(row, row.cells[c]!, col, r, c))}
      ${g.mode === 'double'
        ? nothing
        : html`<td class="sum num" data-testid="total-${row.number}">${out ? '—' : subtotal.toFixed(2)}</td>
            <td class="total num">${out ? '—' : row.total.toFixed(2)}</td>`}
    </tr>`;
  }

  private renderHistory() {
    const g = this.grid!;
    const h = this.history;
    const [n, field] = this.focusKey ? [this.focusKey.slice(0, this.focusKey.indexOf(':')), this.focusKey.slice(this.focusKey.indexOf(':') + 1)] : ['', ''];
    const column = this.columnOf(field);
    const name = column ? (column.kind === 'part' ? column.name : t('obj.completionTime')) : '';
    return html`<section class="panel" data-testid="history-panel" aria-live="polite">
      <div class="toolbar">
        <h3 class="grow" style="margin:0">${this.focusKey ? t('obj.historyOf', { number: n, field: name }) : t('obj.history')}</h3>
        <button @click=${() => (this.historyOpen = false)}>${t('obj.close')}</button>
      </div>
      ${!this.focusKey
        ? html`<p class="muted">${t('obj.historyPick')}</p>`
        : !h
          ? html`<p class="muted">${t('app.loading')}</p>`
          : h.versions.length === 0 && h.doubleEntries.length === 0
            ? html`<p class="muted">${t('obj.historyNone')}</p>`
            : html`<table>
                  <thead>
                    <tr>
                      <th></th>
                      <th class="num">${name}</th>
                      <th>${t('obj.source')}</th>
                      <th>${t('obj.by')}</th>
                      <th>${t('obj.at')}</th>
                      <th>${t('obj.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${h.versions.map(
                      (v) => html`<tr data-testid="history-version">
                        <td>${t('obj.version', { n: v.version })}</td>
                        <td class="num">${v.value === null ? t('obj.cleared') : column ? showValue(column, v.value) : v.value}</td>
                        <td>${t(`obj.source.${v.source}`)}</td>
                        <td>${v.enteredBy.name}</td>
                        <td>${beijingMinute(v.enteredAt)}</td>
                        <td>${v.reason ?? ''}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
                ${h.doubleEntries.length
                  ? html`<h3 style="margin-top:12px">${t('obj.doubleEntries')}</h3>
                      <ul>
                        ${h.doubleEntries.map((d) => html`<li>${d.scorerName}：${column ? showValue(column, d.value) : d.value}（${beijingMinute(d.enteredAt)}）</li>`)}
                      </ul>`
                  : nothing}`}
    </section>`;
  }

  private renderDisputes() {
    const open = this.disputes.filter((d) => !d.settlement);
    if (!open.length) return nothing;
    return html`<section class="panel" data-testid="objective-disputes">
      <h3>${t('obj.disputesTitle', { n: open.length })}</h3>
      <table>
        <tbody>
          ${open.map((d) => {
            const column = this.columnOf(d.field);
            return html`<tr>
              <td><b>${d.number}</b> · ${column?.kind === 'completion_time' ? t('obj.completionTime') : d.fieldName}</td>
              <td>${d.entries.map((e) => html`<div>${e.scorerName}：<b>${column ? showValue(column, e.value) : e.value}</b></div>`)}</td>
              <td>
                <form
                  class="settle"
                  @submit=${(e: SubmitEvent) => {
                    e.preventDefault();
                    void this.settle(d, e.target as HTMLFormElement);
                  }}
                >
                  <input class="value" name="value" inputmode="decimal" required aria-label=${t('obj.settleValue')} placeholder=${t('obj.settleValue')} />
                  <input class="note" name="note" required minlength="2" aria-label=${t('obj.settleNote')} placeholder=${t('obj.settleNote')} />
                  <button class="primary" type="submit">${t('obj.settle')}</button>
                </form>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </section>`;
  }

  override render() {
    const g = this.grid;
    if (!g) return html`<p class="muted">${this.loadError || t('app.loading')}</p>`;
    const pending = this.pending();
    const invalid = pending.filter((p) => !p.reading.ok).length + this.refused.size;
    const changes = pending.filter((p) => p.changes).length;
    let expected = 0;
    let missing = 0;
    let optionalEmpty = 0;
    g.rows.forEach((row) => {
      const out = row.status === 'absent' || row.status === 'disqualified';
      // Only required columns count: an optional one (the completion time) is never "missing".
      if (!out) expected += g.columns.filter((col) => col.required).length;
      g.columns.forEach((col, i) => {
        const cell = row.cells[i]!;
        const reading = this.reading(cellKey(row.number, col.field), col);
        const value = reading?.ok ? reading.value : cell.value;
        if (!out && col.required && (g.mode === 'double' ? cell.missing && !(reading?.ok && reading.value !== null) : value === null)) missing++;
        if (!out && !col.required && value === null) optionalEmpty++;
      });
    });
    const writable = g.mode !== 'none' && !g.released && this.roundOpen();
    return html`
      <div class="toolbar">
        <h2 class="grow">${t('obj.title')}</h2>
        ${g.rounds.length > 1
          ? html`<select aria-label=${t('obj.round')} @change=${(e: Event) => void this.load(Number((e.target as HTMLSelectElement).value))}>
              ${g.rounds.map((r) => html`<option value=${r.id} ?selected=${r.id === g.roundId}>${r.name}</option>`)}
            </select>`
          : nothing}
        <button data-testid="cell-history" @click=${() => void this.openHistory()}>${t('obj.history')}</button>
        ${g.canImport && writable
          ? html`<button data-testid="objective-import-toggle" aria-expanded=${this.importOpen} @click=${() => (this.importOpen = !this.importOpen)}>${t('obj.import.toggle')}</button>`
          : nothing}
        <button @click=${() => void this.load(g.roundId)} aria-label=${t('obj.refresh')} title=${t('obj.refresh')}>⟳</button>
      </div>
      <p class="intro">${t('obj.intro')}</p>
      ${g.canImport && !g.released
        ? html`<label class="switch" title=${t('obj.doubleEntryHint')}>
            <input type="checkbox" data-testid="double-entry" .checked=${g.doubleEntry} @change=${(e: Event) => void this.setDoubleEntry((e.target as HTMLInputElement).checked)} />
            ${t('obj.doubleEntry')}
          </label>`
        : nothing}
      ${g.released
        ? html`<p class="notice info">${t('obj.released')}</p>`
        : !this.roundOpen()
          ? html`<p class="notice info">${t('obj.closed')}</p>`
          : g.mode === 'none'
            ? html`<p class="notice info">${t('obj.readOnly')}</p>`
            : g.mode === 'double'
              ? html`<p class="notice info">${t('obj.doubleMode')}</p>`
              : nothing}
      ${this.importOpen && writable
        ? html`<sc-objective-import
            .eventId=${this.eventId}
            .grid=${g}
            @sc-objective-changed=${() => void this.load(g.roundId, true)}
          ></sc-objective-import>`
        : nothing}
      <div class="stats" aria-live="polite">
        <span class="stat">${t('obj.expected')}<b>${expected}</b></span>
        <span class="stat">${t('obj.filled')}<b>${expected - missing}</b></span>
        <span class="stat ${missing ? 'bad' : ''}">${t('obj.missing')}<b data-testid="missing-count">${missing}</b></span>
        ${optionalEmpty ? html`<span class="stat">${t('obj.optionalEmptyCount')}<b data-testid="optional-empty-count">${optionalEmpty}</b></span>` : nothing}
        <span class="stat ${pending.length ? 'pending' : ''}">${t('obj.unsaved')}<b data-testid="unsaved-count">${pending.length}</b></span>
        ${g.counts.openDisputes ? html`<span class="stat bad">${t('obj.disputes')}<b>${g.counts.openDisputes}</b></span>` : nothing}
      </div>
      <div class="wrap">
        <table data-testid="objective-grid">
          <thead>
            <tr>
              <th scope="col">${t('obj.number')}</th>
              ${g.showsNames ? html`<th scope="col">${t('obj.name')}</th>` : nothing} ${g.columns.map((c) => this.columnHead(c))}
              ${g.mode === 'double'
                ? nothing
                : html`<th scope="col">${t('obj.objectiveTotal')}</th>
                    <th scope="col">${t('obj.total')}</th>`}
            </tr>
          </thead>
          <tbody>
            ${g.rows.map((row, r) => this.renderRow(row, r))}
          </tbody>
        </table>
      </div>
      ${writable
        ? html`<div class="savebar">
            ${changes
              ? html`<div class="reason">
                  <label for="reason">${t('obj.reasonHint', { n: changes })}</label>
                  <input
                    id="reason"
                    data-testid="objective-reason"
                    .value=${this.reason}
                    @input=${(e: Event) => {
                      this.reason = (e.target as HTMLInputElement).value;
                      if (this.notice?.kind === 'error') this.notice = null;
                    }}
                  />
                </div>`
              : html`<span class="grow" style="flex:1"></span>`}
            ${pending.length ? html`<button @click=${() => this.discard()}>${t('obj.discard')}</button>` : nothing}
            <button class="primary" data-testid="objective-save" ?disabled=${this.saving || pending.length === 0} @click=${() => void this.save()}>
              ${pending.length ? t('obj.saveN', { n: pending.length }) : t('obj.save')}
            </button>
          </div>`
        : nothing}
      ${this.notice ? html`<p class="notice ${this.notice.kind}" role=${this.notice.kind === 'error' ? 'alert' : 'status'} data-testid="objective-notice">${this.notice.text}</p>` : nothing}
      ${invalid ? html`<p class="notice error">${t('obj.invalidCells', { n: invalid })}</p>` : nothing}
      <div class="legend">
        <span><i style="background:#fff4e5"></i>${t('obj.legend.missing')}</span>
        <span><i style="background:#e8f0ff"></i>${t('obj.legend.unsaved')}</span>
        <span><i style="background:#fdecea"></i>${t('obj.legend.invalid')}</span>
        <span><i style="background:#ffe8cc"></i>${t('obj.legend.disputed')}</span>
        <span>${t('obj.legend.keys')}</span>
      </div>
      ${this.historyOpen ? this.renderHistory() : nothing} ${g.canSettle ? this.renderDisputes() : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-objective-grid': ObjectiveGridElement;
  }
}
