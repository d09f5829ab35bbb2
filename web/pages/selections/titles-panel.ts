import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { problemText } from '../../components/error-banner.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, staffStyles } from '../people/staff-ui.ts';
import './reason-dialog.ts';
import type { ReasonEvent } from './reason-dialog.ts';
import { fieldText, type SelectionTitle } from './selection-types.ts';

/** Fired (bubbling, composed) after a title was revoked: what hangs on it (the reward money) is read again. */
export class TitlesChangedEvent extends Event {
  static readonly type = 'sc-titles-changed';
  constructor() {
    super(TitlesChangedEvent.type, { bubbles: true, composed: true });
  }
}

type ReviewForm = {
  titleId: number;
  year: string;
  outcome: '' | 'passed' | 'failed';
  note: string;
  errors: Record<string, string>;
  error: unknown;
  saving: boolean;
};

/**
 * `<sc-sel-titles>`: the titles a named selection conferred, as the union that named them keeps
 * them: each holder's certificate (a link to the printable certificate while the title stands),
 * the naming day, the end of the term (or 终身, for life), the standing (active, expired, revoked
 * with its reason) and the yearly reviews (年度考核): each year's outcome, failed ones in red with
 * the reason, and the years of the term begun without one marked 待考核. Managers record a year's
 * outcome (a failed one says why) and revoke a title with the reason, through a confirmation.
 *
 * @property selectionId - the selection (named or closed)
 * @property manage - the staff member may record reviews and revoke (the server decides)
 * @event sc-titles-changed - TitlesChangedEvent after a title was revoked
 */
