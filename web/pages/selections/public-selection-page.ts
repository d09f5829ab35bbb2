import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { errorBanner } from '../../components/error-banner.ts';
import '../../i18n/people.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { fieldError, fieldErrorsOf, formatEnd, formatTime, staffStyles } from '../people/staff-ui.ts';
import { fieldText, type PublicObjectionReceipt, type PublicSelection } from './selection-types.ts';

type ObjectionForm = { candidateId: string; lodgedBy: string; contact: string; reason: string };
const BLANK: ObjectionForm = { candidateId: '', lodgedBy: '', contact: '', reason: '' };

/**
 * /selections/:id/public — a craftsman selection's list for everyone, no sign-in: the proposed list
 * during the publicity period (公示) with its end, or the named list with certificate numbers.
 * Names, employers, occupations and positions only: never an ID number (the API gives none). While
 * the period runs, anyone may lodge an objection (异议) against someone on the list.
 */
@customElement('sc-public-selection-page')
export class PublicSelectionPage extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        max-width: 1100px;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
        margin: 0 0 12px;
        color: var(--sc-muted);
      }
      .period {
        font-size: 17px;
        color: var(--sc-fg);
        font-weight: 600;
      }
      textarea {
        width: 100%;
        min-height: 110px;
        padding: 8px 12px;
        line-height: 1.5;
        resize: vertical;
      }
      form {
        margin-top: 16px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property() path = '';
  @state() private data: PublicSelection | null = null;
  @state() private error: unknown = null;
  @state() private missing = false;
  @state() private f: ObjectionForm = { ...BLANK };
  @state() private errors: Record<string, string> = {};
  @state() private sendError: unknown = null;
  @state() private sending = false;
  @state() private receipt: PublicObjectionReceipt | null = null;
  private loadedFor = '';

  private get selectionId(): number {
    return Number(/^\/selections\/(\d+)\/public$/.exec(this.path)?.[1] ?? 0);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('path') && this.path !== this.loadedFor) {
      this.loadedFor = this.path;
      void this.load();
    }
  }

  private async load() {
    this.error = null;
    this.missing = false;
    try {
      this.data = await api<PublicSelection>('GET', `/api/public/selections/${this.selectionId}`);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) this.missing = true;
      else this.error = err;
    }
  }

  private set(key: keyof ObjectionForm, value: string) {
    this.f = { ...this.f, [key]: value };
    if (this.errors[key]) this.errors = { ...this.errors, [key]: '' };
  }

  private async send(e: Event) {
    e.preventDefault();
    this.sendError = null;
    this.receipt = null;
    const f = this.f;
    const errors: Record<string, string> = {};
    if (!f.candidateId) errors.candidateId = t('sel.new.required');
    if (!f.lodgedBy.trim()) errors.lodgedBy = t('sel.new.required');
    if (f.reason.trim().length < 5) errors.reason = t('sel.pub.reasonShort');
    this.errors = errors;
    if (Object.keys(errors).length) return;
    this.sending = true;
    try {
      this.receipt = await api<PublicObjectionReceipt>('POST', `/api/public/selections/${this.selectionId}/objections`, {
        candidateId: Number(f.candidateId),
        lodgedBy: f.lodgedBy.trim(),
        contact: f.contact.trim() || undefined,
        reason: f.reason.trim(),
      });
      this.f = { ...BLANK };
    } catch (err) {
      // What was written stays; the fields the server named are marked.
      const named = fieldErrorsOf(err);
      const mapped: Record<string, string> = {};
      for (const [k, v] of Object.entries(named)) if (k in f) mapped[k] = fieldText(v) ?? '';
      this.errors = mapped;
      this.sendError = Object.keys(mapped).length && err instanceof ApiError && err.code === 'validation_failed' ? null : err;
      // The period may have just ended: show the list as it now stands.
      if (err instanceof ApiError && err.status === 409) void this.load();
    } finally {
      this.sending = false;
    }
  }

  private input(key: 'lodgedBy' | 'contact', label: string) {
    const err = this.errors[key];
    return html`<div class="field">
      <label for="obj-${key}">${label}</label>
      <input
        id="obj-${key}"
        .value=${this.f[key]}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${err ? `err-obj-${key}` : nothing}
        data-testid="obj-${key}"
        @input=${(e: InputEvent) => this.set(key, (e.target as HTMLInputElement).value)}
      />
      ${fieldError(err, `err-obj-${key}`)}
    </div>`;
  }

  private renderForm(d: PublicSelection) {
    return html`<form class="card" @submit=${this.send} novalidate data-testid="objection-form">
      <h2>${t('sel.pub.objection')}</h2>
      <p class="hint">${t('sel.pub.objectionHint')}</p>
      ${errorBanner(this.sendError)}
      ${this.receipt ? html`<div class="banner ok-banner" role="status" data-testid="objection-received">${t('sel.pub.received', { id: this.receipt.id, at: formatTime(this.receipt.lodgedAt) })}</div>` : nothing}
      <div class="grid2">
        <div class="field">
          <label for="obj-candidateId">${t('sel.pub.against')}</label>
          <select id="obj-candidateId" data-testid="obj-candidateId" aria-invalid=${this.errors.candidateId ? 'true' : 'false'} @change=${(e: Event) => this.set('candidateId', (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.f.candidateId}>${t('sel.pub.choose')}</option>
            ${d.list.map((r) => html`<option value=${r.candidateId} ?selected=${String(r.candidateId) === this.f.candidateId}>${r.name}${r.employerName ? `（${r.employerName}）` : ''}</option>`)}
          </select>
          ${fieldError(this.errors.candidateId, 'err-obj-candidateId')}
        </div>
        ${this.input('lodgedBy', t('sel.pub.lodgedBy'))} ${this.input('contact', t('sel.pub.contact'))}
      </div>
      <div class="field">
        <label for="obj-reason">${t('sel.pub.reason')}</label>
        <textarea
          id="obj-reason"
          .value=${this.f.reason}
          aria-invalid=${this.errors.reason ? 'true' : 'false'}
          aria-describedby=${this.errors.reason ? 'err-obj-reason' : nothing}
          data-testid="obj-reason"
          @input=${(e: InputEvent) => this.set('reason', (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        ${fieldError(this.errors.reason, 'err-obj-reason')}
      </div>
      <div class="row" style="margin-top:12px">
        <button type="submit" class="primary" ?disabled=${this.sending} data-testid="obj-submit">${this.sending ? t('sel.pub.sending') : t('sel.pub.submit')}</button>
      </div>
    </form>`;
  }

  override render() {
    if (this.missing) return html`<h1>${t('sel.title')}</h1><p class="card empty" data-testid="public-missing">${t('sel.pub.notFound')}</p>`;
    const d = this.data;
    if (!d) return html`${errorBanner(this.error)}${this.error ? nothing : html`<p class="muted">${t('app.loading')}</p>`}`;
    const named = d.stage === 'named';
    return html`
      <h1 data-testid="public-title">${d.name}</h1>
      <div class="meta">
        <span class="badge ${named ? 'ok' : 'warn'}">${t(`sel.pub.stage.${d.stage}`)}</span>
        <span>${t('sel.pub.organiser', { name: d.organiser })}</span>
        ${named
          ? html`<span>${t('sel.pub.namedAt', { date: formatTime(d.namedAt) })}</span>`
          : html`<span class="period" data-testid="publicity-end">${t('sel.pub.period', { start: formatTime(d.publicityStartsAt), end: formatEnd(d.publicityEndsAt) })}</span>
              ${d.objectionsOpen ? nothing : html`<span>${t('sel.pub.ended')}</span>`}`}
      </div>
      ${errorBanner(this.error)}
      <div class="stack">
        <section class="card">
          <h2>${named ? t('sel.named.heading') : t('sel.pub.title', { title: d.titleName })}</h2>
          ${d.list.length === 0
            ? html`<p class="empty">${t('sel.pub.empty')}</p>`
            : html`<div class="table-wrap">
                <table data-testid="public-list">
                  <thead>
                    <tr>
                      <th class="num">${t('sel.pub.rank')}</th>
                      <th>${t('sel.pub.name')}</th>
                      <th class="nowrap">${t('sel.pub.gender')}</th>
                      <th>${t('sel.pub.employer')}</th>
                      <th class="hide-narrow">${t('sel.pub.occupation')}</th>
                      <th>${t('sel.pub.position')}</th>
                      <th class="nowrap">${t('sel.pub.award')}</th>
                      ${named ? html`<th>${t('sel.pub.certificate')}</th>` : nothing}
                    </tr>
                  </thead>
                  <tbody>
                    ${d.list.map(
                      (r, i) => html`<tr data-testid="public-row">
                        <td class="num">${r.rank ?? i + 1}</td>
                        <td class="nowrap">${r.name}</td>
                        <td class="nowrap">${t(`sel.pub.${r.gender}`)}</td>
                        <td>${r.employerName ?? '—'}</td>
                        <td class="hide-narrow">${r.occupationName ?? '—'}</td>
                        <td>${r.position || '—'}</td>
                        <td class="nowrap">${r.award === 'title' ? d.titleName : t('sel.list.award.nomination_award')}</td>
                        ${named
                          ? html`<td class="mono nowrap">
                              ${r.certificateNumber
                                ? html`<a href="/selections/${d.id}/certificate/${encodeURIComponent(r.certificateNumber)}" data-testid="certificate-link"
                                    >${r.certificateNumber}</a
                                  >`
                                : ''}
                            </td>`
                          : nothing}
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`}
        </section>
        ${d.objectionsOpen && d.list.length ? this.renderForm(d) : nothing}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-public-selection-page': PublicSelectionPage;
  }
}
