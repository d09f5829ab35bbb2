import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, queryAll, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { navigate } from '../../app/navigation.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { datesInOrder, type AppealRuleValue, type CoOrganiser, type CompetitionOfficer } from '../../../server/contracts/competitions.ts';
import '../../components/check-list.ts';
import type { CheckListChangedEvent } from '../../components/check-list.ts';
import '../../i18n/release-rules.ts';
import { errorBanner, fieldError, fieldErrorsOf, gradeLabel, OrgDataChangedEvent, orgStyles, type Competition } from './org-shared.ts';
import { TagsChangedEvent, type TagInput } from './org-widgets.ts';
import { beijingYear } from '../../app/beijing-time.ts';

type Draft = {
  name: string;
  grade: 'A' | 'B' | 'C';
  competitionClass: '' | 'class1' | 'class2';
  year: string;
  organisers: string[];
  hosts: string[];
  venue: string;
  startDate: string;
  endDate: string;
  coOrganiserIds: number[];
  encryptionOfficerIds: number[];
  publicityDays: string;
  appealRule: AppealRuleValue;
  appealWindowHours: string;
};

const APPEAL_RULES: AppealRuleValue[] = ['publicity_period', 'hours_after_marking', 'hours_after_release'];

/**
 * Creates a competition (in draft) or edits one: name, grade, class, year, 主办 / 承办, venue,
 * dates; the co-organising bodies (联合主办, e.g. the county HR bureau) and encryption officers
 * (加密裁判); the publicity period and the appeal rule.
 */
