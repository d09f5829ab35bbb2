import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { MarkOut } from '../../../server/contracts/marks.ts';
import type { Scheme } from '../../../server/contracts/scheme.ts';
import { ApiError, NetworkError, api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/judge.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { borderBox } from './judge-styles.ts';
import { sheetKey } from './judge-store.ts';
import { markedParts, refusalText, serverReasonText } from './marking-sheet.ts';
import { checkEntry, formatValue, partMark } from './values.ts';

/** Fired after the server accepted a correction request. */
export class CorrectionRequestedEvent extends Event {
  static readonly type = 'correction-requested';
  constructor(readonly markId: number) {
    super(CorrectionRequestedEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired when the judge leaves this view. */
export class OwnMarksCloseEvent extends Event {
  static readonly type = 'own-marks-close';
  constructor() {
    super(OwnMarksCloseEvent.type, { bubbles: true, composed: true });
  }
}

type FormState = { markId: number; value: string; reason: string; valueError: string; reasonError: string; error: string; busy: boolean };

/**
 * `sc-own-marks`: the judge's own stored marks for one contestant, read-only, with "request a
 * correction" per mark (a new value and a reason, POST /api/corrections). A correction needs the
 * network: it is a request to the chief judge, not a mark, so it is not queued offline.
 *
 * @event correction-requested - CorrectionRequestedEvent after the request was stored
 * @event own-marks-close - OwnMarksCloseEvent when the judge goes back
 */
@customElement('sc-own-marks')
export class OwnMarks extends LitElement {
  static override styles = [
    sharedStyles,
    borderBox,
    css`
      :host {
        display: block;
        padding: 0 0 24px;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 10px;
        padding: 8px 12px;
        background: var(--sc-card);
        border-bottom: 1px solid var(--sc-line);
        flex-wrap: wrap;
      }
      .bar h2 {
        margin: 0;
        font-size: 22px;
      }
      .bar .total {
        margin-left: auto;
        font-size: 18px;
      }
      .content {
        padding: 4px 16px;
        max-width: 900px;
      }
      h3 {
        margin: 16px 0 6px;
        font-size: 18px;
      }
      table {
        background: var(--sc-card);
        border-radius: 10px;
        table-layout: fixed;
      }
      td,
      th {
        font-size: 17px;
        padding: 8px 10px;
        vertical-align: middle;
      }
      th {
        font-size: 14px;
        color: var(--sc-muted);
        font-weight: 400;
      }
      .c-val {
        width: 6.5em;
      }
      .c-act {
        width: 10em;
        text-align: right;
      }
      .note {
        display: block;
        font-size: 13px;
        color: var(--sc-muted);
      }
      .pending {
        color: #1d4ed8;
        font-size: 15px;
      }
      form {
        display: grid;
        grid-template-columns: minmax(0, 10em) minmax(0, 1fr);
        gap: 4px 12px;
        padding: 8px 0;
      }
      form label {
        margin: 0;
      }
      form input,
      form textarea {
        width: 100%;
        font-size: 20px;
      }
      form textarea {
        min-height: 64px;
        padding: 8px 12px;
        resize: vertical;
      }
      .field-error {
        color: var(--sc-danger);
        font-size: 15px;
        min-height: 1.2em;
      }
      .actions {
        grid-column: 1 / -1;
        display: flex;
        gap: 10px;
        justify-content: flex-end;
      }
      .banner {
        margin: 10px 0;
        padding: 10px 14px;
        border-radius: 10px;
        background: #eef4ff;
        color: #1d4ed8;
        border: 1px solid #c7d7fe;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) scheme: Pick<Scheme, 'parts'> = { parts: [] };
  @property({ type: Number }) number = 0;
  @property({ attribute: false }) marks: MarkOut[] = [];
  /** Mark ids with a correction request waiting for the chief judge (as far as this tablet knows). */
  @property({ attribute: false }) pending: Set<number> = new Set();
  /** The server says a correction of this contestant's marks is waiting. */
  @property({ type: Boolean }) correctionPending = false;
  @property({ type: Boolean }) offline = false;
  @state() private form: FormState | null = null;

  private open(mark: MarkOut): void {
    this.form = { markId: mark.id, value: '', reason: '', valueError: '', reasonError: '', error: '', busy: false };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[name="newValue"]')?.focus());
  }

  private async submit(e: SubmitEvent, mark: MarkOut): Promise<void> {
    e.preventDefault();
    const f = this.form;
    if (!f || f.busy) return;
    const part = markedParts(this.scheme).find((p) => p.id === mark.partId);
    const criterion = part?.criteria.find((c) => c.id === mark.criterionId);
    const checked = criterion ? checkEntry(f.value, criterion) : null;
    const valueError = checked && !checked.ok ? refusalText(checked.refusal, part?.marking) : checked?.ok && checked.value === mark.value ? t('judge.correction.same') : '';
    const reasonError = f.reason.trim().length < 2 ? t('judge.correction.reasonNeeded') : '';
    if (valueError || reasonError || !checked?.ok) {
      this.form = { ...f, valueError, reasonError };
      return;
    }
    this.form = { ...f, valueError: '', reasonError: '', error: '', busy: true };
    try {
      await api('POST', '/api/corrections', { markId: mark.id, newValue: checked.value, reason: f.reason.trim() });
      this.form = null;
      this.dispatchEvent(new CorrectionRequestedEvent(mark.id));
    } catch (err) {
      const next: FormState = { ...f, busy: false, valueError: '', reasonError: '', error: '' };
      if (err instanceof NetworkError) next.error = t('judge.correction.offline');
      else if (err instanceof ApiError) {
        const item = part && criterion ? { part, criterion } : undefined;
        const valueMsg = err.fieldMessage('newValue');
        const reasonMsg = err.fieldMessage('reason');
        if (valueMsg) next.valueError = serverReasonText({ code: err.code, message: valueMsg }, item);
        if (reasonMsg) next.reasonError = t('judge.correction.reasonNeeded');
        if (!valueMsg && !reasonMsg) next.error = serverReasonText({ code: err.code, message: err.message }, item);
      } else next.error = String(err);
      this.form = next;
    }
  }

  private renderForm(mark: MarkOut) {
    const f = this.form!;
    return html`<tr>
      <td colspan="3">
        <form @submit=${(e: SubmitEvent) => this.submit(e, mark)} data-testid="correction-form">
          <label for="nv">${t('judge.correction.newValue')}</label>
          <label for="rs">${t('judge.correction.reason')}</label>
          <input
            id="nv"
            name="newValue"
            inputmode="decimal"
            autocomplete="off"
            .value=${f.value}
            aria-invalid=${f.valueError ? 'true' : 'false'}
            aria-describedby="nv-err"
            @input=${(e: InputEvent) => (this.form = { ...f, value: (e.target as HTMLInputElement).value, valueError: '' })}
          />
          <textarea
            id="rs"
            name="reason"
            maxlength="500"
            .value=${f.reason}
            aria-invalid=${f.reasonError ? 'true' : 'false'}
            aria-describedby="rs-err"
            @input=${(e: InputEvent) => (this.form = { ...f, reason: (e.target as HTMLTextAreaElement).value, reasonError: '' })}
          ></textarea>
          <span class="field-error" id="nv-err" data-testid="correction-value-error">${f.valueError}</span>
          <span class="field-error" id="rs-err">${f.reasonError}</span>
          ${f.error ? html`<span class="field-error" style="grid-column:1/-1" role="alert" data-testid="correction-error">${f.error}</span>` : nothing}
          <div class="actions">
            <button type="button" @click=${() => (this.form = null)}>${t('judge.cancel')}</button>
            <button type="submit" class="primary" ?disabled=${f.busy} data-testid="correction-submit">${t('judge.correction.send')}</button>
          </div>
        </form>
      </td>
    </tr>`;
  }

  override render() {
    const byCriterion = new Map(this.marks.map((m) => [sheetKey(m.partId, m.criterionId), m]));
    const parts = markedParts(this.scheme).filter((p) => p.criteria.some((c) => byCriterion.has(sheetKey(p.id, c.id))));
    return html`
      <div class="bar">
        <button type="button" data-testid="close-marks" @click=${() => this.dispatchEvent(new OwnMarksCloseEvent())}>‹ ${t('judge.backToList')}</button>
        <h2>${t('judge.contestant', { number: this.number })} · ${t('judge.storedMarks')}</h2>
      </div>
      <div class="content">
        ${this.correctionPending ? html`<p class="banner" data-testid="correction-pending">${t('judge.correction.pendingBanner')}</p>` : nothing}
        ${this.marks.length === 0 ? html`<p class="muted">${this.offline ? t('judge.marksOffline') : t('judge.noMarks')}</p>` : nothing}
        ${parts.map((part) => {
          const values = part.criteria.map((c) => byCriterion.get(sheetKey(part.id, c.id))?.value).filter((v): v is number => v !== undefined);
          const complete = values.length === part.criteria.length;
          return html`<h3>${part.name}${part.marking === 'deduction' ? ` · ${t('judge.deductionPart')}` : ''}</h3>
            <table>
              <thead>
                <tr>
                  <th>${t('judge.review.criterion')}</th>
                  <th class="c-val num">${part.marking === 'deduction' ? t('judge.review.deducted') : t('judge.review.value')}</th>
                  <th class="c-act"></th>
                </tr>
              </thead>
              <tbody>
                ${part.criteria.map((c) => {
                  const m = byCriterion.get(sheetKey(part.id, c.id));
                  if (!m) return nothing;
                  const isPending = this.pending.has(m.id);
                  return html`<tr data-mark=${m.id} data-criterion=${c.id}>
                      <td>
                        ${c.name}
                        ${m.version > 1 ? html`<span class="note">${t('judge.corrected', { version: m.version })}</span>` : nothing}
                      </td>
                      <td class="num c-val" data-testid="mark-value">${part.marking === 'deduction' && m.value > 0 ? '−' : ''}${formatValue(m.value)}</td>
                      <td class="c-act">
                        ${isPending
                          ? html`<span class="pending">${t('judge.state.correction_pending')}</span>`
                          : this.form?.markId === m.id
                            ? nothing
                            : html`<button type="button" data-testid="request-correction" @click=${() => this.open(m)}>${t('judge.correction.request')}</button>`}
                      </td>
                    </tr>
                    ${this.form?.markId === m.id ? this.renderForm(m) : nothing}`;
                })}
              </tbody>
              ${complete
                ? html`<tfoot>
                    <tr>
                      <td><b>${t('judge.review.partMark')}</b></td>
                      <td class="num c-val"><b>${formatValue(partMark(part.marking, part.max, values))}</b></td>
                      <td></td>
                    </tr>
                  </tfoot>`
                : nothing}
            </table>`;
        })}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-own-marks': OwnMarks;
  }
}
