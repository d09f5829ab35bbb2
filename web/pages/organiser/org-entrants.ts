import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { PageChosenEvent } from '../../components/pager.ts';
import '../../components/pager.ts';
import './org-team-entry.ts';
import type { TeamSavedEvent } from './org-team-entry.ts';
import type { Entry } from '../../../server/contracts/entries.ts';
import '../../i18n/teams.ts';
import type { Organisation } from '../../../server/contracts/organisations.ts';
import type { Person } from '../../../server/contracts/people.ts';
import {
  DELEGATION_KINDS,
  employerFromText,
  entryStatusLabel,
  errorBanner,
  fieldError,
  fieldErrorsOf,
  levelLabel,
  OrgDataChangedEvent,
  organisationsOfCompetition,
  orgStyles,
  type Competition,
  type Page,
  type ScEvent,
} from './org-shared.ts';

const PAGE_SIZE = 50;
const STATUSES = ['registered', 'checked_in', 'absent', 'disqualified', 'withdrawn', 'reserve'] as const;
/** Statuses from which an entrant can still withdraw (退赛). */
const CAN_WITHDRAW: readonly Entry['status'][] = ['registered', 'checked_in', 'reserve'];

type Lookup = { state: 'idle' } | { state: 'found'; person: Person } | { state: 'new'; knownElsewhere: boolean };
/** `employer` is typed: an organisation's name (picked from the list) or any other employer as written. */
type NewPerson = { name: string; phone: string; employer: string; occupationCode: string; occupationName: string; skillLevel: string };
/** The edit form of one entrant: person fields (employer typed as in `NewPerson`) and the entry's delegation. */
type EditDraft = { name: string; phone: string; employer: string; delegationId: string };

/**
 * An event's entrants: searchable list by name and status, adding one entrant (an existing person
 * found by ID number, or a new one typed in), editing one (name, phone and employer on the person,
 * delegation on the entry) and withdrawing one during the event (退赛, with a staff-only note).
 */
@customElement('sc-org-entrants')
export class OrgEntrants extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      td.no {
        width: 4.5em;
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      td.id {
        font-size: 14px;
        font-variant-numeric: tabular-nums;
        word-break: break-all;
      }
      .sub {
        font-size: 13px;
        color: var(--sc-muted);
      }
      @media (max-width: 900px) {
        .col-employer {
          display: none;
        }
      }
      @media (min-width: 901px) {
        .sub.employer {
          display: none;
        }
      }
      .pager {
        display: flex;
        gap: 8px;
        align-items: center;
        justify-content: flex-end;
        margin-top: 12px;
      }
      .add {
        margin-bottom: 16px;
      }
      .lookup {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: flex-start;
      }
      .lookup .field {
        flex: 1 1 260px;
      }
      .note {
        font-size: 13px;
        color: var(--sc-muted);
        margin-top: 2px;
        max-width: 18em;
      }
      td.act {
        width: 1%;
        white-space: nowrap;
      }
      .withdraw {
        border-top: 1px solid var(--sc-line);
        margin-top: 16px;
        padding-top: 12px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) competition!: Competition;
  @property({ attribute: false }) event!: ScEvent;
  @property({ type: Boolean }) canManage = false;

  @state() private q = '';
  @state() private status = '';
  @state() private page = 1;
  @state() private data: Page<Entry> | null = null;
  @state() private error: unknown = null;

  @state() private adding = false;
  @state() private idNumber = '';
  @state() private lookup: Lookup = { state: 'idle' };
  @state() private person: NewPerson = { name: '', phone: '', employer: '', occupationCode: '', occupationName: '', skillLevel: '' };
  @state() private delegationId = '';
  @state() private addErrors: Record<string, string> = {};
  @state() private addError: unknown = null;
  @state() private added = '';
  @state() private busy = false;
  @state() private orgs: Organisation[] = [];
  /** The entrant being edited, with the form's draft. */
  @state() private editing: Entry | null = null;
  @state() private editDraft: EditDraft = { name: '', phone: '', employer: '', delegationId: '' };
  @state() private editErrors: Record<string, string> = {};
  @state() private editError: unknown = null;
  @state() private withdrawNote = '';
  @state() private saved = '';
  /** A team event: the team form is open (new), or the team whose roster is being changed. */
  @state() private teamForm: 'new' | Entry | null = null;
  private timer = 0;