@customElement('sc-org-competition-form')
export class OrgCompetitionForm extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      form {
        max-width: 880px;
      }
      fieldset {
        margin: 0 0 16px;
      }
      .hint {
        font-size: 14px;
        margin: 0 0 6px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  /** The competition to edit; a new one when absent. */
  @property({ attribute: false }) competition: Competition | null = null;
  @state() private draft: Draft = {
    name: '',
    grade: 'B',
    competitionClass: '',
    year: String(beijingYear()),
    organisers: [],
    hosts: [],
    venue: '',
    startDate: '',
    endDate: '',
    coOrganiserIds: [],
    encryptionOfficerIds: [],
    publicityDays: '5',
    appealRule: 'publicity_period',
    appealWindowHours: '2',
  };
  @state() private coOrganiserOptions: CoOrganiser[] = [];
  @state() private officerOptions: CompetitionOfficer[] = [];
  @state() private serverErrors: Record<string, string> = {};
  @state() private error: unknown = null;
  @state() private busy = false;
  @state() private tried = false;
  @queryAll('sc-tag-input') private tagInputs!: NodeListOf<TagInput>;

  override connectedCallback(): void {
    super.connectedCallback();
    const c = this.competition;
    if (c)
      this.draft = {
        name: c.name,
        grade: c.grade,
        competitionClass: c.competitionClass ?? '',
        year: String(c.year),
        organisers: [...c.organisers],
        hosts: [...c.hosts],
        venue: c.venue ?? '',
        startDate: c.startDate ?? '',
        endDate: c.endDate ?? '',
        coOrganiserIds: c.coOrganisers.map((o) => o.id),
        encryptionOfficerIds: c.encryptionOfficers.map((o) => o.accountId),
        publicityDays: String(c.publicityDays),
        appealRule: c.appealRule,
        appealWindowHours: String(c.appealWindowHours),
      };
    void this.loadOptions();
  }

  /** Who may co-organise (bodies of the owner's region) and, once saved, who may keep the draw. */
  private async loadOptions() {
    const c = this.competition;
    try {
      const [bodies, officers] = await Promise.all([
        api<CoOrganiser[]>('GET', `/api/competitions/co-organiser-candidates${c ? `?orgId=${c.orgId}` : ''}`),
        c ? api<CompetitionOfficer[]>('GET', `/api/competitions/${c.id}/officer-candidates`) : Promise.resolve([]),
      ]);
      // Keep the current ones listed even if they no longer qualify, so they can be unticked.
      const current = c?.coOrganisers ?? [];
      this.coOrganiserOptions = [...bodies, ...current.filter((o) => !bodies.some((b) => b.id === o.id))];
      const currentOfficers = c?.encryptionOfficers ?? [];
      this.officerOptions = [...officers, ...currentOfficers.filter((o) => !officers.some((b) => b.accountId === o.accountId))];
    } catch (err) {
      this.error = err;
    }
  }

  private set<K extends keyof Draft>(key: K, value: Draft[K]) {
    this.draft = { ...this.draft, [key]: value };
    const { [key]: _, ...rest } = this.serverErrors;
    this.serverErrors = rest;
  }

  /** What the form can tell before asking the server. */
  private get liveErrors(): Record<string, string> {
    const d = this.draft;
    const out: Record<string, string> = {};
    if (!d.name.trim()) out.name = t('org.field.required');
    const year = Number(d.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) out.year = t('org.comp.yearRange');
    if (d.organisers.length === 0) out.organisers = t('org.comp.needOrganiser');
    if (!datesInOrder(d.startDate || null, d.endDate || null)) out.endDate = t('org.comp.endBeforeStart');
    const days = Number(d.publicityDays);
    if (d.publicityDays.trim() === '' || !Number.isInteger(days) || days < 0 || days > 30) out.publicityDays = t('org.comp.publicityDaysRange');
    const hours = Number(d.appealWindowHours);
    if (d.appealRule !== 'publicity_period' && (d.appealWindowHours.trim() === '' || !(hours >= 0 && hours <= 720))) out.appealWindowHours = t('org.comp.appealWindowHoursRange');
    return out;
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    // Text typed into a tag box but not added yet counts.
    const [organisersBox, hostsBox] = [...this.tagInputs];
    if (organisersBox) this.draft = { ...this.draft, organisers: organisersBox.commitPending() };
    if (hostsBox) this.draft = { ...this.draft, hosts: hostsBox.commitPending() };
    this.tried = true;
    if (Object.keys(this.liveErrors).length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const d = this.draft;
    const body = {
      name: d.name.trim(),
      grade: d.grade,
      competitionClass: d.competitionClass || null,
      year: Number(d.year),
      organisers: d.organisers,
      hosts: d.hosts,
      venue: d.venue.trim() || null,
      startDate: d.startDate || null,
      endDate: d.endDate || null,
      coOrganiserIds: d.coOrganiserIds,
      // Officers are named once the competition exists (the candidates are its bodies' staff).
      ...(this.competition ? { encryptionOfficerIds: d.encryptionOfficerIds } : {}),
      publicityDays: Number(d.publicityDays),
      appealRule: d.appealRule,
      ...(d.appealRule !== 'publicity_period' ? { appealWindowHours: Number(d.appealWindowHours) } : {}),
    };
    this.busy = true;
    this.error = null;
    try {
      const saved = this.competition
        ? await api<Competition>('PATCH', `/api/competitions/${this.competition.id}`, body)
        : await api<Competition>('POST', '/api/competitions', body);
      if (this.competition) this.dispatchEvent(new OrgDataChangedEvent());
      navigate(`/org/competitions/${saved.id}`);
    } catch (err) {
      this.error = err;
      this.serverErrors = fieldErrorsOf(err);
    } finally {
      this.busy = false;
    }
  }

  private errs(): Record<string, string> {
    return { ...(this.tried ? this.liveErrors : {}), ...this.serverErrors };
  }

  override render() {
    const d = this.draft;
    const errs = this.errs();
    const inv = (k: string) => (errs[k] || Object.keys(errs).some((e) => e.startsWith(`${k}.`)) ? 'true' : 'false');
    return html`
      <h1>${this.competition ? t('org.comp.edit') : t('org.comp.new')}</h1>
      ${errorBanner(this.error)}
      <form class="card" @submit=${this.save} novalidate>
        <div class="field">
          <label for="name">${t('org.comp.name')} *</label>
          <input id="name" .value=${d.name} aria-invalid=${inv('name')} aria-describedby="err-name" @input=${(e: Event) => this.set('name', (e.target as HTMLInputElement).value)} />
          ${fieldError(errs, 'name')}
        </div>
        <fieldset>
          <legend>${t('org.comp.grade')} *</legend>
          <div class="radio-row">
            ${(['A', 'B', 'C'] as const).map(
              (g) => html`<label><input type="radio" name="grade" value=${g} .checked=${d.grade === g} @change=${() => this.set('grade', g)} />${gradeLabel(g)}</label>`,
            )}
          </div>
          <p class="muted" style="margin:6px 0 0;font-size:14px">${t(`org.comp.gradeHint.${d.grade}`)}</p>
        </fieldset>
        <div class="grid2">
          <div class="field">
            <label for="class">${t('org.comp.class')}</label>
            <select id="class" @change=${(e: Event) => this.set('competitionClass', (e.target as HTMLSelectElement).value as Draft['competitionClass'])}>
              <option value="" ?selected=${d.competitionClass === ''}>${t('org.comp.class.none')}</option>
              <option value="class1" ?selected=${d.competitionClass === 'class1'}>${t('org.comp.class.class1')}</option>
              <option value="class2" ?selected=${d.competitionClass === 'class2'}>${t('org.comp.class.class2')}</option>
            </select>
          </div>
          <div class="field">
            <label for="year">${t('org.comp.year')} *</label>
            <input id="year" type="number" inputmode="numeric" min="2000" max="2100" .value=${d.year} aria-invalid=${inv('year')} @input=${(e: Event) => this.set('year', (e.target as HTMLInputElement).value)} />
            ${fieldError(errs, 'year')}
          </div>
        </div>
        <div class="field">
          <label id="organisers-label">${t('org.comp.organisers')} *</label>
          <sc-tag-input
            .tags=${d.organisers}
            label=${t('org.comp.organisers')}
            placeholder=${t('org.comp.organisersHint')}
            ?invalid=${inv('organisers') === 'true'}
            data-testid="organisers"
            @sc-tags-changed=${(e: TagsChangedEvent) => this.set('organisers', e.tags)}
          ></sc-tag-input>
          ${fieldError(errs, 'organisers')}${Object.keys(errs)
            .filter((k) => k.startsWith('organisers.'))
            .map((k) => fieldError(errs, k))}
        </div>
        <div class="field">
          <label>${t('org.comp.hosts')}</label>
          <sc-tag-input
            .tags=${d.hosts}
            label=${t('org.comp.hosts')}
            placeholder=${t('org.comp.hostsHint')}
            data-testid="hosts"
            @sc-tags-changed=${(e: TagsChangedEvent) => this.set('hosts', e.tags)}
          ></sc-tag-input>
          ${fieldError(errs, 'hosts')}
        </div>
        <div class="field">
          <label for="venue">${t('org.comp.venue')}</label>
          <input id="venue" .value=${d.venue} @input=${(e: Event) => this.set('venue', (e.target as HTMLInputElement).value)} />
          ${fieldError(errs, 'venue')}
        </div>
        <div class="grid2">
          <div class="field">
            <label for="start">${t('org.comp.startDate')}</label>
            <input id="start" type="date" .value=${d.startDate} @input=${(e: Event) => this.set('startDate', (e.target as HTMLInputElement).value)} />
            ${fieldError(errs, 'startDate')}
          </div>
          <div class="field">
            <label for="end">${t('org.comp.endDate')}</label>
            <input id="end" type="date" .value=${d.endDate} aria-invalid=${inv('endDate')} @input=${(e: Event) => this.set('endDate', (e.target as HTMLInputElement).value)} />
            ${fieldError(errs, 'endDate')}
          </div>
        </div>
        <fieldset data-testid="bodies">
          <legend>${t('org.comp.bodies')}</legend>
          <div class="field">
            <label id="co-label">${t('org.comp.coOrganisers')}</label>
            <p class="muted hint">${t('org.comp.coOrganisersHint')}</p>
            <sc-check-list
              data-testid="co-organisers"
              label=${t('org.comp.coOrganisers')}
              empty=${t('org.comp.coOrganisersNone')}
              .options=${this.coOrganiserOptions.map((o) => ({ id: o.id, label: o.name, hint: t(`org.kind.${o.kind}`) }))}
              .selected=${d.coOrganiserIds}
              @sc-check-changed=${(e: CheckListChangedEvent) => this.set('coOrganiserIds', e.selected)}
            ></sc-check-list>
            ${fieldError(errs, 'coOrganiserIds')}${Object.keys(errs)
              .filter((k) => k.startsWith('coOrganiserIds.'))
              .map((k) => fieldError(errs, k))}
          </div>
          <div class="field">
            <label>${t('org.comp.encryptionOfficers')}</label>
            <p class="muted hint">${t('org.comp.encryptionOfficersHint')}</p>
            ${this.competition
              ? html`<sc-check-list
                  data-testid="encryption-officers"
                  label=${t('org.comp.encryptionOfficers')}
                  empty=${t('org.comp.encryptionOfficersNone')}
                  .options=${this.officerOptions.map((o) => ({ id: o.accountId, label: o.displayName, hint: o.orgName }))}
                  .selected=${d.encryptionOfficerIds}
                  @sc-check-changed=${(e: CheckListChangedEvent) => this.set('encryptionOfficerIds', e.selected)}
                ></sc-check-list>`
              : html`<p class="muted">${t('org.comp.encryptionOfficersLater')}</p>`}
            ${Object.keys(errs)
              .filter((k) => k.startsWith('encryptionOfficerIds'))
              .map((k) => fieldError(errs, k))}
          </div>
        </fieldset>
        <fieldset data-testid="publicity">
          <legend>${t('org.comp.publicity')}</legend>
          <div class="grid2">
            <div class="field">
              <label for="pdays">${t('org.comp.publicityDays')}</label>
              <input id="pdays" type="number" inputmode="numeric" min="0" max="30" .value=${d.publicityDays} aria-invalid=${inv('publicityDays')} @input=${(e: Event) => this.set('publicityDays', (e.target as HTMLInputElement).value)} />
              ${fieldError(errs, 'publicityDays')}
            </div>
            <div class="field">
              <label for="arule">${t('org.comp.appealRule')}</label>
              <select id="arule" @change=${(e: Event) => this.set('appealRule', (e.target as HTMLSelectElement).value as AppealRuleValue)}>
                ${APPEAL_RULES.map((r) => html`<option value=${r} ?selected=${d.appealRule === r}>${t(`org.comp.appealRule.${r}`)}</option>`)}
              </select>
            </div>
            ${d.appealRule !== 'publicity_period'
              ? html`<div class="field">
                  <label for="ahours">${t('org.comp.appealWindowHours')}</label>
                  <input id="ahours" type="number" inputmode="decimal" min="0" max="720" step="0.5" .value=${d.appealWindowHours} aria-invalid=${inv('appealWindowHours')} @input=${(e: Event) => this.set('appealWindowHours', (e.target as HTMLInputElement).value)} />
                  ${fieldError(errs, 'appealWindowHours')}
                </div>`
              : nothing}
          </div>
          <p class="muted hint">${t('org.comp.publicityDaysHint')}</p>
        </fieldset>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>${t('org.save')}</button>
          <a class="btn" href=${this.competition ? `/org/competitions/${this.competition.id}` : '/org/competitions'}>${t('org.cancel')}</a>
        </div>
        ${this.competition ? nothing : html`<p class="muted" style="font-size:14px">${t('org.comp.startsDraft')}</p>`}
      </form>
    `;
  }
}
