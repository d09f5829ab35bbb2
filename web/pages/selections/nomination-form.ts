import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Person } from '../../../server/contracts/people.ts';
import { api, ApiError, type Page } from '../../api/client.ts';
import { currentLang, LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, query, staffStyles } from '../people/staff-ui.ts';
import { failureText, fieldText, SKILL_CONDITION_KEYS, type Candidate, type ForwardableTitle, type NominationForm, type Selection, type SkillCondition } from './selection-types.ts';

/** Fired (bubbling, composed) when a candidate was added or changed: the selection page reloads. */
export class SelectionChangedEvent extends Event {
  static readonly type = 'sc-selection-changed';
  constructor() {
    super(SelectionChangedEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired when the form of an existing candidate was saved (`candidate`, checked again) or left unsaved (null). */
export class CandidateEditDoneEvent extends Event {
  static readonly type = 'sc-candidate-edit-done';
  constructor(readonly candidate: Candidate | null) {
    super(CandidateEditDoneEvent.type, { bubbles: true, composed: true });
  }
}

type Tri = '' | 'yes' | 'no';
type Fields = {
  position: string;
  frontLine: Tri;
  yearsInTrade: string;
  stillInTrade: Tri;
  achievements: string;
  patents: string;
  innovations: string;
  apprentices: string;
  honours: string;
};

const BLANK: Fields = { position: '', frontLine: '', yearsInTrade: '', stillInTrade: '', achievements: '', patents: '', innovations: '', apprentices: '', honours: '' };
const ID_NUMBER = /^\d{17}[\dXx]$/;

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const tri = (v: Tri) => (v === '' ? null : v === 'yes');
const triOf = (v: boolean | null): Tri => (v === null ? '' : v ? 'yes' : 'no');

/** A stored form as the fields show it (the inverse of formBody). */
function fieldsOf(form: NominationForm): Fields {
  return {
    position: form.position,
    frontLine: triOf(form.frontLine),
    yearsInTrade: form.yearsInTrade === null ? '' : String(form.yearsInTrade),
    stillInTrade: triOf(form.stillInTrade),
    achievements: form.achievements.join('\n'),
    patents: form.patents.map((p) => (p.number ? `${p.title} | ${p.number}` : p.title)).join('\n'),
    innovations: form.innovations.join('\n'),
    apprentices: form.apprentices ? String(form.apprentices) : '',
    honours: form.honours.join('\n'),
  };
}

/**
 * `<sc-sel-nominate>`: a unit's nomination (推荐表) for a craftsman selection, or a self-nomination
 * recorded by staff. The person is found by name or ID number among the people the staff member
 * may read; the form's facts are checked by the server against the selection's rules at once and
 * an ineligible nomination comes back with every failed rule's reason.
 *
 * With `candidate` set, the same form completes or corrects that candidate's nomination form
 * (a competition recommendation arrives with only its result filled in): the person and source
 * stay, the rules are applied again on saving.
 *
 * @property selection - the selection (nominations open)
 * @property staffOrgId - the signed-in staff member's organisation (a nominating unit they may name)
 * @property candidate - a candidate whose form is edited (null: a new nomination)
 * @event sc-selection-changed - SelectionChangedEvent after a nomination was recorded or changed
 * @event sc-candidate-edit-done - CandidateEditDoneEvent when editing a candidate's form ends
 */
@customElement('sc-sel-nominate')
export class NominationFormElement extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
      }
      .search {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      .search input {
        flex: 1 1 220px;
        min-width: 0;
      }
      ul.found {
        list-style: none;
        padding: 0;
        margin: 8px 0 0;
      }
      ul.found li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        padding: 4px 0;
        border-bottom: 1px solid var(--sc-line);
      }
      ul.found li span {
        flex: 1 1 200px;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .chosen {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        padding: 8px 12px;
        border-radius: 8px;
        background: #eef1f5;
      }
      .chosen strong {
        font-size: 17px;
      }
      textarea {
        width: 100%;
        min-height: 88px;
        padding: 8px 12px;
        line-height: 1.5;
        resize: vertical;
      }
      .checks label,
      label.check {
        display: flex;
        align-items: center;
        gap: 10px;
        min-height: 44px;
        margin: 0;
        color: var(--sc-fg);
        line-height: 1.4;
      }
      .checks input[type='checkbox'],
      label.check input {
        width: 22px;
        height: 22px;
        min-height: 22px;
        flex: none;
      }
      fieldset {
        border: none;
        padding: 0;
        margin: 12px 0 0;
      }
      legend {
        font-size: 15px;
        color: var(--sc-muted);
        padding: 0;
        margin-bottom: 4px;
      }
      .grid2.areas {
        grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
      }
      ul.reasons {
        margin: 6px 0 0;
        padding-left: 20px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) selection!: Selection;
  @property({ type: Number }) staffOrgId = 0;
  @property({ attribute: false }) candidate: Candidate | null = null;

  @state() private q = '';
  @state() private found: Person[] | null = null;
  @state() private searching = false;
  @state() private person: Person | null = null;
  @state() private source: 'unit_nomination' | 'self_nomination' | 'forwarded' = 'unit_nomination';
  /** Titles named below the running union that the caller may forward; loaded when 'forwarded' is chosen. */
  @state() private forwardable: ForwardableTitle[] | null = null;
  @state() private titleId = 0;
  @state() private unit: 'employer' | 'mine' = 'employer';
  @state() private f: Fields = { ...BLANK };
  @state() private skills = new Set<SkillCondition>();
  @state() private declared = false;
  @state() private errors: Record<string, string> = {};
  @state() private error: unknown = null;
  @state() private saving = false;
  @state() private outcome: Candidate | null = null;

  override willUpdate(changed: Map<string, unknown>) {
    // The candidate's stored form fills the fields once, when editing starts.
    if (changed.has('candidate') && this.candidate) {
      const form = this.candidate.form;
      this.f = fieldsOf(form);
      this.skills = new Set(form.skillConditions);
      this.declared = form.declaredNoDisciplinaryRecord;
      this.errors = {};
      this.error = null;
      this.outcome = null;
    }
  }

  private async search(e: Event) {
    e.preventDefault();
    const q = this.q.trim();
    if (!q) return;
    this.searching = true;
    this.error = null;
    try {
      if (ID_NUMBER.test(q)) {
        try {
          this.found = [await api<Person>('GET', `/api/people/by-id-number/${encodeURIComponent(q.toUpperCase())}`)];
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) this.found = [];
          else throw err;
        }
      } else {
        this.found = (await api<Page<Person>>('GET', `/api/people${query({ q, pageSize: 10 })}`)).items;
      }
    } catch (err) {
      this.error = err;
    } finally {
      this.searching = false;
    }
  }

  private choose(p: Person) {
    this.person = p;
    this.found = null;
    this.unit = p.employerId ? 'employer' : 'mine';
    this.errors = { ...this.errors, person: '' };
  }

  private set(key: keyof Fields, value: string) {
    this.f = { ...this.f, [key]: value };
    if (this.errors[key]) this.errors = { ...this.errors, [key]: '' };
  }

  private toggleSkill(c: SkillCondition, on: boolean) {
    const next = new Set(this.skills);
    if (on) next.add(c);
    else next.delete(c);
    this.skills = next;
  }

  private async chooseSource(source: typeof this.source) {
    this.source = source;
    this.errors = { ...this.errors, person: '' };
    if (source === 'forwarded') await this.loadForwardable();
  }

  private async loadForwardable() {
    try {
      this.forwardable = await api<ForwardableTitle[]>('GET', `/api/selections/${this.selection.id}/forwardable-titles`);
      if (!this.forwardable.some((x) => x.personTitleId === this.titleId)) this.titleId = 0;
    } catch (err) {
      this.error = err;
    }
  }

  private check(): Record<string, string> {
    const e: Record<string, string> = {};
    if (!this.candidate && (this.source === 'forwarded' ? !this.titleId : !this.person)) e.person = this.source === 'forwarded' ? t('sel.nom.pickTitle') : t('sel.nom.pickFirst');
    const whole = (s: string, max: number) => !s.trim() || (/^\d+$/.test(s.trim()) && Number(s) <= max);
    if (!whole(this.f.yearsInTrade, 60)) e.yearsInTrade = t('sel.nom.badNumber');
    if (!whole(this.f.apprentices, 10_000)) e.apprentices = t('sel.nom.badNumber');
    return e;
  }

  private formBody(): NominationForm {
    const f = this.f;
    return {
      position: f.position.trim(),
      frontLine: tri(f.frontLine),
      yearsInTrade: f.yearsInTrade.trim() ? Number(f.yearsInTrade) : null,
      stillInTrade: tri(f.stillInTrade),
      skillConditions: SKILL_CONDITION_KEYS.filter((c) => this.skills.has(c)),
      achievements: lines(f.achievements),
      patents: lines(f.patents).map((l) => {
        const [title, number] = l.split(/\s*[|｜]\s*/);
        return number ? { title: title!, number } : { title: title! };
      }),
      innovations: lines(f.innovations),
      apprentices: f.apprentices.trim() ? Number(f.apprentices) : 0,
      honours: lines(f.honours),
      // The form has no attachment fields: an edited candidate keeps the ones it came with.
      attachments: this.candidate?.form.attachments ?? [],
      declaredNoDisciplinaryRecord: this.declared,
    };
  }

  private async submit(e: Event) {
    e.preventDefault();
    this.error = null;
    this.outcome = null;
    const errors = this.check();
    this.errors = errors;
    if (Object.keys(errors).length) return;
    const p = this.person;
    const form = this.formBody();
    if (this.candidate) return this.saveEdit(form);
    const body =
      this.source === 'forwarded'
        ? { source: 'forwarded', personTitleId: this.titleId, form }
        : this.source === 'self_nomination'
          ? { source: 'self_nomination', personId: p!.id, form }
          : { source: 'unit_nomination', personId: p!.id, nominatingOrgId: this.unit === 'employer' && p!.employerId ? p!.employerId : this.staffOrgId, form };
    this.saving = true;
    try {
      const candidate = await api<Candidate>('POST', `/api/selections/${this.selection.id}/candidates`, body);
      this.outcome = candidate;
      // Recorded: the form starts afresh for the next nominee.
      this.person = null;
      this.titleId = 0;
      if (this.source === 'forwarded') void this.loadForwardable();
      this.q = '';
      this.f = { ...BLANK };
      this.skills = new Set();
      this.declared = false;
      this.dispatchEvent(new SelectionChangedEvent());
    } catch (err) {
      this.showRefusal(err);
    } finally {
      this.saving = false;
    }
  }

  private async saveEdit(form: NominationForm) {
    this.saving = true;
    try {
      const saved = await api<Candidate>('PATCH', `/api/selection-candidates/${this.candidate!.id}`, { form });
      this.dispatchEvent(new SelectionChangedEvent());
      this.dispatchEvent(new CandidateEditDoneEvent(saved));
    } catch (err) {
      this.showRefusal(err);
    } finally {
      this.saving = false;
    }
  }

  /** Nothing typed is lost: the fields the server named are marked, the rest said in the banner. */
  private showRefusal(err: unknown) {
    const named = fieldErrorsOf(err);
    const mapped: Record<string, string> = {};
    for (const [field, message] of Object.entries(named)) {
      const key = field.startsWith('form.') ? field.split('.')[1]! : field === 'personId' || field === 'nominatingOrgId' || field === 'personTitleId' ? 'person' : '';
      if (key) mapped[key] ??= fieldText(message) ?? '';
    }
    this.errors = mapped;
    this.error = Object.keys(mapped).length && err instanceof ApiError && err.code === 'validation_failed' ? null : err;
  }

  private renderOutcome() {
    const c = this.outcome;
    if (!c) return nothing;
    if (c.eligibility.eligible) return html`<div class="banner ok-banner" role="status" data-testid="nominate-ok">${t('sel.nom.ok', { name: c.personName })}</div>`;
    const lang = currentLang();
    return html`<div class="banner warn-banner" role="status" data-testid="nominate-ineligible">
      <strong>${t('sel.nom.ineligible', { name: c.personName })}</strong>
      <ul class="reasons">
        ${c.eligibility.failures.map((f) => html`<li>${failureText(f, lang)}</li>`)}
      </ul>
      <div class="detail">${t('sel.nom.ineligibleHint')}</div>
    </div>`;
  }

  /** A forwarded nomination names a title the lower union conferred: the person comes with it. */
  private renderForwardable() {
    const list = this.forwardable;
    if (!list) return html`<p class="muted">${t('app.loading')}</p>`;
    if (!list.length) return html`<p class="hint" data-testid="no-forwardable">${t('sel.nom.noForwardable')}</p>`;
    return html`<select
      id="nom-title"
      aria-label=${t('sel.nom.forwardedTitle')}
      aria-invalid=${this.errors.person ? 'true' : 'false'}
      data-testid="nom-forwarded-title"
      @change=${(e: Event) => {
        this.titleId = Number((e.target as HTMLSelectElement).value);
        this.errors = { ...this.errors, person: '' };
      }}
    >
      <option value="0" ?selected=${!this.titleId}>${t('sel.nom.forwardedTitle.choose')}</option>
      ${list.map(
        (x) => html`<option value=${x.personTitleId} ?selected=${this.titleId === x.personTitleId}>
          ${x.personName} · ${x.titleName}（${x.conferredBy}${x.certificateNumber ? ` · ${x.certificateNumber}` : ''}）
        </option>`,
      )}
    </select>`;
  }

  private renderPerson() {
    const p = this.person;
    if (p)
      return html`<div class="chosen" data-testid="nominee">
        <strong>${p.name}</strong>
        <span class="muted">${p.idNumber}</span>
        <span class="muted">${p.employerName ?? ''}${p.occupationName ? ` · ${p.occupationName}` : ''}</span>
        <span class="spacer"></span>
        <button type="button" @click=${() => (this.person = null)}>${t('sel.nom.change')}</button>
      </div>`;
    return html`<div class="search">
        <input
          id="nom-q"
          .value=${this.q}
          placeholder=${t('sel.nom.search')}
          aria-label=${t('sel.nom.search')}
          aria-invalid=${this.errors.person ? 'true' : 'false'}
          data-testid="nominee-search"
          @input=${(e: InputEvent) => (this.q = (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void this.search(e)}
        />
        <button type="button" ?disabled=${this.searching} @click=${this.search} data-testid="nominee-find">${this.searching ? t('sel.nom.searching') : t('sel.nom.searchBtn')}</button>
      </div>
      ${this.found
        ? this.found.length
          ? html`<ul class="found" data-testid="nominee-results">
              ${this.found.map(
                (p) => html`<li>
                  <span><strong>${p.name}</strong> <span class="muted">${p.idNumber} ${p.employerName ?? ''}</span></span>
                  <button type="button" @click=${() => this.choose(p)} data-testid="nominee-choose">${t('sel.nom.choose')}</button>
                </li>`,
              )}
            </ul>`
          : html`<p class="hint">${t('sel.nom.noMatch')}</p>`
        : nothing}`;
  }

  private text(key: keyof Fields, label: string, opts: { area?: boolean; inputmode?: string } = {}) {
    const err = this.errors[key];
    const common = {
      invalid: err ? 'true' : 'false',
      described: err ? `err-nom-${key}` : undefined,
    };
    return html`<div class="field">
      <label for="nom-${key}">${label}</label>
      ${opts.area
        ? html`<textarea
            id="nom-${key}"
            .value=${this.f[key]}
            aria-invalid=${common.invalid}
            aria-describedby=${common.described ?? nothing}
            data-testid="nom-${key}"
            @input=${(e: InputEvent) => this.set(key, (e.target as HTMLTextAreaElement).value)}
          ></textarea>`
        : html`<input
            id="nom-${key}"
            inputmode=${opts.inputmode ?? nothing}
            .value=${this.f[key]}
            aria-invalid=${common.invalid}
            aria-describedby=${common.described ?? nothing}
            data-testid="nom-${key}"
            @input=${(e: InputEvent) => this.set(key, (e.target as HTMLInputElement).value)}
          />`}
      ${fieldError(err, `err-nom-${key}`)}
    </div>`;
  }

  private yesNo(key: 'frontLine' | 'stillInTrade', label: string) {
    const err = this.errors[key];
    return html`<div class="field">
      <label for="nom-${key}">${label}</label>
      <select id="nom-${key}" data-testid="nom-${key}" aria-invalid=${err ? 'true' : 'false'} @change=${(e: Event) => this.set(key, (e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${this.f[key] === ''}>${t('sel.nom.unstated')}</option>
        <option value="yes" ?selected=${this.f[key] === 'yes'}>${t('sel.nom.yes')}</option>
        <option value="no" ?selected=${this.f[key] === 'no'}>${t('sel.nom.no')}</option>
      </select>
      ${fieldError(err, `err-nom-${key}`)}
    </div>`;
  }

  /** Editing a candidate: who it is and where the nomination came from, fixed; what the rules still miss. */
  private renderEditedCandidate(c: Candidate) {
    return html`<div class="chosen" data-testid="edited-candidate">
        <strong>${c.personName}</strong>
        <span class="muted">${c.employerName ?? ''}</span>
        <span class="muted">${t(`sel.source.${c.source}`)}</span>
      </div>
      ${c.eligibility.eligible
        ? nothing
        : html`<div class="banner warn-banner" role="status">
            <strong>${t('sel.edit.failing')}</strong>
            <ul class="reasons">
              ${c.eligibility.failures.map((f) => html`<li>${failureText(f, currentLang())}</li>`)}
            </ul>
          </div>`}`;
  }

  /** A new nomination: where it comes from, and who. */
  private renderWho() {
    return html`<div class="field">
        <label for="nom-source">${t('sel.nom.source')}</label>
        <select id="nom-source" data-testid="nom-source" @change=${(e: Event) => void this.chooseSource((e.target as HTMLSelectElement).value as typeof this.source)}>
          <option value="unit_nomination" ?selected=${this.source === 'unit_nomination'}>${t('sel.source.unit_nomination')}</option>
          <option value="self_nomination" ?selected=${this.source === 'self_nomination'}>${t('sel.source.self_nomination')}</option>
          <option value="forwarded" ?selected=${this.source === 'forwarded'}>${t('sel.source.forwarded')}</option>
        </select>
      </div>
      <fieldset>
        <legend>${this.source === 'forwarded' ? t('sel.nom.forwardedTitle') : t('sel.nom.person')}</legend>
        ${this.source === 'forwarded' ? this.renderForwardable() : this.renderPerson()} ${fieldError(this.errors.person, 'err-nom-person')}
      </fieldset>`;
  }

  override render() {
    const p = this.person;
    const c = this.candidate;
    return html`<form class="card" @submit=${this.submit} novalidate data-testid=${c ? 'edit-form' : 'nominate-form'}>
      <h2>${c ? t('sel.edit.heading', { name: c.personName }) : t('sel.nom.heading')}</h2>
      ${errorBanner(this.error)} ${c ? this.renderEditedCandidate(c) : html`${this.renderOutcome()} ${this.renderWho()}`}
      <div class="grid2">
        ${this.source === 'unit_nomination' && !c
          ? html`<div class="field">
              <label for="nom-unit">${t('sel.nom.unit')}</label>
              <select id="nom-unit" data-testid="nom-unit" @change=${(e: Event) => (this.unit = (e.target as HTMLSelectElement).value as typeof this.unit)}>
                ${p?.employerId ? html`<option value="employer" ?selected=${this.unit === 'employer'}>${t('sel.nom.unit.employer', { name: p.employerName ?? '' })}</option>` : nothing}
                <option value="mine" ?selected=${this.unit === 'mine' || !p?.employerId}>${t('sel.nom.unit.mine')}</option>
              </select>
            </div>`
          : nothing}
        ${this.text('position', t('sel.nom.position'))} ${this.yesNo('frontLine', t('sel.nom.frontLine'))}
        ${this.text('yearsInTrade', t('sel.nom.yearsInTrade'), { inputmode: 'numeric' })} ${this.yesNo('stillInTrade', t('sel.nom.stillInTrade'))}
        ${this.text('apprentices', t('sel.nom.apprentices'), { inputmode: 'numeric' })}
      </div>
      <fieldset class="checks">
        <legend>${t('sel.nom.skillConditions')}</legend>
        ${SKILL_CONDITION_KEYS.map(
          (c) => html`<label>
            <input type="checkbox" .checked=${this.skills.has(c)} data-testid="nom-skill-${c}" @change=${(e: Event) => this.toggleSkill(c, (e.target as HTMLInputElement).checked)} />
            ${t(`sel.skill.${c}`)}
          </label>`,
        )}
        ${fieldError(this.errors.skillConditions, 'err-nom-skillConditions')}
      </fieldset>
      <div class="grid2 areas">
        ${this.text('achievements', t('sel.nom.achievements'), { area: true })} ${this.text('innovations', t('sel.nom.innovations'), { area: true })}
        ${this.text('patents', t('sel.nom.patents'), { area: true })} ${this.text('honours', t('sel.nom.honours'), { area: true })}
      </div>
      <label class="check" style="margin-top:12px">
        <input type="checkbox" .checked=${this.declared} data-testid="nom-declaration" @change=${(e: Event) => (this.declared = (e.target as HTMLInputElement).checked)} />
        ${t('sel.nom.declaration')}
      </label>
      ${fieldError(this.errors.declaredNoDisciplinaryRecord, 'err-nom-declared')}
      <div class="row" style="margin-top:12px">
        <button type="submit" class="primary" ?disabled=${this.saving} data-testid="nominate-submit">
          ${this.saving ? t('sel.nom.saving') : c ? t('sel.edit.save') : t('sel.nom.submit')}
        </button>
        ${c ? html`<button type="button" data-testid="edit-cancel" @click=${() => this.dispatchEvent(new CandidateEditDoneEvent(null))}>${t('sel.edit.cancel')}</button>` : nothing}
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-sel-nominate': NominationFormElement;
  }
}
