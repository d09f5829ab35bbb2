import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { chiefStyles, ChiefChangedEvent, criterionName, criterionOf, errorText, fmt, schemeOrder, when, type Judge, type Mark, type Scheme } from './chief-shared.ts';

/** Where a mark version came from, for the trail; a mark sent with a reissued code says which code. */
export function sourceOf(m: Pick<Mark, 'device' | 'version' | 'judgeCodeNumber'>): string {
  if (m.device?.startsWith('paper-settled:')) return t('chief.marks.src.settled');
  if (m.device?.startsWith('paper:')) return t('chief.marks.src.paper');
  if (m.version > 1) return t('chief.marks.src.correction');
  if (m.judgeCodeNumber != null && m.judgeCodeNumber > 1) return t('chief.marks.src.reissuedCode', { n: m.judgeCodeNumber });
  return t('chief.marks.src.tablet');
}

/**
 * One contestant's marks (current versions) by judge and criterion; the chief judge corrects a
 * mark directly (a new version with the reason) and reads any mark's full trail of versions.
 *
 * @event sc-chief-changed - a mark was corrected
 */
@customElement('sc-chief-marks')
export class ChiefMarks extends LitElement {
  static override styles = [
    sharedStyles,
    chiefStyles,
    css`
      .pick {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: end;
      }
      .pick label {
        margin-top: 0;
      }
      .pick input {
        width: 120px;
        font-size: 20px;
      }
      tr.hl td {
        background: #fff9e6;
      }
      tr.detail td {
        background: #f7f8fa;
      }
      .trail {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .trail li {
        padding: 6px 0;
        border-bottom: 1px dashed var(--sc-line);
      }
      .trail li:last-child {
        border-bottom: 0;
      }
      .correct-form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: flex-start;
      }
      .correct-form input.value {
        width: 110px;
        font-size: 20px;
      }
      .correct-form input.reason {
        flex: 1;
        min-width: 200px;
      }
      td.v {
        font-size: 18px;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      @media (max-width: 800px) {
        .hide-narrow {
          display: none;
        }
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  @property({ type: Number }) roundId = 0;
  @property({ attribute: false }) scheme: Scheme | undefined;
  @property({ attribute: false }) judges: Judge[] = [];
  @property({ type: Boolean }) released = false;
  /** The contestant to show (set by the grid or a correction request). */
  @property({ type: Number }) number: number | null = null;
  @property({ type: Number }) highlightJudge: number | null = null;
  @property({ type: Number }) revision = 0;
  @state() private marks: Mark[] = [];
  @state() private loaded = false;
  @state() private open: { markId: number; kind: 'history' | 'correct' } | null = null;
  @state() private history: Mark[] = [];
  @state() private value = '';
  @state() private reason = '';
  @state() private fieldErrors: { value?: string; reason?: string } = {};
  @state() private error = '';
  @state() private busy = false;

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('number') || changed.has('roundId') || changed.has('revision')) && this.number && this.eventId) void this.load();
  }

  private async load() {
    if (!this.number) return;
    try {
      this.marks = await api<Mark[]>('GET', `/api/events/${this.eventId}/marks?roundId=${this.roundId}&number=${this.number}`);
      this.loaded = true;
      this.error = '';
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private pick(e: SubmitEvent) {
    e.preventDefault();
    const n = Number(new FormData(e.target as HTMLFormElement).get('number'));
    if (Number.isInteger(n) && n > 0) {
      this.open = null;
      this.highlightJudge = null;
      this.number = n;
    }
  }

  private async showHistory(m: Mark) {
    if (this.open?.markId === m.id && this.open.kind === 'history') return void (this.open = null);
    this.open = { markId: m.id, kind: 'history' };
    this.history = [];
    try {
      this.history = (await api<{ versions: Mark[] }>('GET', `/api/marks/${m.id}/history`)).versions;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private startCorrect(m: Mark) {
    if (this.open?.markId === m.id && this.open.kind === 'correct') return void (this.open = null);
    this.open = { markId: m.id, kind: 'correct' };
    this.value = String(m.value);
    this.reason = '';
    this.fieldErrors = {};
  }

  private async correct(m: Mark) {
    const value = Number(this.value);
    const c = criterionOf(this.scheme, m.partId, m.criterionId);
    const errors: { value?: string; reason?: string } = {};
    if (this.value.trim() === '' || !Number.isFinite(value) || value < (c?.min ?? 0) || (c && value > c.max))
      errors.value = c && c.min !== 0 ? `${c.min} ～ ${c.max}` : t('chief.marks.range', { max: c?.max ?? '' });
    if (this.reason.trim().length < 2) errors.reason = t('chief.marks.reasonNeeded');
    this.fieldErrors = errors;
    if (errors.value || errors.reason) return;
    this.busy = true;
    try {
      await api('POST', `/api/marks/${m.id}/correct`, { value, reason: this.reason.trim() });
      this.open = null;
      await this.load();
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length)
        this.fieldErrors = { value: err.fieldMessage('body.value') ?? err.message, reason: err.fieldMessage('body.reason') };
      else this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  private renderDetail(m: Mark) {
    if (this.open?.markId !== m.id) return nothing;
    if (this.open.kind === 'history')
      return html`<tr class="detail">
        <td colspan="6">
          <ol class="trail" data-testid="history-${m.id}">
            ${this.history.map(
              (v) => html`<li>
                <b>v${v.version}</b> · <span class="value-change">${fmt(v.value)}</span> · ${sourceOf(v)} · <span class="muted">${when(v.enteredAt)}</span>
                ${v.reason ? html`<div>${t('chief.marks.reason')}：${v.reason}</div>` : nothing}
              </li>`,
            )}
          </ol>
        </td>
      </tr>`;
    return html`<tr class="detail">
      <td colspan="6">
        <div class="correct-form">
          <div>
            <input class="value" inputmode="decimal" aria-label=${t('chief.marks.newValue')} .value=${this.value} @input=${(e: InputEvent) => (this.value = (e.target as HTMLInputElement).value)} />
            ${this.fieldErrors.value ? html`<div class="field-error">${this.fieldErrors.value}</div>` : nothing}
          </div>
          <div style="flex:1;min-width:200px">
            <input class="reason" style="width:100%" placeholder=${t('chief.marks.reason')} aria-label=${t('chief.marks.reason')} .value=${this.reason} @input=${(e: InputEvent) => (this.reason = (e.target as HTMLInputElement).value)} />
            ${this.fieldErrors.reason ? html`<div class="field-error">${this.fieldErrors.reason}</div>` : nothing}
          </div>
          <button class="primary" ?disabled=${this.busy} @click=${() => this.correct(m)} data-testid="save-correction">${t('chief.marks.save')}</button>
          <button @click=${() => (this.open = null)}>${t('chief.cancel')}</button>
        </div>
      </td>
    </tr>`;
  }

  override render() {
    const names = new Map(this.judges.map((j) => [j.id, j.name]));
    // The chosen judge first, then by judge, each judge's marks in the order of the sheet.
    const position = schemeOrder(this.scheme);
    const first = (m: Mark) => (m.judgeId === this.highlightJudge ? 0 : 1);
    const marks = [...this.marks].sort(
      (a, b) => first(a) - first(b) || a.judgeId - b.judgeId || position(a.partId, a.criterionId) - position(b.partId, b.criterionId),
    );
    return html`
      <div class="toolbar">
        <h2 class="grow" style="margin:0">${t('chief.marks.title')}</h2>
      </div>
      <form class="pick" @submit=${this.pick}>
        <div>
          <label for="number">${t('chief.number')}</label>
          <input id="number" name="number" inputmode="numeric" .value=${this.number ? String(this.number) : ''} data-testid="marks-number" />
        </div>
        <button class="primary" type="submit">${t('chief.marks.show')}</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.released ? html`<p class="muted">${t('chief.marks.released')}</p>` : nothing}
      ${!this.number
        ? html`<p class="muted">${t('chief.marks.hint')}</p>`
        : this.loaded && marks.length === 0
          ? html`<div class="card empty">${t('chief.marks.none', { number: this.number })}</div>`
          : html`<div class="card scroll-x" style="padding:0;margin-top:12px">
              <table data-testid="marks-table">
                <thead>
                  <tr>
                    <th>${t('chief.judge')}</th>
                    <th>${t('chief.criterion')}</th>
                    <th class="num">${t('chief.marks.value')}</th>
                    <th class="hide-narrow">${t('chief.marks.source')}</th>
                    <th class="hide-narrow">${t('chief.marks.time')}</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${marks.map(
                    (m) => html`<tr class=${m.judgeId === this.highlightJudge ? 'hl' : ''} data-testid="mark-${m.id}">
                        <td>${names.get(m.judgeId) ?? m.judgeId}</td>
                        <td>${criterionName(this.scheme, m.partId, m.criterionId)}</td>
                        <td class="num v">${fmt(m.value)}${m.version > 1 ? html` <span class="pill warn">v${m.version}</span>` : nothing}</td>
                        <td class="hide-narrow">${sourceOf(m)}</td>
                        <td class="hide-narrow muted">${when(m.enteredAt)}</td>
                        <td>
                          <span class="row-actions" style="justify-content:flex-end">
                            <button @click=${() => this.showHistory(m)} data-testid="history-btn-${m.id}">${t('chief.marks.history')}</button>
                            ${this.released ? nothing : html`<button @click=${() => this.startCorrect(m)} data-testid="correct-btn-${m.id}">${t('chief.marks.correct')}</button>`}
                          </span>
                        </td>
                      </tr>
                      ${this.renderDetail(m)}`,
                  )}
                </tbody>
              </table>
            </div>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-chief-marks': ChiefMarks;
  }
}
