import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import '../../i18n/print.ts';
import { chiefStyles, ChiefChangedEvent, criterionName, errorText, fmt, when, type PaperDisagreement, type Scheme } from './chief-shared.ts';

const keyOf = (d: PaperDisagreement) => `${d.roundId}:${d.number}:${d.judgeId}:${d.partId}:${d.criterionId}`;

/**
 * Paper sheets whose two entries disagree, side by side. The chief judge checks the signed sheet
 * and settles by choosing one of the values or entering another, with a note; the value is
 * stored as the judge's mark.
 *
 * @event sc-chief-changed - a disagreement was settled
 */
@customElement('sc-chief-paper')
export class ChiefPaper extends LitElement {
  static override styles = [
    sharedStyles,
    chiefStyles,
    css`
      .pair {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 8px;
        margin: 8px 0;
      }
      .entry {
        border: 1px solid var(--sc-line);
        border-radius: 10px;
        padding: 8px 12px;
        text-align: center;
        background: #fafbfc;
      }
      .entry b {
        display: block;
        font-size: 30px;
        font-variant-numeric: tabular-nums;
      }
      .entry button {
        margin-top: 6px;
        width: 100%;
      }
      .entry.chosen {
        border: 2px solid var(--sc-accent);
      }
      .dispute + .dispute {
        margin-top: 12px;
      }
      .settle {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: flex-start;
      }
      .settle input.value {
        width: 110px;
        font-size: 20px;
      }
      .settle .note {
        flex: 1;
        min-width: 200px;
      }
      .settle .note input {
        width: 100%;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  @property({ type: Number }) revision = 0;
  @property({ attribute: false }) scheme: Scheme | undefined;
  @property({ type: Boolean }) released = false;
  @state() private open: PaperDisagreement[] = [];
  @state() private settled: PaperDisagreement[] = [];
  @state() private values: Record<string, string> = {};
  @state() private notes: Record<string, string> = {};
  @state() private fieldErrors: Record<string, { value?: string; note?: string }> = {};
  @state() private busy: string | null = null;
  @state() private error = '';
  @state() private loaded = false;

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('eventId') || changed.has('revision')) && this.eventId) void this.load();
  }

  private async load() {
    try {
      const all = await api<PaperDisagreement[]>('GET', `/api/events/${this.eventId}/paper-disagreements?status=all`);
      this.open = all.filter((d) => !d.settlement);
      this.settled = all.filter((d) => d.settlement);
      this.loaded = true;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async settle(d: PaperDisagreement) {
    const key = keyOf(d);
    const raw = (this.values[key] ?? '').trim();
    const value = Number(raw);
    const note = (this.notes[key] ?? '').trim();
    const errs: { value?: string; note?: string } = {};
    if (raw === '' || !Number.isFinite(value) || value < 0 || value > d.max) errs.value = t('chief.marks.range', { max: d.max });
    if (note.length < 2) errs.note = t('chief.paper.noteNeeded');
    this.fieldErrors = { ...this.fieldErrors, [key]: errs };
    if (errs.value || errs.note) return;
    this.busy = key;
    try {
      await api('POST', '/api/paper-disagreements/settle', { roundId: d.roundId, number: d.number, judgeId: d.judgeId, partId: d.partId, criterionId: d.criterionId, value, note });
      await this.load();
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length)
        this.fieldErrors = { ...this.fieldErrors, [key]: { value: err.fieldMessage('body.value') ?? err.message, note: err.fieldMessage('body.note') } };
      else this.error = errorText(err);
    } finally {
      this.busy = null;
    }
  }

  private renderOpen(d: PaperDisagreement) {
    const key = keyOf(d);
    const chosen = this.values[key];
    const errs = this.fieldErrors[key] ?? {};
    return html`<div class="card dispute" data-testid="dispute-${d.number}-${d.judgeId}-${d.criterionId}">
      <div style="font-weight:600;font-size:17px">${t('chief.paper.head', { number: d.number, judge: d.judgeName })}</div>
      <div class="muted">${criterionName(this.scheme, d.partId, d.criterionId)} · ${t('chief.paper.range', { max: d.max, step: d.step })}</div>
      <div class="pair">
        ${d.entries.map(
          (e) => html`<div class="entry ${chosen !== undefined && Number(chosen) === e.value ? 'chosen' : ''}">
            <span class="muted">${e.scorerName} · ${when(e.enteredAt)}</span>
            <b>${fmt(e.value)}</b>
            <button ?disabled=${this.released} @click=${() => (this.values = { ...this.values, [key]: String(e.value) })}>${t('chief.paper.take')}</button>
          </div>`,
        )}
      </div>
      ${this.released
        ? nothing
        : html`<div class="settle">
            <div>
              <input
                class="value"
                inputmode="decimal"
                aria-label=${t('chief.paper.value')}
                placeholder=${t('chief.paper.value')}
                .value=${chosen ?? ''}
                @input=${(e: InputEvent) => (this.values = { ...this.values, [key]: (e.target as HTMLInputElement).value })}
              />
              ${errs.value ? html`<div class="field-error">${errs.value}</div>` : nothing}
            </div>
            <div class="note">
              <input
                placeholder=${t('chief.paper.note')}
                aria-label=${t('chief.paper.note')}
                .value=${this.notes[key] ?? ''}
                @input=${(e: InputEvent) => (this.notes = { ...this.notes, [key]: (e.target as HTMLInputElement).value })}
              />
              ${errs.note ? html`<div class="field-error">${errs.note}</div>` : nothing}
            </div>
            <button class="primary" ?disabled=${this.busy !== null} @click=${() => this.settle(d)}>${t('chief.paper.settle')}</button>
          </div>`}
    </div>`;
  }

  override render() {
    return html`
      <div class="toolbar">
        <h2 class="grow" style="margin:0">${t('chief.paper.title')}</h2>
        <a class="btn" href="/print/event/${this.eventId}/sheets" target="_blank" data-testid="print-sheets">${t('print.links.sheets')}</a>
        <button @click=${() => this.load()}>${t('chief.refresh')}</button>
      </div>
      <p class="muted">${t('chief.paper.hint')}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.loaded && this.open.length === 0 ? html`<div class="card empty">${t('chief.paper.none')}</div>` : nothing}
      ${this.open.map((d) => this.renderOpen(d))}
      ${this.settled.length
        ? html`<h3>${t('chief.paper.settledTitle')}</h3>
            <div class="card scroll-x" style="padding:0">
              <table>
                <thead>
                  <tr>
                    <th>${t('chief.number')}</th>
                    <th>${t('chief.judge')}</th>
                    <th>${t('chief.criterion')}</th>
                    <th>${t('chief.paper.entries')}</th>
                    <th>${t('chief.paper.ruling')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.settled.map(
                    (d) => html`<tr>
                      <td>${d.number}</td>
                      <td>${d.judgeName}</td>
                      <td>${criterionName(this.scheme, d.partId, d.criterionId)}</td>
                      <td>${d.entries.map((e) => fmt(e.value)).join(' / ')}</td>
                      <td><b>${fmt(d.settlement!.value)}</b> <span class="muted">${d.settlement!.note}</span></td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-chief-paper': ChiefPaper;
  }
}