@customElement('sc-sel-titles')
export class TitlesPanel extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
      }
      ul.reviews {
        list-style: none;
        margin: 0;
        padding: 0;
        line-height: 1.6;
      }
      ul.reviews li + li {
        margin-top: 2px;
      }
      .failed {
        color: var(--sc-danger);
      }
      .passed {
        color: var(--sc-ok);
      }
      .note {
        font-size: 14px;
      }
      .revoked-why {
        font-size: 14px;
        color: var(--sc-muted);
        margin-top: 4px;
        line-height: 1.5;
      }
      td.actions {
        width: 1%;
      }
      td.actions .row {
        flex-direction: column;
        align-items: stretch;
      }
      td.actions button {
        white-space: nowrap;
      }
      tr.form-row > td {
        background: #f7f9fc;
      }
      .review-form {
        display: grid;
        grid-template-columns: minmax(120px, 1fr) minmax(200px, 1.4fr) minmax(220px, 3fr);
        gap: 8px 16px;
        align-items: start;
      }
      .review-form label,
      .review-form .group-label {
        margin-top: 4px;
      }
      .group-label {
        display: block;
        font-size: 15px;
        color: var(--sc-muted);
        margin-bottom: 4px;
      }
      .outcomes {
        display: flex;
        gap: 8px;
      }
      .outcomes label {
        display: flex;
        align-items: center;
        gap: 8px;
        min-height: 44px;
        margin: 0;
        padding: 0 14px;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
        background: #fff;
        color: var(--sc-fg);
        cursor: pointer;
        white-space: nowrap;
      }
      .outcomes label.on {
        border-color: var(--sc-focus);
        box-shadow: 0 0 0 1px var(--sc-focus);
      }
      .outcomes input {
        width: 20px;
        height: 20px;
        min-height: 20px;
        margin: 0;
      }
      .outcomes[aria-invalid='true'] label {
        border-color: var(--sc-danger);
      }
      @media (max-width: 800px) {
        .review-form {
          grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr);
        }
        .review-form .note-field {
          grid-column: 1 / -1;
        }
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) selectionId = 0;
  @property({ type: Boolean }) manage = false;
  @state() private titles: SelectionTitle[] | null = null;
  @state() private error: unknown = null;
  /** What the last action did, worded at render time (a language switch rewords it). */
  @state() private done: (() => string) | null = null;
  @state() private form: ReviewForm | null = null;
  @state() private revoking: SelectionTitle | null = null;
  @state() private revokeBusy = false;
  @state() private revokeError = '';

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('selectionId') && this.selectionId) void this.load();
  }

  private async load() {
    try {
      this.titles = await api<SelectionTitle[]>('GET', `/api/selections/${this.selectionId}/titles`);
      this.error = null;
    } catch (err) {
      this.error = err;
    }
  }

  private openReview(title: SelectionTitle) {
    this.done = null;
    this.form = { titleId: title.id, year: String(title.reviewsMissing[0] ?? ''), outcome: '', note: '', errors: {}, error: null, saving: false };
  }

  private patchForm(patch: Partial<ReviewForm>, clear?: string) {
    if (!this.form) return;
    const errors = clear && this.form.errors[clear] ? { ...this.form.errors, [clear]: '' } : this.form.errors;
    this.form = { ...this.form, errors, ...patch };
  }

  private async saveReview(e: Event, title: SelectionTitle) {
    e.preventDefault();
    const f = this.form;
    if (!f || f.saving) return;
    const errors: Record<string, string> = {};
    if (!f.year) errors.year = t('sel.titles.chooseYear');
    if (!f.outcome) errors.outcome = t('sel.titles.chooseOutcome');
    if (f.outcome === 'failed' && f.note.trim().length < 2) errors.note = t('sel.titles.noteRequired');
    if (Object.keys(errors).length) return this.patchForm({ errors, error: null });
    this.patchForm({ saving: true, errors: {}, error: null });
    try {
      const saved = await api<SelectionTitle>('POST', `/api/craftsman-titles/${title.id}/yearly-reviews`, { year: Number(f.year), outcome: f.outcome, note: f.note.trim() });
      const year = Number(f.year);
      const outcome = f.outcome;
      this.form = null;
      await this.load();
      this.done = () => t('sel.titles.reviewed', { name: saved.personName, year, outcome: t(`sel.titles.outcome.${outcome}`) });
    } catch (err) {
      // What was chosen and written stays; the fields the server named are marked.
      const named = fieldErrorsOf(err);
      const mapped: Record<string, string> = {};
      if (named.note) mapped.note = t('sel.titles.noteRequired');
      if (named.year) mapped.year = err instanceof ApiError && err.code === 'year_out_of_term' ? t('sel.titles.yearOutOfTerm') : (fieldText(named.year) ?? '');
      if (named.outcome) mapped.outcome = t('sel.titles.chooseOutcome');
      const onlyFields = Object.keys(mapped).length > 0 && err instanceof ApiError && (err.code === 'validation_failed' || err.code === 'year_out_of_term');
      this.patchForm({ saving: false, errors: mapped, error: onlyFields ? null : err });
      // Refused for what changed meanwhile (revoked, recorded elsewhere): the list as it now stands.
      if (err instanceof ApiError && err.status === 409) void this.load();
    }
  }

  private async revoke(e: ReasonEvent) {
    const title = this.revoking;
    if (!title) return;
    if (e.reason === null) {
      this.revoking = null;
      return;
    }
    this.revokeBusy = true;
    this.revokeError = '';
    try {
      await api('POST', `/api/craftsman-titles/${title.id}/revoke`, { reason: e.reason });
      this.revoking = null;
      if (this.form?.titleId === title.id) this.form = null;
      this.done = () => t('sel.titles.revoked', { name: title.personName });
      this.dispatchEvent(new TitlesChangedEvent());
      await this.load();
    } catch (err) {
      // The dialog stays open with the reason as typed; the refusal is shown in it.
      const reason = fieldErrorsOf(err).reason;
      this.revokeError = reason ? (fieldText(reason) ?? '') : problemText(err);
      if (err instanceof ApiError && err.status === 409) void this.load();
    } finally {
      this.revokeBusy = false;
    }
  }

  private reviewsCell(title: SelectionTitle) {
    if (title.termEnds === null && !title.reviews.length) return html`<span class="muted">${t('sel.titles.noReview')}</span>`;
    if (!title.reviews.length && !title.reviewsMissing.length) return html`<span class="muted">${title.standing === 'revoked' ? '—' : t('sel.titles.noneDue')}</span>`;
    return html`<ul class="reviews" data-testid="title-reviews">
      ${title.reviews.map(
        (r) => html`<li class=${r.outcome} data-testid="title-review" data-outcome=${r.outcome}>
          <strong>${r.year}</strong> ${t(`sel.titles.outcome.${r.outcome}`)}${r.note ? html`<span class="note">：${r.note}</span>` : nothing}
        </li>`,
      )}
      ${title.reviewsMissing.map((y) => html`<li><span class="badge warn" data-testid="review-missing">${t('sel.titles.missing', { year: y })}</span></li>`)}
    </ul>`;
  }

  private standingBadge(title: SelectionTitle) {
    const cls = title.standing === 'active' ? 'ok' : title.standing === 'revoked' ? 'bad' : '';
    return html`<span class="badge ${cls}" data-testid="title-standing">${t(`sel.titles.standing.${title.standing}`)}</span>
      ${title.standing === 'revoked' && title.revokeReason
        ? html`<div class="revoked-why" data-testid="revoke-reason">${t('sel.titles.revokedWhy', { reason: title.revokeReason })}</div>`
        : nothing}`;
  }

  private renderForm(title: SelectionTitle, f: ReviewForm, cols: number) {
    return html`<tr class="form-row">
      <td colspan=${cols}>
        <form @submit=${(e: Event) => this.saveReview(e, title)} novalidate data-testid="review-form">
          <h3 style="margin-top:0">${t('sel.titles.reviewFor', { name: title.personName })}</h3>
          ${errorBanner(f.error)}
          <div class="review-form">
            <div class="field">
              <label for="rv-year">${t('sel.titles.year')}</label>
              <select
                id="rv-year"
                data-testid="review-year"
                aria-invalid=${f.errors.year ? 'true' : 'false'}
                aria-describedby=${f.errors.year ? 'err-rv-year' : nothing}
                @change=${(e: Event) => this.patchForm({ year: (e.target as HTMLSelectElement).value }, 'year')}
              >
                ${title.reviewsMissing.map((y) => html`<option value=${y} ?selected=${String(y) === f.year}>${y}</option>`)}
              </select>
              ${fieldError(f.errors.year, 'err-rv-year')}
            </div>
            <div class="field">
              <div class="group-label" id="rv-outcome-label">${t('sel.titles.outcome')}</div>
              <div class="outcomes" role="radiogroup" aria-labelledby="rv-outcome-label" aria-invalid=${f.errors.outcome ? 'true' : 'false'}>
                ${(['passed', 'failed'] as const).map(
                  (o) => html`<label class=${f.outcome === o ? 'on' : ''}>
                    <input
                      type="radio"
                      name="rv-outcome"
                      value=${o}
                      .checked=${f.outcome === o}
                      data-testid="review-outcome-${o}"
                      @change=${() => this.patchForm({ outcome: o }, 'outcome')}
                    />${t(`sel.titles.outcome.${o}`)}
                  </label>`,
                )}
              </div>
              ${fieldError(f.errors.outcome, 'err-rv-outcome')}
            </div>
            <div class="field note-field">
              <label for="rv-note">${f.outcome === 'failed' ? t('sel.titles.noteFailed') : t('sel.titles.note')}</label>
              <input
                id="rv-note"
                .value=${f.note}
                aria-invalid=${f.errors.note ? 'true' : 'false'}
                aria-describedby=${f.errors.note ? 'err-rv-note' : nothing}
                data-testid="review-note"
                @input=${(e: InputEvent) => this.patchForm({ note: (e.target as HTMLInputElement).value }, 'note')}
              />
              ${fieldError(f.errors.note, 'err-rv-note')}
            </div>
          </div>
          <div class="row" style="margin-top:12px">
            <button type="submit" class="primary" ?disabled=${f.saving} data-testid="review-submit">${f.saving ? t('sel.titles.saving') : t('sel.titles.saveReview')}</button>
            <button type="button" ?disabled=${f.saving} @click=${() => (this.form = null)}>${t('app.cancel')}</button>
          </div>
        </form>
      </td>
    </tr>`;
  }

  override render() {
    const list = this.titles;
    if (!list)
      return html`<section class="card" data-testid="titles">
        <h2>${t('sel.titles.heading')}</h2>
        ${errorBanner(this.error)}${this.error ? nothing : html`<p class="muted">${t('app.loading')}</p>`}
      </section>`;
    const done = this.done?.();
    const cols = this.manage ? 7 : 6;
    const reviewed = list.some((x) => x.termEnds !== null);
    return html`<section class="card" data-testid="titles">
      <h2>${t('sel.titles.heading')}</h2>
      <p class="hint">${reviewed ? t('sel.titles.hintTerm') : t('sel.titles.hintLife')}</p>
      ${errorBanner(this.error)} ${done ? html`<div class="banner ok-banner" role="status" data-testid="titles-notice">${done}</div>` : nothing}
      ${list.length === 0
        ? html`<p class="empty">${t('sel.titles.empty')}</p>`
        : html`<div class="table-wrap">
            <table data-testid="titles-table">
              <thead>
                <tr>
                  <th>${t('sel.c.name')}</th>
                  <th>${t('sel.c.certificate')}</th>
                  <th class="hide-narrow">${t('sel.titles.namedOn')}</th>
                  <th>${t('sel.titles.termEnds')}</th>
                  <th>${t('sel.titles.standing')}</th>
                  <th>${t('sel.titles.reviews')}</th>
                  ${this.manage ? html`<th><span class="sr-only">${t('sel.titles.actions')}</span></th>` : nothing}
                </tr>
              </thead>
              <tbody>
                ${list.map((x) => {
                  const revoked = x.standing === 'revoked';
                  const formOpen = this.form?.titleId === x.id;
                  return html`<tr data-testid="title-row" data-standing=${x.standing}>
                      <td class="nowrap">${x.personName}</td>
                      <td class="mono nowrap" data-testid="title-certificate">
                        ${x.certificateNumber && !revoked
                          ? html`<a class="tap" href="/selections/${this.selectionId}/certificate/${encodeURIComponent(x.certificateNumber)}" data-testid="title-certificate-link"
                              >${x.certificateNumber}</a
                            >`
                          : html`<span class=${revoked ? 'muted' : ''}>${x.certificateNumber ?? '—'}</span>`}
                      </td>
                      <td class="nowrap hide-narrow">${x.namedOn}</td>
                      <td class="nowrap" data-testid="title-term">${x.termEnds ?? t('sel.titles.forLife')}</td>
                      <td>${this.standingBadge(x)}</td>
                      <td>${this.reviewsCell(x)}</td>
                      ${this.manage
                        ? html`<td class="actions">
                            <div class="row">
                              ${x.reviewsMissing.length && !revoked
                                ? html`<button type="button" ?disabled=${formOpen} data-testid="review-open" @click=${() => this.openReview(x)}>${t('sel.titles.recordReview')}</button>`
                                : nothing}
                              ${revoked
                                ? nothing
                                : html`<button
                                    type="button"
                                    data-testid="revoke-open"
                                    @click=${() => {
                                      this.done = null;
                                      this.revokeError = '';
                                      this.revoking = x;
                                    }}
                                  >
                                    ${t('sel.titles.revoke')}
                                  </button>`}
                            </div>
                          </td>`
                        : nothing}
                    </tr>
                    ${formOpen && this.form ? this.renderForm(x, this.form, cols) : nothing}`;
                })}
              </tbody>
            </table>
          </div>`}
      <sc-sel-reason
        ?open=${this.revoking !== null}
        heading=${this.revoking ? t('sel.titles.revoke.heading', { name: this.revoking.personName }) : ''}
        message=${t('sel.titles.revoke.msg')}
        label=${t('sel.titles.revoke.reason')}
        confirmLabel=${t('sel.titles.revoke')}
        ?busy=${this.revokeBusy}
        .error=${this.revokeError}
        data-testid="revoke-dialog"
        @sc-reason=${this.revoke}
      ></sc-sel-reason>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-sel-titles': TitlesPanel;
  }
}