  /** In a team event each entrant is a team or pair (班组, 组合) entered with its members. */
  private get teamEvent(): boolean {
    return this.event.mode === 'team';
  }

  private onTeamSaved(e: TeamSavedEvent) {
    this.saved = t(this.teamForm === 'new' ? 'team.added' : 'team.saved', { name: e.entry.name });
    this.teamForm = null;
    void this.load();
    this.dispatchEvent(new OrgDataChangedEvent());
  }

  private renderTeamForm() {
    const form = this.teamForm;
    if (form === null) return nothing;
    return html`<sc-org-team-entry
      class="add"
      .event=${this.event}
      .orgs=${this.orgs}
      .entry=${form === 'new' ? null : form}
      @sc-team-saved=${this.onTeamSaved}
      @sc-cancel=${() => (this.teamForm = null)}
    ></sc-org-team-entry>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    organisationsOfCompetition(this.competition)
      .then((o) => (this.orgs = o))
      .catch(() => undefined);
  }

  private async load() {
    const params = new URLSearchParams({ page: String(this.page), pageSize: String(PAGE_SIZE) });
    if (this.q) params.set('q', this.q);
    if (this.status) params.set('status', this.status);
    try {
      this.error = null;
      this.data = await api<Page<Entry>>('GET', `/api/events/${this.event.id}/entries?${params}`);
    } catch (err) {
      this.error = err;
    }
  }

  private async find() {
    const id = this.idNumber.trim().toUpperCase();
    this.addError = null;
    this.added = '';
    if (!/^\d{17}[\dX]$/.test(id)) {
      this.addErrors = { idNumber: t('org.import.code.id_format') };
      return;
    }
    this.addErrors = {};
    this.busy = true;
    try {
      const person = await api<Person>('GET', `/api/people/by-id-number/${encodeURIComponent(id)}`);
      this.lookup = { state: 'found', person };
      if (person.employerId && this.orgs.some((o) => o.id === person.employerId && DELEGATION_KINDS.includes(o.kind)))
        this.delegationId = String(person.employerId);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) this.lookup = { state: 'new', knownElsewhere: err.status === 403 };
      else this.addError = err;
    } finally {
      this.busy = false;
    }
  }

  private async register(e: SubmitEvent) {
    e.preventDefault();
    const delegationId = this.delegationId ? Number(this.delegationId) : null;
    this.busy = true;
    this.addError = null;
    this.addErrors = {};
    try {
      let name: string;
      if (this.lookup.state === 'found') {
        await api('POST', `/api/events/${this.event.id}/entries`, { personId: this.lookup.person.id, delegationId });
        name = this.lookup.person.name;
      } else {
        const p = this.person;
        if (!p.name.trim()) {
          this.addErrors = { 'person.name': t('org.field.required') };
          return;
        }
        // The bulk registration creates the person and the entry in one go (and matches a
        // person kept elsewhere by ID number and name).
        await api('POST', `/api/events/${this.event.id}/entries/bulk`, {
          entries: [
            {
              person: {
                name: p.name.trim(),
                idNumber: this.idNumber.trim().toUpperCase(),
                phone: p.phone.trim() || null,
                ...employerFromText(this.orgs, p.employer),
                occupationCode: p.occupationCode.trim() || null,
                occupationName: p.occupationName.trim() || null,
                skillLevel: p.skillLevel ? Number(p.skillLevel) : null,
              },
              delegationId,
            },
          ],
        });
        name = p.name.trim();
      }
      this.added = name;
      this.lookup = { state: 'idle' };
      this.idNumber = '';
      this.person = { name: '', phone: '', employer: '', occupationCode: '', occupationName: '', skillLevel: '' };
      this.delegationId = '';
      void this.load();
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.addError = err;
      // Bulk errors name `entries.0.person.idNumber`: the form's fields are `person.idNumber`.
      this.addErrors = Object.fromEntries(Object.entries(fieldErrorsOf(err)).map(([k, v]) => [k.replace(/^entries\.0\./, ''), v]));
      if (this.addErrors['person.idNumber']) this.addErrors.idNumber = this.addErrors['person.idNumber'];
    } finally {
      this.busy = false;
    }
  }

  private startEdit(entry: Entry) {
    this.editing = entry;
    this.editDraft = {
      name: entry.name,
      phone: entry.phone ?? '',
      employer: entry.employerName ?? '',
      delegationId: entry.delegationId ? String(entry.delegationId) : '',
    };
    this.editErrors = {};
    this.editError = null;
    this.withdrawNote = '';
    this.saved = '';
    this.adding = false;
  }

  private async saveEdit(e: SubmitEvent) {
    e.preventDefault();
    const entry = this.editing!;
    const d = this.editDraft;
    const problems: Record<string, string> = {};
    if (!d.name.trim()) problems['person.name'] = t('org.field.required');
    if (d.phone.trim() && !/^1\d{10}$/.test(d.phone.trim())) problems['person.phone'] = t('org.entrants.phoneFormat');
    this.editErrors = problems;
    if (Object.keys(problems).length) return;
    this.busy = true;
    this.editError = null;
    this.editErrors = {};
    try {
      const updated = await api<Entry>('PATCH', `/api/entries/${entry.id}`, {
        person: { name: d.name.trim(), phone: d.phone.trim() || null, ...employerFromText(this.orgs, d.employer) },
        delegationId: d.delegationId ? Number(d.delegationId) : null,
      });
      this.saved = t('org.entrants.saved', { name: updated.name });
      this.editing = null;
      void this.load();
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.editError = err;
      const fields = fieldErrorsOf(err);
      // The server names the field; the message is ours to say in the user's language.
      if (fields['person.phone']) fields['person.phone'] = t('org.entrants.phoneFormat');
      this.editErrors = fields;
    } finally {
      this.busy = false;
    }
  }

  private async withdraw() {
    const entry = this.editing!;
    this.busy = true;
    this.editError = null;
    try {
      const updated = await api<Entry>('POST', `/api/entries/${entry.id}/status`, { status: 'withdrawn', note: this.withdrawNote.trim() || undefined });
      this.saved = t('org.entrants.withdrawn', { name: updated.name });
      this.editing = null;
      void this.load();
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.editError = err;
    } finally {
      this.busy = false;
    }
  }

  private renderEdit(entry: Entry) {
    const d = this.editDraft;
    const delegations = this.orgs.filter((o) => DELEGATION_KINDS.includes(o.kind));
    const set = (patch: Partial<EditDraft>) => (this.editDraft = { ...d, ...patch });
    const inv = (k: string) => (this.editErrors[k] ? 'true' : 'false');
    return html`<section class="card add" data-testid="edit-entrant">
      <h2>${t('org.entrants.editTitle', { name: entry.name, number: entry.drawnNumber ?? '—' })}</h2>
      ${errorBanner(this.editError)}
      <form @submit=${this.saveEdit} novalidate>
        <div class="grid2">
          <div class="field">
            <label for="ed-name">${t('org.entrants.name')} *</label>
            <input id="ed-name" .value=${d.name} aria-invalid=${inv('person.name')} @input=${(e: Event) => set({ name: (e.target as HTMLInputElement).value })} />
            ${fieldError(this.editErrors, 'person.name')}
          </div>
          <div class="field">
            <label for="ed-phone">${t('org.entrants.phone')}</label>
            <input id="ed-phone" inputmode="tel" .value=${d.phone} aria-invalid=${inv('person.phone')} @input=${(e: Event) => set({ phone: (e.target as HTMLInputElement).value })} />
            ${fieldError(this.editErrors, 'person.phone')}
          </div>
          <div class="field">
            <label for="ed-employer">${t('org.entrants.employer')}</label>
            <input
              id="ed-employer"
              list="ed-employers"
              autocomplete="off"
              placeholder=${t('org.entrants.employerHint')}
              .value=${d.employer}
              aria-invalid=${this.editErrors['person.employerId'] || this.editErrors['person.employerName'] ? 'true' : 'false'}
              @input=${(e: Event) => set({ employer: (e.target as HTMLInputElement).value })}
            />
            <datalist id="ed-employers">${this.orgs.map((o) => html`<option value=${o.name}></option>`)}</datalist>
            ${fieldError(this.editErrors, 'person.employerId')} ${fieldError(this.editErrors, 'person.employerName')}
          </div>
          <div class="field">
            <label for="ed-deleg">${t('org.entrants.delegation')}</label>
            <select id="ed-deleg" aria-invalid=${inv('delegationId')} @change=${(e: Event) => set({ delegationId: (e.target as HTMLSelectElement).value })}>
              <option value="">—</option>
              ${delegations.map((o) => html`<option value=${o.id} ?selected=${d.delegationId === String(o.id)}>${o.name}</option>`)}
            </select>
            ${fieldError(this.editErrors, 'delegationId')}
          </div>
        </div>
        <p class="muted" style="font-size:14px;margin:4px 0 0">${t('org.entrants.editHint')}</p>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy} data-testid="save-entrant">${t('org.save')}</button>
          <button type="button" @click=${() => (this.editing = null)}>${t('org.cancel')}</button>
        </div>
      </form>
      ${CAN_WITHDRAW.includes(entry.status)
        ? html`<div class="withdraw">
            <h3 style="margin:0 0 4px">${t('org.entrants.withdrawTitle')}</h3>
            <p class="muted" style="font-size:14px;margin:0 0 8px">${t('org.entrants.withdrawHint')}</p>
            <div class="lookup">
              <div class="field">
                <label for="ed-note">${t('org.entrants.withdrawNote')}</label>
                <input id="ed-note" .value=${this.withdrawNote} @input=${(e: Event) => (this.withdrawNote = (e.target as HTMLInputElement).value)} />
              </div>
              <button type="button" class="danger" style="margin-top:34px" ?disabled=${this.busy} data-testid="withdraw-entrant" @click=${this.withdraw}>
                ${t('org.entrants.withdraw')}
              </button>
            </div>
          </div>`
        : nothing}
    </section>`;
  }

  private personField(key: keyof NewPerson, label: string, opts: { required?: boolean; mode?: string } = {}) {
    const errKey = `person.${key}`;
    return html`<div class="field">
      <label for=${`np-${key}`}>${label}${opts.required ? ' *' : ''}</label>
      <input
        id=${`np-${key}`}
        inputmode=${opts.mode ?? 'text'}
        .value=${this.person[key]}
        aria-invalid=${this.addErrors[errKey] ? 'true' : 'false'}
        @input=${(e: Event) => (this.person = { ...this.person, [key]: (e.target as HTMLInputElement).value })}
      />
      ${fieldError(this.addErrors, errKey)}
    </div>`;
  }

  private renderAdd() {
    const delegations = this.orgs.filter((o) => DELEGATION_KINDS.includes(o.kind));
    const l = this.lookup;
    return html`<section class="card add">
      <h2>${t('org.entrants.add')}</h2>
      ${errorBanner(this.addError)}
      <form
        class="lookup"
        @submit=${(e: Event) => {
          e.preventDefault();
          void this.find();
        }}
      >
        <div class="field">
          <label for="idn">${t('org.entrants.idNumber')}</label>
          <input
            id="idn"
            autocomplete="off"
            maxlength="18"
            .value=${this.idNumber}
            aria-invalid=${this.addErrors.idNumber ? 'true' : 'false'}
            @input=${(e: Event) => {
              this.idNumber = (e.target as HTMLInputElement).value;
              this.lookup = { state: 'idle' };
            }}
          />
          ${fieldError(this.addErrors, 'idNumber')}
        </div>
        <button type="submit" style="margin-top:34px" ?disabled=${this.busy}>${t('org.entrants.find')}</button>
      </form>
      ${l.state === 'idle'
        ? nothing
        : html`<form @submit=${this.register} novalidate>
            ${l.state === 'found'
              ? html`<p data-testid="found-person">
                  ${t('org.entrants.found', { name: l.person.name })}
                  <span class="muted">${t(`org.gender.${l.person.gender}`)} · ${l.person.birthDate ?? l.person.birthYear} · ${levelLabel(l.person.skillLevel)}</span>
                </p>`
              : html`<p class="muted">${l.knownElsewhere ? t('org.entrants.knownElsewhere') : t('org.entrants.notFound')}</p>
                  <div class="grid2">
                    ${this.personField('name', t('org.entrants.name'), { required: true })} ${this.personField('phone', t('org.entrants.phone'), { mode: 'tel' })}
                    <div class="field">
                      <label for="np-employer">${t('org.entrants.employer')}</label>
                      <input
                        id="np-employer"
                        list="np-employers"
                        autocomplete="off"
                        placeholder=${t('org.entrants.employerHint')}
                        .value=${this.person.employer}
                        aria-invalid=${this.addErrors['person.employerId'] || this.addErrors['person.employerName'] ? 'true' : 'false'}
                        @input=${(e: Event) => (this.person = { ...this.person, employer: (e.target as HTMLInputElement).value })}
                      />
                      <datalist id="np-employers">${this.orgs.map((o) => html`<option value=${o.name}></option>`)}</datalist>
                      ${fieldError(this.addErrors, 'person.employerId')} ${fieldError(this.addErrors, 'person.employerName')}
                    </div>
                    ${this.personField('occupationCode', t('org.event.occupationCode'))} ${this.personField('occupationName', t('org.event.occupationName'))}
                    <div class="field">
                      <label for="np-level">${t('org.entrants.skillLevel')}</label>
                      <select id="np-level" @change=${(e: Event) => (this.person = { ...this.person, skillLevel: (e.target as HTMLSelectElement).value })}>
                        <option value="">—</option>
                        ${[5, 4, 3, 2, 1].map((v) => html`<option value=${v}>${levelLabel(v)}</option>`)}
                      </select>
                    </div>
                  </div>`}
            <div class="field" style="max-width:420px">
              <label for="deleg">${t('org.entrants.delegation')}</label>
              <select id="deleg" @change=${(e: Event) => (this.delegationId = (e.target as HTMLSelectElement).value)}>
                <option value="">—</option>
                ${delegations.map((o) => html`<option value=${o.id} ?selected=${this.delegationId === String(o.id)}>${o.name}</option>`)}
              </select>
              ${fieldError(this.addErrors, 'delegationId')}
            </div>
            <div class="actions">
              <button class="primary" type="submit" ?disabled=${this.busy}>${t('org.entrants.register')}</button>
            </div>
          </form>`}
    </section>`;
  }

  override render() {
    const d = this.data;
    return html`
      ${this.added ? html`<div class="banner ok-banner" role="status">${t('org.entrants.added', { name: this.added })}</div>` : nothing}
      ${this.saved ? html`<div class="banner ok-banner" role="status" data-testid="entrant-saved">${this.saved}</div>` : nothing}
      ${this.canManage && this.editing ? this.renderEdit(this.editing) : nothing}
      ${this.canManage && this.teamEvent
        ? this.teamForm !== null
          ? this.renderTeamForm()
          : html`<div class="row" style="margin-bottom:12px">
              <button class="primary" data-testid="add-team" @click=${() => ((this.teamForm = 'new'), (this.editing = null))}>${t('team.add')}</button>
            </div>`
        : this.canManage
          ? this.adding
            ? this.renderAdd()
            : html`<div class="row" style="margin-bottom:12px">
                <button class="primary" @click=${() => (this.adding = true)}>${t('org.entrants.add')}</button>
                <a class="btn" href="/org/competitions/${this.competition.id}/events/${this.event.id}/import">${t('org.tab.import')}</a>
              </div>`
          : nothing}
      <div class="toolbar" role="search">
        <div class="grow">
          <label for="q">${t('org.entrants.search')}</label>
          <input
            id="q"
            type="search"
            .value=${this.q}
            @input=${(e: Event) => {
              this.q = (e.target as HTMLInputElement).value.trim();
              this.page = 1;
              clearTimeout(this.timer);
              this.timer = window.setTimeout(() => void this.load(), 250);
            }}
          />
        </div>
        <div>
          <label for="st">${t('org.entrants.status')}</label>
          <select
            id="st"
            @change=${(e: Event) => {
              this.status = (e.target as HTMLSelectElement).value;
              this.page = 1;
              void this.load();
            }}
          >
            <option value="">${t('org.filter.all')}</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${this.status === s}>${entryStatusLabel(s)}</option>`)}
          </select>
        </div>
      </div>
      ${errorBanner(this.error)}
      <section class="card" aria-live="polite">
        ${!d
          ? html`<sc-loading></sc-loading>`
          : d.items.length === 0
            ? html`<p class="empty">${t('org.entrants.none')}</p>`
            : html`<table data-testid="entrant-table">
                <caption class="sr-only">${t('org.tab.entrants')}</caption>
                <thead>
                  <tr>
                    <th>${t('org.entrants.number')}</th>
                    <th>${t('org.entrants.name')}</th>
                    <th>${t('org.entrants.idNumber')}</th>
                    <th class="col-employer">${t('org.entrants.employer')}</th>
                    <th>${t('org.entrants.delegation')}</th>
                    <th>${t('org.entrants.status')}</th>
                    ${this.canManage ? html`<th><span class="sr-only">${t('org.entrants.actions')}</span></th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${d.items.map(
                    (e) => html`<tr>
                      <td class="no">${e.drawnNumber ?? '—'}</td>
                      <td>
                        ${e.name}
                        ${e.members.length
                          ? html`<div class="sub" data-testid="members-${e.id}">
                              ${e.members.map((m, i) => html`${i ? '、' : ''}${m.name}${m.captain ? t('team.captainMark') : ''}`)}
                            </div>`
                          : html`<div class="sub employer">${e.employerName ?? ''}</div>`}
                      </td>
                      <td class="id">${e.idNumber}</td>
                      <td class="col-employer">${e.employerName ?? '—'}</td>
                      <td>${e.delegationName ?? '—'}</td>
                      <td>
                        <span class="chip st-${e.status}">${entryStatusLabel(e.status)}</span>
                        ${e.disqualifiedReason ? html`<div class="note">${e.disqualifiedReason}</div>` : nothing}
                        ${e.statusNote ? html`<div class="note">${t('org.entrants.staffNote', { note: e.statusNote })}</div>` : nothing}
                      </td>
                      ${this.canManage
                        ? html`<td class="act">
                            <button data-testid="edit-${e.id}" aria-label=${t('org.entrants.editName', { name: e.name })} @click=${() => this.startEdit(e)}>
                              ${t('org.edit')}
                            </button>
                            ${e.members.length && !this.event.releasedAt
                              ? html`<button data-testid="roster-${e.id}" aria-label=${t('team.rosterOf', { name: e.name })} @click=${() => ((this.teamForm = e), (this.editing = null))}>
                                  ${t('team.roster')}
                                </button>`
                              : nothing}
                          </td>`
                        : nothing}
                    </tr>`,
                  )}
                </tbody>
              </table>`}
        ${d
          ? html`<div class="pager">
              <span class="muted" data-testid="entrant-total">${t('org.entrants.total', { n: d.total })}</span>
              <sc-pager
                hideSingle
                .page=${this.page}
                .pageSize=${PAGE_SIZE}
                .total=${d.total}
                @sc-page=${(e: PageChosenEvent) => {
                  this.page = e.page;
                  void this.load();
                }}
              ></sc-pager>
            </div>`
          : nothing}
      </section>
    `;
  }
}
