import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { ElementGrid, SetBaseValuesInput } from '../../server/contracts/elements.ts';
import { api, ApiError, NetworkError } from '../api/client.ts';
import { LocaleController, t } from '../app/i18n.ts';
import '../i18n/elements.ts';
import { sharedStyles } from '../styles/shared.ts';

type Part = ElementGrid['parts'][number];
type Cell = ElementGrid['rows'][number]['cells'][number];

/** Fired after base values were saved or an element's void declaration changed. */
export class ElementsChangedEvent extends Event {
  static readonly type = 'sc-elements-changed';
  constructor() {
    super(ElementsChangedEvent.type, { bubbles: true, composed: true });
  }
}

const key = (number: number, partId: string, criterionId: string) => `${number}:${partId}:${criterionId}`;
const fmt = (v: number | null | undefined) => (v == null ? '' : String(Math.round(v * 100) / 100));

/** A typed base value: null for an empty cell, NaN for text that is not an allowed number. */
function parseBase(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return Number.NaN;
  const v = Number(s);
  return v <= 10_000 ? v : Number.NaN;
}

function problem(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof NetworkError) return t('app.offline');
  return t('app.error', { message: err instanceof Error ? err.message : String(err) });
}

/**
 * A round's elements by drawn number (GET /api/events/:id/elements): each element's base value
 * (基础分), typed in a cell or picked from the grade table's base values, saved all at once
 * (PUT …/base-values), with the engine's element score under it; for the chief judge, a button per
 * element to declare it void (无效动作) or withdraw that, with a reason (POST …/voids). Used by the
 * chief judge's console (enter + void) and the organisers' event page (enter only).
 *
 * @event sc-elements-changed - base values were saved or a void declaration changed (ElementsChangedEvent)
 */
