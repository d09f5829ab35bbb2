import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { DifficultyGrid } from '../../../server/contracts/entries.ts';
import { entryStatusLabel, errorBanner, OrgDataChangedEvent, orgStyles, translateFieldMessage, type ScEvent } from './org-shared.ts';

type Cell = { entryId: number; partId: string };
const keyOf = (c: Cell) => `${c.entryId}:${c.partId}`;

/**
 * What a typed coefficient means: null for an empty cell (no coefficient: the part counts × 1),
 * a number, or an error message. Full-width digits and a decimal comma are accepted.
 */
export function parseCoefficient(text: string, min: number, max: number): { ok: true; value: number | null } | { ok: false; message: string } {
  const s = text.normalize('NFKC').trim().replace(',', '.');
  if (s === '') return { ok: true, value: null };
  if (!/^\d+(\.\d*)?$/.test(s)) return { ok: false, message: t('org.diff.notNumber') };
  const value = Number(s);
  if (value < min || value > max) return { ok: false, message: t('org.diff.range', { min, max }) };
  if (!/^\d+(\.\d{0,2})?$/.test(s)) return { ok: false, message: t('org.diff.decimals') };
  return { ok: true, value };
}

/**
 * Difficulty coefficients (难度系数) of a round as a grid, drawn numbers × the parts that use
 * difficulty, typed like a spreadsheet: Enter or ↓ moves down a column, Shift+Enter or ↑ up,
 * Tab across; a column pasted from Excel fills downwards. Cells are checked as they are typed
 * (range, two decimals); changed cells are highlighted and saved together in one request
 * (PUT /rounds/:id/difficulty, all or nothing), Ctrl+S saves. Cells of parts already marked for
 * an entry are fixed and shown read-only.
 */
