import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { chiefStyles, ChiefChangedEvent, criterionName, errorText, fmt, OpenMarksEvent, when, type Correction, type Scheme } from './chief-shared.ts';

/**
 * Correction requests from judges: pending ones with the old and the new value and the reason,
 * approved (a new mark version is stored, the ranking follows) or rejected with a note.
 *
 * @event sc-chief-changed - a request was decided
 * @event sc-chief-open-marks - the user wants the contestant's marks
 */
@customElement('sc-chief-corrections')
export class ChiefCorrections extends LitElement {
  static override styles = [
    sharedStyles,
    chiefStyles,
    css`
      .request {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 8px 16px;
        align-items: start;
      }
      .request + .request {
        margin-top: 12px;
      }
      .head {
        font-weight: 600;
        font-size: 17px;
      }
      .value-change {
        font-size: 22px;
      }
      .reason {
        margin: 6px 0 0;
      }
      .decide {
        display: flex;
        flex-direction: column;
        gap: 8px;
        min-width: 220px;
      }
      .decide input {
        width: 100%;
      }
      @media (max-width: 800px) {
        .request {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  @property({ attribute: false }) scheme: Scheme | undefined;
  /** Bumped by the page when something may have changed: the lists are read again. */
  @property({ type: Number }) revision = 0;
  @state() private pending: Correction[] = [];
  @state() private decided: Correction[] = [];
  @state() private notes: Record<number, string> = {};
  @state() private busy: number | null = null;
  @state() private error = '';
  @state() private loaded = false;

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('eventId') || changed.has('revision')) && this.eventId) void this.load();
  }

  private async load() {
    try {
      const all = await api<Correction[]>('GET', `/api/events/${this.eventId}/corrections`);
      this.pending = all.filter((c) => c.status === 'pending').reverse(); // oldest first: first come, first decided
      this.decided = all.filter((c) => c.status !== 'pending').slice(0, 20);
      this.loaded = true;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async decide(c: Correction, decision: 'approve' | 'reject') {
    this.busy = c.id;
    this.error = '';
    try {
      const note = this.notes[c.id]?.trim();
      await api('POST', `/api/corrections/${c.id}/decision`, { decision, ...(note ? { note } : {}) });
      await this.load();
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = null;
    }
  }

  override render() {
    return html`
      <div class="toolbar">
        <h2 class="grow" style="margin:0">${t('chief.corr.title')}</h2>
        <button @click=${() => this.load()}>${t('chief.refresh')}</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.loaded && this.pending.length === 0 ? html`<div class="card empty" data-testid="no-corrections">${t('chief.corr.none')}</div>` : nothing}
      ${this.pending.map(
        (c) => html`<div class="card request" data-testid="correction-${c.id}">
          <div>
            <div class="head">
              ${t('chief.corr.head', { number: c.number ?? '?', judge: c.requestedByName })}
              <span class="pill">${when(c.createdAt)}</span>
            </div>
            <div class="muted">${criterionName(this.scheme, c.partId, c.criterionId)}</div>
            <div class="value-change"><span class="old">${fmt(c.oldValue)}</span> → ${fmt(c.newValue)}</div>
            <p class="reason">${t('chief.corr.reason')}：${c.reason}</p>
            <button style="margin-top:6px" @click=${() => c.number != null && this.dispatchEvent(new OpenMarksEvent(c.number))}>${t('chief.corr.seeMarks')}</button>
          </div>
          <div class="decide">
            <input
              placeholder=${t('chief.corr.note')}
              aria-label=${t('chief.corr.note')}
              .value=${this.notes[c.id] ?? ''}
              @input=${(e: InputEvent) => (this.notes = { ...this.notes, [c.id]: (e.target as HTMLInputElement).value })}
            />
            <button class="primary" data-testid="approve-${c.id}" ?disabled=${this.busy !== null} @click=${() => this.decide(c, 'approve')}>${t('chief.corr.approve')}</button>
            <button class="danger" data-testid="reject-${c.id}" ?disabled=${this.busy !== null} @click=${() => this.decide(c, 'reject')}>${t('chief.corr.reject')}</button>
          </div>
        </div>`,
      )}
      ${this.decided.length
        ? html`<h3>${t('chief.corr.recent')}</h3>
            <div class="card scroll-x" style="padding:0">
              <table>
                <thead>
                  <tr>
                    <th>${t('chief.number')}</th>
                    <th>${t('chief.judge')}</th>
                    <th>${t('chief.criterion')}</th>
                    <th>${t('chief.corr.change')}</th>
                    <th>${t('chief.corr.decision')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.decided.map(
                    (c) => html`<tr>
                      <td>${c.number}</td>
                      <td>${c.requestedByName}</td>
                      <td>${criterionName(this.scheme, c.partId, c.criterionId)}</td>
                      <td class="value-change"><span class="old">${fmt(c.oldValue)}</span> → ${fmt(c.newValue)}</td>
                      <td>
                        <span class="pill ${c.status === 'approved' ? 'ok' : 'danger'}">${t(`chief.corr.${c.status}`)}</span>
                        ${c.decisionNote ? html`<span class="muted">${c.decisionNote}</span>` : nothing}
                      </td>
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
    'sc-chief-corrections': ChiefCorrections;
  }
}