@customElement('sc-element-grid')
export class ElementGridElement extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      h2 {
        font-size: 20px;
        margin: 0;
      }
      h3 {
        font-size: 17px;
        margin: 16px 0 8px;
      }
      .intro {
        color: var(--sc-muted);
        font-size: 14px;
        margin: 4px 0 12px;
      }
      .scroll {
        overflow-x: auto;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
      }
      table {
        width: auto;
        min-width: 100%;
      }
      th,
      td {
        vertical-align: top;
        white-space: nowrap;
      }
      th.element {
        min-width: 120px;
        font-weight: 600;
      }
      th.number,
      td.number {
        position: sticky;
        left: 0;
        background: var(--sc-card);
        z-index: 1;
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      td.cell {
        min-width: 120px;
      }
      td.void {
        background: #f4f4f5;
      }
      .cell input,
      .cell select {
        width: 110px;
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .cell input.changed,
      .cell select.changed {
        background: #fffbe6;
      }
      .figure {
        font-size: 13px;
        color: var(--sc-muted);
        margin-top: 4px;
        font-variant-numeric: tabular-nums;
      }
      .pill {
        display: inline-block;
        border-radius: 10px;
        padding: 0 8px;
        font-size: 13px;
        line-height: 22px;
        background: #e4e4e7;
      }
      .pill.void {
        background: #fde2e1;
        color: var(--sc-danger);
        font-weight: 600;
      }
      .cell button {
        margin-top: 6px;
        padding: 0 12px;
        font-size: 14px;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
        align-items: center;
        margin: 12px 0;
      }
      .toolbar .grow {
        flex: 1;
      }
      .toolbar input {
        min-width: min(380px, 100%);
      }
      .dialog-backdrop {
        position: fixed;
        inset: 0;
        background: rgba(0, 0, 0, 0.35);
        display: flex;
        align-items: center;
        justify-content: center;
        z-index: 10;
        padding: 16px;
      }
      .dialog {
        background: var(--sc-card);
        border-radius: 12px;
        padding: 20px;
        width: min(480px, 100%);
      }
      .dialog h3 {
        margin-top: 0;
      }
      .dialog input {
        width: 100%;
        box-sizing: border-box;
      }
      .dialog .row {
        margin-top: 16px;
        justify-content: flex-end;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  /** The round to show; null: the open round, else the last. */
  @property({ type: Number }) roundId: number | null = null;
  /** May enter base values (organisers, admins, the chief judge). */
  @property({ type: Boolean }) canEnter = false;
  /** May declare elements void (the chief judge). */
  @property({ type: Boolean }) canVoid = false;
  /** Bump to reload (the console does on every ranking change). */
  @property({ type: Number }) revision = 0;

  @state() private grid: ElementGrid | null = null;
  @state() private error = '';
  @state() private notice = '';
  /** Typed but unsaved base values, by cell. */
  @state() private drafts = new Map<string, string>();
  @state() private cellErrors = new Map<string, string>();
  @state() private reason = '';
  @state() private reasonError = '';
  @state() private saving = false;
  @state() private voiding: { number: number; part: Part; criterionId: string; name: string; undo: boolean } | null = null;
  @state() private voidReason = '';
  @state() private voidError = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('eventId') || changed.has('roundId') || changed.has('revision')) void this.load();
  }

  private async load() {
    if (!this.eventId) return;
    try {
      const q = this.roundId ? `?roundId=${this.roundId}` : '';
      this.grid = await api<ElementGrid>('GET', `/api/events/${this.eventId}/elements${q}`);
      this.error = '';
    } catch (err) {
      this.error = problem(err);
    }
  }

  private elementName(part: Part, criterionId: string): string {
    return part.criteria.find((c) => c.id === criterionId)?.name ?? criterionId;
  }

  /** The unsaved cells that differ from the stored value, in a stable order. */
  private changedCells(): { key: string; value: SetBaseValuesInput['values'][number] }[] {
    const out: { key: string; value: SetBaseValuesInput['values'][number] }[] = [];
    for (const row of this.grid?.rows ?? [])
      for (const cell of row.cells) {
        const k = key(row.number, cell.partId, cell.criterionId);
        const draft = this.drafts.get(k);
        if (draft === undefined) continue;
        const v = parseBase(draft);
        if (v === cell.baseValue) continue;
        out.push({ key: k, value: { number: row.number, partId: cell.partId, criterionId: cell.criterionId, baseValue: v as number | null } });
      }
    return out;
  }

  private setDraft(k: string, text: string) {
    const drafts = new Map(this.drafts);
    drafts.set(k, text);
    this.drafts = drafts;
    if (this.cellErrors.has(k)) {
      const errors = new Map(this.cellErrors);
      errors.delete(k);
      this.cellErrors = errors;
    }
    this.notice = '';
  }

  private async save() {
    if (!this.grid) return;
    const cells = this.changedCells();
    if (cells.length === 0) {
      this.notice = t('el.unchanged');
      return;
    }
    const errors = new Map<string, string>();
    for (const c of cells) if (Number.isNaN(c.value.baseValue)) errors.set(c.key, t('el.invalidNumber'));
    this.cellErrors = errors;
    if (errors.size > 0) return;
    this.saving = true;
    this.reasonError = '';
    try {
      const body: SetBaseValuesInput = { roundId: this.grid.roundId, values: cells.map((c) => c.value), ...(this.reason.trim() ? { reason: this.reason.trim() } : {}) };
      const res = await api<ElementGrid & { changed: number }>('PUT', `/api/events/${this.eventId}/base-values`, body);
      this.grid = res;
      this.drafts = new Map();
      this.reason = '';
      this.notice = t('el.saved', { count: res.changed });
      this.dispatchEvent(new ElementsChangedEvent());
    } catch (err) {
      if (err instanceof ApiError && err.code === 'reason_required') this.reasonError = err.fieldMessage('body.reason') ?? err.message;
      else if (err instanceof ApiError && err.fieldErrors.length > 0) {
        // Each refused cell by its index in the request.
        const byIndex = new Map<string, string>();
        for (const fe of err.fieldErrors) {
          const m = /^body\.values\.(\d+)\./.exec(fe.field);
          const cell = m ? cells[Number(m[1])] : undefined;
          if (cell) byIndex.set(cell.key, fe.message);
        }
        this.cellErrors = byIndex;
        if (byIndex.size === 0) this.error = problem(err);
      } else this.error = problem(err);
    } finally {
      this.saving = false;
    }
  }

  private openVoid(number: number, part: Part, cell: Cell) {
    this.voiding = { number, part, criterionId: cell.criterionId, name: this.elementName(part, cell.criterionId), undo: cell.voidReason !== null };
    this.voidReason = '';
    this.voidError = '';
  }

  private async confirmVoid() {
    const v = this.voiding;
    if (!v || !this.grid) return;
    if (this.voidReason.trim().length < 2) {
      this.voidError = t('el.reasonNeeded');
      return;
    }
    try {
      const res = await api<ElementGrid & { changed: boolean }>('POST', `/api/events/${this.eventId}/voids`, {
        roundId: this.grid.roundId,
        number: v.number,
        partId: v.part.id,
        criterionId: v.criterionId,
        void: !v.undo,
        reason: this.voidReason.trim(),
      });
      this.grid = res;
      this.notice = t(v.undo ? 'el.undoDone' : 'el.voidDone', { number: v.number, element: v.name });
      this.voiding = null;
      this.dispatchEvent(new ElementsChangedEvent());
    } catch (err) {
      this.voidError = err instanceof ApiError ? (err.fieldMessage('body.reason') ?? err.message) : problem(err);
    }
  }

  private renderCell(number: number, part: Part, cell: Cell, released: boolean) {
    const k = key(number, cell.partId, cell.criterionId);
    const criterion = part.criteria.find((c) => c.id === cell.criterionId);
    const draft = this.drafts.get(k);
    const text = draft ?? fmt(cell.baseValue);
    const changed = draft !== undefined && parseBase(draft) !== cell.baseValue;
    const err = this.cellErrors.get(k);
    const isVoid = cell.voidReason !== null;
    const label = t('el.cellLabel', { number, element: criterion?.name ?? cell.criterionId });
    const editable = this.canEnter && !released;
    let input: unknown = nothing;
    if (part.usesBaseValues) {
      const allowed = criterion?.allowedBaseValues ?? null;
      if (allowed && editable)
        input = html`<select
          class=${changed ? 'changed' : ''}
          aria-label=${label}
          aria-invalid=${err ? 'true' : 'false'}
          data-testid="base-${k}"
          @change=${(e: Event) => this.setDraft(k, (e.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${text === ''}>${t('el.pick')}</option>
          ${allowed.map((b) => html`<option value=${fmt(b)} ?selected=${text === fmt(b)}>${fmt(b)}</option>`)}
        </select>`;
      else if (editable)
        input = html`<input
          class=${changed ? 'changed' : ''}
          inputmode="decimal"
          autocomplete="off"
          aria-label=${label}
          aria-invalid=${err ? 'true' : 'false'}
          data-testid="base-${k}"
          .value=${live(text)}
          @input=${(e: Event) => this.setDraft(k, (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter' || ((e.ctrlKey || e.metaKey) && e.key === 's')) {
              e.preventDefault();
              void this.save();
            }
          }}
        />`;
      else input = html`<span class="num">${text || '—'}</span>`;
    }
    return html`<td class="cell ${isVoid ? 'void' : ''}" data-testid="cell-${k}">
      ${input} ${err ? html`<div class="field-error" role="alert">${err}</div>` : nothing}
      <div class="figure">
        ${isVoid
          ? html`<span class="pill void" title=${cell.voidReason!}>${t('el.voided')}</span> <span>${cell.voidReason}</span>`
          : html`${t('el.score')} ${cell.score == null ? '—' : fmt(cell.score)} · ${t('el.marks', { in: cell.marksIn, expected: cell.expected })}`}
      </div>
      ${this.canVoid && part.voidable && !released
        ? html`<button data-testid="void-${k}" @click=${() => this.openVoid(number, part, cell)}>${isVoid ? t('el.undoVoid') : t('el.void')}</button>`
        : nothing}
    </td>`;
  }

  private renderPart(part: Part, grid: ElementGrid) {
    return html`<h3>${part.name}</h3>
      <div class="scroll">
        <table data-testid="elements-${part.id}">
          <thead>
            <tr>
              <th class="number">${t('el.number')}</th>
              ${part.criteria.map((c) => html`<th class="element">${c.name}${part.usesBaseValues ? html`<div class="figure">${t('el.base')}</div>` : nothing}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${grid.rows.map(
              (row) => html`<tr>
                <td class="number">${row.number}</td>
                ${row.cells.filter((c) => c.partId === part.id).map((cell) => this.renderCell(row.number, part, cell, grid.released))}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private renderDialog() {
    const v = this.voiding;
    if (!v) return nothing;
    return html`<div class="dialog-backdrop" @click=${(e: Event) => e.target === e.currentTarget && (this.voiding = null)}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="void-title">
        <h3 id="void-title">${t(v.undo ? 'el.undoTitle' : 'el.voidTitle', { number: v.number, element: v.name })}</h3>
        <label for="void-reason">${t('el.reason')}</label>
        <input
          id="void-reason"
          data-testid="void-reason"
          placeholder=${t('el.reasonHint')}
          maxlength="200"
          aria-invalid=${this.voidError ? 'true' : 'false'}
          .value=${live(this.voidReason)}
          @input=${(e: Event) => {
            this.voidReason = (e.target as HTMLInputElement).value;
            this.voidError = '';
          }}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void this.confirmVoid()}
        />
        ${this.voidError ? html`<div class="field-error" role="alert">${this.voidError}</div>` : nothing}
        <div class="row">
          <button @click=${() => (this.voiding = null)}>${t('el.cancel')}</button>
          <button class="primary" data-testid="void-confirm" @click=${() => void this.confirmVoid()}>${t('el.confirm')}</button>
        </div>
      </div>
    </div>`;
  }

  override render() {
    const grid = this.grid;
    if (!grid) return html`<p class="muted">${this.error || t('app.loading')}</p>`;
    const unsaved = this.changedCells().length;
    const entersAny = this.canEnter && grid.parts.some((p) => p.usesBaseValues);
    return html`
      <h2>${t('el.title')}</h2>
      <p class="intro">${this.canVoid ? t('el.intro') : t('el.introOrg')}</p>
      ${this.error ? html`<div class="banner error-banner" role="alert">${this.error}</div>` : nothing}
      ${grid.released ? html`<div class="banner warn-banner">${t('el.released')}</div>` : nothing}
      ${grid.parts.length === 0
        ? html`<p class="muted">${t('el.none')}</p>`
        : grid.rows.length === 0
          ? html`<p class="muted">${t('el.noRows')}</p>`
          : html`${entersAny && !grid.released
                ? html`<div class="toolbar">
                    <button class="primary" data-testid="save-base" ?disabled=${this.saving} @click=${() => void this.save()}>
                      ${this.saving ? t('el.saving') : t('el.save')}
                    </button>
                    ${unsaved ? html`<span class="muted">${t('el.unsaved', { count: unsaved })}</span>` : nothing}
                    <span class="grow"></span>
                    <label class="sr-only" for="change-reason">${t('el.reasonChange')}</label>
                    <input
                      id="change-reason"
                      data-testid="change-reason"
                      placeholder=${t('el.reasonChange')}
                      maxlength="500"
                      aria-invalid=${this.reasonError ? 'true' : 'false'}
                      .value=${live(this.reason)}
                      @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)}
                    />
                    <button @click=${() => void this.load()}>${t('el.refresh')}</button>
                  </div>
                  ${this.reasonError ? html`<div class="field-error" role="alert">${this.reasonError}</div>` : nothing}`
                : nothing}
              ${this.notice ? html`<div class="banner ok-banner" role="status" data-testid="elements-notice">${this.notice}</div>` : nothing}
              ${grid.parts.map((p) => this.renderPart(p, grid))}`}
      ${this.renderDialog()}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-element-grid': ElementGridElement;
  }
}