@customElement('sc-org-difficulty')
export class OrgDifficulty extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: flex-end;
        margin-bottom: 12px;
      }
      .bar .field {
        min-width: 200px;
      }
      .wrap {
        overflow-x: auto;
      }
      table.grid {
        width: auto;
        min-width: 100%;
      }
      table.grid th,
      table.grid td {
        padding: 4px 6px;
        white-space: nowrap;
      }
      table.grid thead th {
        position: sticky;
        top: 0;
        background: var(--sc-card);
        z-index: 1;
      }
      table.grid th.no {
        font-size: 20px;
        font-variant-numeric: tabular-nums;
        width: 4em;
        text-align: center;
      }
      table.grid thead th.no {
        font-size: inherit;
      }
      table.grid td input {
        width: 7em;
        text-align: right;
        font-size: 18px;
        font-variant-numeric: tabular-nums;
      }
      input.dirty {
        background: #fff8e1;
        border-color: #e0b43a;
      }
      input[aria-invalid='true'] {
        border-color: var(--sc-danger);
        box-shadow: 0 0 0 1px var(--sc-danger);
        background: #fdf3f2;
      }
      input[readonly] {
        background: #f1f3f6;
        color: var(--sc-muted);
      }
      td .msg {
        display: block;
        font-size: 12px;
        color: var(--sc-danger);
        white-space: normal;
        max-width: 10em;
      }
      tr.out th.no,
      tr.out .st {
        color: var(--sc-muted);
      }
      .st {
        font-size: 13px;
      }
      .footer {
        position: sticky;
        bottom: 0;
        background: var(--sc-card);
        border-top: 1px solid var(--sc-line);
        padding: 8px 0;
        margin-top: 8px;
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
        z-index: 2;
      }
      .footer .count {
        flex: 1 1 200px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) event!: ScEvent;
  @property({ type: Boolean }) canManage = false;
  @state() private roundId = 0;
  @state() private grid: DifficultyGrid | null = null;
  /** Typed text of cells that differ from the saved grid, by cell key. */
  @state() private draft = new Map<string, string>();
  /** Messages from the server for cells of the last save, by cell key. */
  @state() private serverErrors = new Map<string, string>();
  @state() private error: unknown = null;
  @state() private notice = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    const open = this.event.rounds.find((r) => r.status === 'open') ?? this.event.rounds[0];
    this.roundId = open?.id ?? 0;
    void this.load();
  }

  private async load() {
    if (!this.roundId) return;
    this.error = null;
    try {
      this.grid = await api<DifficultyGrid>('GET', `/api/rounds/${this.roundId}/difficulty`);
      this.draft = new Map();
      this.serverErrors = new Map();
    } catch (err) {
      this.error = err;
    }
  }

  private saved(c: Cell): number | null {
    return this.grid?.rows.find((r) => r.entryId === c.entryId)?.values[c.partId] ?? null;
  }

  private textOf(c: Cell): string {
    const typed = this.draft.get(keyOf(c));
    if (typed !== undefined) return typed;
    const v = this.saved(c);
    return v === null ? '' : String(v);
  }

  private setText(c: Cell, text: string) {
    const next = new Map(this.draft);
    const parsed = parseCoefficient(text, this.grid!.min, this.grid!.max);
    // Back to the saved value: not a change any more.
    if (parsed.ok && parsed.value === this.saved(c)) next.delete(keyOf(c));
    else next.set(keyOf(c), text);
    this.draft = next;
    if (this.serverErrors.has(keyOf(c))) {
      const errs = new Map(this.serverErrors);
      errs.delete(keyOf(c));
      this.serverErrors = errs;
    }
    this.notice = '';
  }

  /** The client-side problem of a changed cell, if any. */
  private problem(c: Cell): string | undefined {
    const text = this.draft.get(keyOf(c));
    if (text === undefined) return this.serverErrors.get(keyOf(c));
    const parsed = parseCoefficient(text, this.grid!.min, this.grid!.max);
    return parsed.ok ? this.serverErrors.get(keyOf(c)) : parsed.message;
  }

  private changes(): { cells: (Cell & { coefficient: number | null })[]; invalid: number } {
    const cells: (Cell & { coefficient: number | null })[] = [];
    let invalid = 0;
    for (const [key, text] of this.draft) {
      const [entryId, partId] = [Number(key.slice(0, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)];
      const parsed = parseCoefficient(text, this.grid!.min, this.grid!.max);
      if (parsed.ok) cells.push({ entryId, partId, coefficient: parsed.value });
      else invalid++;
    }
    return { cells, invalid };
  }

  private async save() {
    const { cells, invalid } = this.changes();
    if (invalid || cells.length === 0 || this.busy) {
      if (invalid) this.focusFirstInvalid();
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const res = await api<DifficultyGrid & { changed: number }>('PUT', `/api/rounds/${this.roundId}/difficulty`, { values: cells });
      this.grid = res;
      this.draft = new Map();
      this.serverErrors = new Map();
      this.notice = t('org.diff.saved', { n: res.changed });
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
      if (err instanceof ApiError) {
        const errs = new Map<string, string>();
        for (const fe of err.fieldErrors) {
          const m = /^body\.values\.(\d+)\./.exec(fe.field);
          const cell = m ? cells[Number(m[1])] : undefined;
          if (cell) errs.set(keyOf(cell), err.code === 'marks_exist' ? t('org.diff.lockedNow') : translateFieldMessage(fe.message));
        }
        this.serverErrors = errs;
        if (err.code === 'marks_exist') void this.refreshLocks();
      }
    } finally {
      this.busy = false;
    }
  }

  /** After a refusal because marks arrived meanwhile: the new locks, keeping what was typed. */
  private async refreshLocks() {
    try {
      const grid = await api<DifficultyGrid>('GET', `/api/rounds/${this.roundId}/difficulty`);
      this.grid = grid;
    } catch {
      /* the banner already says what went wrong */
    }
  }

  private discard() {
    this.draft = new Map();
    this.serverErrors = new Map();
    this.notice = '';
  }

  private input(row: number, col: number): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>(`input[data-row="${row}"][data-col="${col}"]`);
  }

  private focusFirstInvalid() {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus());
  }

  private onKey(e: KeyboardEvent, row: number, col: number) {
    const move = (r: number) => {
      const target = this.input(r, col);
      if (!target) return;
      e.preventDefault();
      target.focus();
      target.select();
    };
    if ((e.key === 's' || e.key === 'S') && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.save();
    } else if (e.key === 'Enter') move(e.shiftKey ? row - 1 : row + 1);
    else if (e.key === 'ArrowDown') move(row + 1);
    else if (e.key === 'ArrowUp') move(row - 1);
    else if (e.key === 'Escape') {
      // Back to the saved value.
      const g = this.grid!;
      const next = new Map(this.draft);
      next.delete(keyOf({ entryId: g.rows[row]!.entryId, partId: g.parts[col]!.id }));
      this.draft = next;
    }
  }

  /** A block pasted from a spreadsheet (rows by line, columns by tab) fills from this cell down and right. */
  private onPaste(e: ClipboardEvent, row: number, col: number) {
    const text = e.clipboardData?.getData('text') ?? '';
    if (!/[\t\n]/.test(text.trim())) return;
    e.preventDefault();
    const g = this.grid!;
    const lines = text.replace(/\r/g, '').replace(/\n$/, '').split('\n');
    lines.forEach((line, i) =>
      line.split('\t').forEach((value, j) => {
        const r = g.rows[row + i];
        const p = g.parts[col + j];
        if (r && p && !r.locked.includes(p.id)) this.setText({ entryId: r.entryId, partId: p.id }, value.trim());
      }),
    );
  }

  override render() {
    const rounds = this.event.rounds;
    const g = this.grid;
    return html`
      <div class="bar">
        ${rounds.length > 1
          ? html`<div class="field">
              <label for="dround">${t('org.diff.round')}</label>
              <select
                id="dround"
                @change=${(e: Event) => {
                  this.roundId = Number((e.target as HTMLSelectElement).value);
                  void this.load();
                }}
              >
                ${rounds.map((r) => html`<option value=${r.id} ?selected=${r.id === this.roundId}>${r.seq}. ${r.name}</option>`)}
              </select>
            </div>`
          : nothing}
        <p class="muted" style="margin:0;flex:1 1 320px">${this.canManage ? t('org.diff.hint', { min: g?.min ?? 0.5, max: g?.max ?? 10 }) : t('org.diff.readOnly')}</p>
      </div>
      ${errorBanner(this.error)}
      ${this.notice ? html`<div class="banner ok-banner" role="status" data-testid="diff-saved">${this.notice}</div>` : nothing}
      ${!g ? (this.error ? nothing : html`<sc-loading></sc-loading>`) : this.renderGrid(g)}
    `;
  }

  private renderGrid(g: DifficultyGrid) {
    if (g.parts.length === 0) return html`<p class="card empty">${t('org.diff.noParts')}</p>`;
    const { cells, invalid } = this.changes();
    return html`
      ${g.undrawn ? html`<p class="muted" data-testid="diff-undrawn">${t('org.diff.undrawn', { n: g.undrawn })}</p>` : nothing}
      ${g.rows.length === 0
        ? html`<p class="card empty">${t('org.diff.noRows')}</p>`
        : html`<div class="card wrap">
            <table class="grid" data-testid="difficulty-grid">
              <thead>
                <tr>
                  <th class="no">${t('org.diff.number')}</th>
                  ${g.parts.map((p) => html`<th>${p.name}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${g.rows.map(
                  (r, i) => html`<tr class=${r.status === 'absent' || r.status === 'disqualified' ? 'out' : ''}>
                    <th class="no" scope="row">
                      ${r.drawnNumber}
                      ${r.status !== 'checked_in' && r.status !== 'registered' ? html`<div class="st">${entryStatusLabel(r.status)}</div>` : nothing}
                    </th>
                    ${g.parts.map((p, j) => {
                      const cell = { entryId: r.entryId, partId: p.id };
                      const locked = r.locked.includes(p.id);
                      const problem = this.problem(cell);
                      return html`<td>
                        <input
                          data-row=${i}
                          data-col=${j}
                          inputmode="decimal"
                          autocomplete="off"
                          class=${this.draft.has(keyOf(cell)) ? 'dirty' : ''}
                          .value=${this.textOf(cell)}
                          ?readonly=${locked || !this.canManage}
                          title=${locked ? t('org.diff.locked') : ''}
                          aria-label=${t('org.diff.cell', { number: r.drawnNumber, part: p.name })}
                          aria-invalid=${problem ? 'true' : 'false'}
                          @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
                          @input=${(e: Event) => this.setText(cell, (e.target as HTMLInputElement).value)}
                          @keydown=${(e: KeyboardEvent) => this.onKey(e, i, j)}
                          @paste=${(e: ClipboardEvent) => this.onPaste(e, i, j)}
                        />
                        ${locked ? html`<span class="msg" style="color:var(--sc-muted)">${t('org.diff.locked')}</span>` : nothing}
                        ${problem ? html`<span class="msg" role="alert">${problem}</span>` : nothing}
                      </td>`;
                    })}
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
      ${this.canManage
        ? html`<div class="footer">
            <span class="count" data-testid="diff-changes">
              ${t('org.diff.changes', { n: cells.length })}${invalid ? html` · <span class="error">${t('org.diff.invalidN', { n: invalid })}</span>` : nothing}
            </span>
            <button type="button" ?disabled=${this.draft.size === 0 || this.busy} @click=${this.discard}>${t('org.diff.discard')}</button>
            <button class="primary" type="button" data-testid="diff-save" ?disabled=${cells.length === 0 || invalid > 0 || this.busy} @click=${() => void this.save()}>
              ${t('org.diff.save')}
            </button>
          </div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-org-difficulty': OrgDifficulty;
  }
}
