import { beijingToday } from '../../app/beijing-time.ts';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/hr.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { Certificate } from '../../../server/contracts/certificates.ts';
import type { Person } from '../../../server/contracts/people.ts';
import { errorBanner, fieldError, fieldErrorsOf, levelText, query, staffStyles, type Page } from '../people/staff-ui.ts';
import { certificateNumberProblems, translateNumberMessage } from './number-check.ts';

/** Fired (bubbling, composed) when a certificate was recorded or issued. */
export class CertificateSavedEvent extends Event {
  static readonly type = 'sc-certificate-saved';
  constructor(readonly certificate: Certificate) {
    super(CertificateSavedEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired (bubbling, composed) when the user closes the form without saving. */
export class FormCancelledEvent extends Event {
  static readonly type = 'sc-form-cancelled';
  constructor() {
    super(FormCancelledEvent.type, { bubbles: true, composed: true });
  }
}

type Fields = {
  occupationCode: string;
  occupationName: string;
  trade: string;
  level: string;
  theoryScore: string;
  practicalScore: string;
  certificateNumber: string;
  issueDate: string;
  evaluationBody: string;
  basis: string;
};

const BASES = ['exam', 'competition_promotion', 'transfer', 'other'] as const;

/**
 * Records a certified level (`mode="create"`) or completes and issues a pending one, such as an
 * approved promotion (`mode="issue"`, with `certificate`). The certificate number's problems are
 * shown next to the field while typing; the server's refusals next to their fields.
 *
 * @event sc-certificate-saved - CertificateSavedEvent with the stored certificate
 * @event sc-form-cancelled - FormCancelledEvent
 */
@customElement('sc-hr-cert-form')
export class CertForm extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
        margin: 0;
      }
      .people {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-top: 8px;
      }
      .people button[aria-pressed='true'] {
        border-color: var(--sc-accent);
        box-shadow: 0 0 0 1px var(--sc-accent);
        font-weight: 600;
      }
      .ok {
        color: var(--sc-ok);
        font-size: 14px;
        margin-top: 4px;
      }
      .actions {
        display: flex;
        gap: 8px;
        justify-content: flex-end;
        margin-top: 16px;
        flex-wrap: wrap;
      }
      input.number {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace;
        letter-spacing: 0.04em;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  @property() mode: 'create' | 'issue' = 'create';
  @property({ attribute: false }) certificate: Certificate | null = null;

  @state() private f: Fields = this.empty();
  @state() private person: Person | null = null;
  @state() private found: Person[] | null = null;
  @state() private errors: Record<string, string> = {};
  @state() private error: unknown = null;
  @state() private busy = false;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  private empty(): Fields {
    return {
      occupationCode: '',
      occupationName: '',
      trade: '--',
      level: '',
      theoryScore: '',
      practicalScore: '',
      certificateNumber: '',
      issueDate: beijingToday(),
      evaluationBody: '',
      basis: 'exam',
    };
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('certificate') && this.certificate) {
      const c = this.certificate;
      this.f = {
        occupationCode: c.occupationCode,
        occupationName: c.occupationName,
        trade: c.trade,
        level: String(c.level),
        theoryScore: c.theoryScore == null ? '' : String(c.theoryScore),
        practicalScore: c.practicalScore == null ? '' : String(c.practicalScore),
        certificateNumber: c.certificateNumber ?? '',
        issueDate: c.issueDate ?? beijingToday(),
        evaluationBody: c.evaluationBody ?? '',
        basis: c.basis,
      };
    }
  }

  private set(key: keyof Fields, value: string) {
    this.f = { ...this.f, [key]: value };
    if (this.errors[key]) {
      const { [key]: _, ...rest } = this.errors;
      this.errors = rest;
    }
  }

  private searchPeople(text: string) {
    clearTimeout(this.searchTimer);
    const q = text.trim();
    if (!q) {
      this.found = null;
      return;
    }
    this.searchTimer = setTimeout(async () => {
      try {
        const page = await api<Page<Person>>('GET', `/api/people${query({ q, pageSize: 12 })}`);
        this.found = page.items;
      } catch (err) {
        this.error = err;
      }
    }, 250);
  }

  private pick(p: Person) {
    this.person = p;
    // A worker's registered occupation is the usual one on their certificate.
    if (!this.f.occupationCode && p.occupationCode) this.f = { ...this.f, occupationCode: p.occupationCode, occupationName: p.occupationName ?? this.f.occupationName };
    const { person: _, ...rest } = this.errors;
    this.errors = rest;
  }

  /** Checks what the server would refuse anyway, so the user sees every problem at once. */
  private validate(): Record<string, string> {
    const e: Record<string, string> = {};
    const f = this.f;
    if (this.mode === 'create' && !this.person) e.person = t('hr.form.personPick');
    if (!/^\d-\d{2}-\d{2}-\d{2}$/.test(f.occupationCode.trim())) e.occupationCode = f.occupationCode.trim() ? t('hr.form.occupationCodeFormat') : t('hr.form.required');
    if (!f.occupationName.trim()) e.occupationName = t('hr.form.required');
    if (!f.level) e.level = t('hr.form.required');
    for (const k of ['theoryScore', 'practicalScore'] as const) {
      const v = f[k].trim();
      if (v && !(Number(v) >= 0 && Number(v) <= 100)) e[k] = t('hr.form.score');
    }
    if (!f.certificateNumber.trim()) e.certificateNumber = t('hr.form.required');
    if (!f.issueDate) e.issueDate = t('hr.form.required');
    if (!f.evaluationBody.trim()) e.evaluationBody = t('hr.form.required');
    return e;
  }

  private async submit(ev: SubmitEvent) {
    ev.preventDefault();
    this.error = null;
    this.errors = this.validate();
    const numberProblems = certificateNumberProblems(this.f.certificateNumber, { issueDate: this.f.issueDate, level: Number(this.f.level) });
    if (Object.keys(this.errors).length > 0 || numberProblems.length > 0) {
      (this.renderRoot.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
      return;
    }
    const f = this.f;
    const score = (v: string) => (v.trim() === '' ? null : Number(v));
    const body = {
      occupationCode: f.occupationCode.trim(),
      occupationName: f.occupationName.trim(),
      trade: f.trade.trim() || '--',
      level: Number(f.level),
      theoryScore: score(f.theoryScore),
      practicalScore: score(f.practicalScore),
      certificateNumber: f.certificateNumber.trim().toUpperCase(),
      issueDate: f.issueDate,
      evaluationBody: f.evaluationBody.trim(),
      basis: f.basis,
      status: 'issued',
    };
    this.busy = true;
    try {
      const saved =
        this.mode === 'issue' && this.certificate
          ? await api<Certificate>('PATCH', `/api/certificates/${this.certificate.id}`, body)
          : await api<Certificate>('POST', '/api/certificates', { ...body, personId: this.person!.id });
      this.dispatchEvent(new CertificateSavedEvent(saved));
      if (this.mode === 'create') {
        this.f = this.empty();
        this.person = null;
        this.found = null;
      }
    } catch (err) {
      const errors = fieldErrorsOf(err);
      if (errors.certificateNumber)
        errors.certificateNumber =
          err instanceof ApiError && err.code === 'certificate_number_taken' ? t('ui.err.certificate_number_taken') : translateNumberMessage(errors.certificateNumber);
      this.errors = errors;
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private input(key: keyof Fields, label: string, opts: { type?: string; hint?: string; cls?: string; inputmode?: string; maxlength?: number; placeholder?: string } = {}) {
    const id = `f-${key}`;
    const err = this.errors[key];
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        class=${opts.cls ?? ''}
        type=${opts.type ?? 'text'}
        inputmode=${opts.inputmode ?? nothing}
        maxlength=${opts.maxlength ?? nothing}
        placeholder=${opts.placeholder ?? nothing}
        .value=${this.f[key]}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${`err-${key}`}
        @input=${(e: InputEvent) => this.set(key, (e.target as HTMLInputElement).value)}
      />
      ${opts.hint && !err ? html`<div class="hint">${opts.hint}</div>` : nothing} ${fieldError(err, `err-${key}`)}
    </div>`;
  }

  private renderPerson() {
    if (this.mode === 'issue' && this.certificate)
      return html`<p><strong>${this.certificate.personName}</strong> <span class="muted mono">${this.certificate.idNumber}</span></p>`;
    return html`<div class="field">
      <label for="f-person">${t('hr.form.person')}</label>
      <input
        id="f-person"
        placeholder=${t('hr.form.personSearch')}
        autocomplete="off"
        aria-invalid=${this.errors.person ? 'true' : 'false'}
        @input=${(e: InputEvent) => this.searchPeople((e.target as HTMLInputElement).value)}
      />
      ${this.found
        ? this.found.length === 0
          ? html`<div class="hint">${t('hr.form.personNone')}</div>`
          : html`<div class="people" role="group" aria-label=${t('hr.form.personPick')}>
              ${this.found.map(
                (p) => html`<button type="button" aria-pressed=${this.person?.id === p.id ? 'true' : 'false'} @click=${() => this.pick(p)}>
                  ${p.name} <span class="muted">${p.idNumber.slice(-4)}</span>
                </button>`,
              )}
            </div>`
        : nothing}
      ${fieldError(this.errors.person, 'err-person')}
    </div>`;
  }

  override render() {
    const problems = certificateNumberProblems(this.f.certificateNumber, { issueDate: this.f.issueDate, level: Number(this.f.level) });
    const numberError = this.errors.certificateNumber;
    const numberOk = this.f.certificateNumber.trim().length === 22 && problems.length === 0 && !numberError && !!this.f.level;
    const title = this.mode === 'issue' && this.certificate ? t('hr.form.issueTitle', { name: this.certificate.personName }) : t('hr.form.newTitle');
    return html`<form class="card" @submit=${this.submit} novalidate data-testid="cert-form">
      <h2>${title}</h2>
      ${errorBanner(this.error)} ${this.renderPerson()}
      <div class="grid2">
        ${this.input('occupationCode', t('hr.form.occupationCode'), { inputmode: 'numeric', placeholder: '6-18-02-04' })}
        ${this.input('occupationName', t('hr.form.occupationName'))} ${this.input('trade', t('hr.form.trade'), { hint: t('hr.form.tradeHint') })}
        <div class="field">
          <label for="f-level">${t('hr.form.level')}</label>
          <select
            id="f-level"
            .value=${this.f.level}
            aria-invalid=${this.errors.level ? 'true' : 'false'}
            @change=${(e: Event) => this.set('level', (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${!this.f.level}>—</option>
            ${[1, 2, 3, 4, 5].map((l) => html`<option value=${l} ?selected=${this.f.level === String(l)}>${levelText(l)}</option>`)}
          </select>
          ${fieldError(this.errors.level, 'err-level')}
        </div>
        ${this.input('theoryScore', t('hr.form.theory'), { inputmode: 'decimal' })} ${this.input('practicalScore', t('hr.form.practical'), { inputmode: 'decimal' })}
      </div>
      <div class="field">
        <label for="f-certificateNumber">${t('hr.form.number')}</label>
        <input
          id="f-certificateNumber"
          class="number"
          maxlength="30"
          autocomplete="off"
          autocapitalize="characters"
          .value=${this.f.certificateNumber}
          aria-invalid=${problems.length || numberError ? 'true' : 'false'}
          aria-describedby="err-certificateNumber"
          @input=${(e: InputEvent) => this.set('certificateNumber', (e.target as HTMLInputElement).value)}
        />
        ${problems.length
          ? html`<div class="field-error" id="err-certificateNumber" role="alert" data-testid="number-problems">${problems.map((p) => html`<div>${p}</div>`)}</div>`
          : numberError
            ? fieldError(numberError, 'err-certificateNumber')
            : numberOk
              ? html`<div class="ok">✓ ${t('hr.form.numberOk')}</div>`
              : html`<div class="hint">${t('hr.form.numberHint')}</div>`}
      </div>
      <div class="grid2">
        ${this.input('issueDate', t('hr.form.date'), { type: 'date' })} ${this.input('evaluationBody', t('hr.form.body'))}
        <div class="field">
          <label for="f-basis">${t('hr.form.basis')}</label>
          <select id="f-basis" @change=${(e: Event) => this.set('basis', (e.target as HTMLSelectElement).value)}>
            ${BASES.map((b) => html`<option value=${b} ?selected=${this.f.basis === b}>${t(`hr.basis.${b}`)}</option>`)}
          </select>
        </div>
      </div>
      <div class="actions">
        <button type="button" @click=${() => this.dispatchEvent(new FormCancelledEvent())}>${t('ui.cancel')}</button>
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.mode === 'issue' ? t('hr.form.submitIssue') : t('hr.form.submitCreate')}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-hr-cert-form': CertForm;
  }
}
