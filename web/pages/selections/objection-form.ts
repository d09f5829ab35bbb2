import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, staffStyles } from '../people/staff-ui.ts';
import { SelectionChangedEvent } from './nomination-form.ts';
import { fieldText, type Candidate, type Objection } from './selection-types.ts';

type Fields = { candidateId: string; lodgedBy: string; contact: string; reason: string };
const BLANK: Fields = { candidateId: '', lodgedBy: '', contact: '', reason: '' };

/**
 * `<sc-sel-objection-form>`: an objection received by letter, phone or in person during the
 * publicity period, recorded by the union's staff (`POST /api/selections/:id/objections`): against
 * whom (someone on the publicity list), who lodged it, how to reach them (optional) and what it
 * says. It then waits for a decision like one lodged on the public page. A refusal marks the fields
 * the server named and keeps what was written.
 *
 * @property selectionId - the selection (in publicity)
 * @property candidates - the selection's candidates; those on the publicity list (proposed) are offered
 * @event sc-selection-changed - SelectionChangedEvent after an objection was recorded (the page reads the objections again)
 */
@customElement('sc-sel-objection-form')
export class ObjectionFormElement extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
        margin-top: 8px;
      }
      textarea {
        width: 100%;
        min-height: 88px;
        padding: 8px 12px;
        line-height: 1.5;
        resize: vertical;
      }
      textarea[aria-invalid='true'] {
        border-color: var(--sc-danger);
        box-shadow: 0 0 0 1px var(--sc-danger);
      }
      .grid3 {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
        gap: 0 16px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) selectionId = 0;
  @property({ attribute: false }) candidates: Candidate[] = [];
  @state() private f: Fields = { ...BLANK };
  @state() private errors: Record<string, string> = {};
  @state() private error: unknown = null;
  @state() private saving = false;
  @state() private recorded: { name: string } | null = null;

  private set(key: keyof Fields, value: string) {
    this.f = { ...this.f, [key]: value };
    this.recorded = null;
    if (this.errors[key]) this.errors = { ...this.errors, [key]: '' };
  }

  private async save(e: Event) {
    e.preventDefault();
    if (this.saving) return;
    this.error = null;
    this.recorded = null;
    const f = this.f;
    const errors: Record<string, string> = {};
    if (!f.candidateId) errors.candidateId = t('sel.objf.chooseCandidate');
    if (!f.lodgedBy.trim()) errors.lodgedBy = t('sel.new.required');
    if (f.reason.trim().length < 5) errors.reason = t('sel.pub.reasonShort');
    this.errors = errors;
    if (Object.keys(errors).length) return;
    this.saving = true;
    try {
      const saved = await api<Objection>('POST', `/api/selections/${this.selectionId}/objections`, {
        candidateId: Number(f.candidateId),
        lodgedBy: f.lodgedBy.trim(),
        ...(f.contact.trim() ? { contact: f.contact.trim() } : {}),
        reason: f.reason.trim(),
      });
      this.f = { ...BLANK };
      this.recorded = { name: saved.personName };
      this.dispatchEvent(new SelectionChangedEvent());
    } catch (err) {
      // What was written stays; the fields the server named are marked beside them.
      const named = fieldErrorsOf(err);
      const mapped: Record<string, string> = {};
      for (const [k, v] of Object.entries(named)) if (k in f) mapped[k] = k === 'candidateId' ? t('sel.objf.notOnList') : k === 'reason' ? t('sel.pub.reasonShort') : (fieldText(v) ?? '');
      this.errors = mapped;
      this.error = Object.keys(mapped).length && err instanceof ApiError && err.code === 'validation_failed' ? null : err;
    } finally {
      this.saving = false;
    }
  }

  private input(key: 'lodgedBy' | 'contact', label: string, hint?: string) {
    const err = this.errors[key];
    return html`<div class="field">
      <label for="objf-${key}">${label}</label>
      <input
        id="objf-${key}"
        .value=${this.f[key]}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${err ? `err-objf-${key}` : nothing}
        placeholder=${hint ?? nothing}
        data-testid="objf-${key}"
        @input=${(e: InputEvent) => this.set(key, (e.target as HTMLInputElement).value)}
      />
      ${fieldError(err, `err-objf-${key}`)}
    </div>`;
  }

  override render() {
    const onList = this.candidates.filter((c) => c.status === 'proposed').sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
    return html`<form @submit=${this.save} novalidate data-testid="objection-record">
      <h3>${t('sel.objf.heading')}</h3>
      <p class="hint">${t('sel.objf.hint')}</p>
      ${errorBanner(this.error)}
      ${this.recorded ? html`<div class="banner ok-banner" role="status" data-testid="objection-recorded">${t('sel.objf.recorded', { name: this.recorded.name })}</div>` : nothing}
      <div class="grid3">
        <div class="field">
          <label for="objf-candidateId">${t('sel.pub.against')}</label>
          <select
            id="objf-candidateId"
            data-testid="objf-candidateId"
            aria-invalid=${this.errors.candidateId ? 'true' : 'false'}
            aria-describedby=${this.errors.candidateId ? 'err-objf-candidateId' : nothing}
            @change=${(e: Event) => this.set('candidateId', (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${!this.f.candidateId}>${t('sel.pub.choose')}</option>
            ${onList.map((c) => html`<option value=${c.id} ?selected=${String(c.id) === this.f.candidateId}>${c.personName}${c.employerName ? `（${c.employerName}）` : ''}</option>`)}
          </select>
          ${fieldError(this.errors.candidateId, 'err-objf-candidateId')}
        </div>
        ${this.input('lodgedBy', t('sel.objf.lodgedBy'), t('sel.objf.lodgedByHint'))} ${this.input('contact', t('sel.pub.contact'))}
      </div>
      <div class="field">
        <label for="objf-reason">${t('sel.objf.reason')}</label>
        <textarea
          id="objf-reason"
          .value=${this.f.reason}
          aria-invalid=${this.errors.reason ? 'true' : 'false'}
          aria-describedby=${this.errors.reason ? 'err-objf-reason' : nothing}
          data-testid="objf-reason"
          @input=${(e: InputEvent) => this.set('reason', (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        ${fieldError(this.errors.reason, 'err-objf-reason')}
      </div>
      <div class="row" style="margin-top:12px">
        <button type="submit" class="primary" ?disabled=${this.saving} data-testid="objf-submit">${this.saving ? t('sel.titles.saving') : t('sel.objf.submit')}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-sel-objection-form': ObjectionFormElement;
  }
}
