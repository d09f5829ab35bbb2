import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/teams.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { Entry } from '../../../server/contracts/entries.ts';
import type { Organisation } from '../../../server/contracts/organisations.ts';
import { DELEGATION_KINDS, employerFromText, errorBanner, fieldError, fieldErrorsOf, orgStyles, type ScEvent } from './org-shared.ts';

/** A team or pair was registered, or its roster changed. */
export class TeamSavedEvent extends Event {
  static readonly type = 'sc-team-saved';
  constructor(readonly entry: Entry) {
    super(TeamSavedEvent.type, { bubbles: true, composed: true });
  }
}

/** A member row: an existing member (kept by person id) or a person typed in by ID number. */
type MemberRow = { personId: number | null; name: string; idNumber: string; employer: string; role: string };

const emptyRow = (): MemberRow => ({ personId: null, name: '', idNumber: '', employer: '', role: '' });
const MAX_MEMBERS = 20;

/**
 * Registers a team (班组) or a pair (双人组合) in a team event as one entrant, or (with `entry`)
 * changes its roster and name before release (a substitution). Members are typed by ID number and
 * name (a person already on file is matched by both, a new one is created); one is the captain
 * (队长). The team name may stay empty for a pair, which is then shown as "甲、乙". Field errors
 * from the server land on the member's row.
 *
 * @event sc-team-saved - TeamSavedEvent with the stored entry
 * @event sc-cancel - the form was closed without saving
 */
@customElement('sc-org-team-entry')
export class OrgTeamEntry extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      fieldset {
        border: 1px solid var(--sc-line);
        border-radius: 8px;
        padding: 8px 12px 12px;
        margin: 12px 0;
      }
      legend {
        font-weight: 600;
        padding: 0 6px;
      }
      .member {
        display: grid;
        grid-template-columns: 2.2em minmax(10em, 1.4fr) minmax(7em, 1fr) minmax(9em, 1.3fr) minmax(6em, 0.8fr) auto auto;
        grid-template-areas: 'seq id name emp role cap rm';
        gap: 8px;
        align-items: end;
        padding: 8px 0;
        border-top: 1px solid var(--sc-line);
      }
      .member:first-of-type {
        border-top: none;
      }
      .c-seq {
        grid-area: seq;
        align-self: center;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .c-id {
        grid-area: id;
      }
      .c-name {
        grid-area: name;
      }
      .c-emp {
        grid-area: emp;
      }
      .c-role {
        grid-area: role;
      }
      .c-known {
        grid-column: 2 / 5;
        grid-row: 1;
        align-self: center;
      }
      .c-cap {
        grid-area: cap;
        display: flex;
        align-items: center;
        gap: 6px;
        min-height: 44px;
        white-space: nowrap;
      }
      .c-rm {
        grid-area: rm;
      }
      .field {
        margin: 0;
      }
      /* A portrait tablet: three lines per member (ID number and name; employer and role; captain and remove). */
      @media (max-width: 900px) {
        .member {
          grid-template-columns: 2em minmax(0, 1fr) minmax(0, 1fr);
          grid-template-areas:
            'seq id name'
            'seq emp role'
            'seq cap rm';
        }
        .c-known {
          grid-column: 2 / 4;
        }
        .c-rm {
          justify-self: start;
        }
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) event!: ScEvent;
  @property({ attribute: false }) orgs: Organisation[] = [];
  /** The team to change; a new one when absent. */
  @property({ attribute: false }) entry: Entry | null = null;

  @state() private teamName = '';
  @state() private delegationId = '';
  @state() private rows: MemberRow[] = [emptyRow(), emptyRow()];
  @state() private captain = 0;
  @state() private reason = '';
  @state() private errors: Record<string, string> = {};
  @state() private error: unknown = null;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    const e = this.entry;
    if (e) {
      this.teamName = e.teamName ?? '';
      this.delegationId = e.delegationId ? String(e.delegationId) : '';
      this.rows = e.members.map((m) => ({ personId: m.personId, name: m.name, idNumber: m.idNumber, employer: m.employerName ?? '', role: m.role ?? '' }));
      this.captain = Math.max(
        0,
        e.members.findIndex((m) => m.captain),
      );
    }
  }

  private setRow(i: number, patch: Partial<MemberRow>) {
    this.rows = this.rows.map((r, k) => (k === i ? { ...r, ...patch } : r));
  }

  private removeRow(i: number) {
    this.rows = this.rows.filter((_, k) => k !== i);
    if (this.captain >= this.rows.length) this.captain = 0;
    else if (this.captain > i) this.captain--;
  }

  /** What the form can tell before asking the server: names and ID numbers filled in and well-formed. */
  private check(): Record<string, string> {
    const out: Record<string, string> = {};
    this.rows.forEach((r, i) => {
      if (r.personId !== null) return;
      if (!r.name.trim()) out[`members.${i}.person.name`] = t('org.field.required');
      if (!/^\d{17}[\dXx]$/.test(r.idNumber.trim())) out[`members.${i}.person.idNumber`] = t('org.import.code.id_format');
    });
    return out;
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const problems = this.check();
    this.errors = problems;
    if (Object.keys(problems).length) return;
    const members = this.rows.map((r, i) => ({
      ...(r.personId !== null
        ? { personId: r.personId }
        : { person: { name: r.name.trim(), idNumber: r.idNumber.trim().toUpperCase(), ...employerFromText(this.orgs, r.employer) } }),
      captain: i === this.captain,
      role: r.role.trim() || null,
    }));
    const teamName = this.teamName.trim() || null;
    this.busy = true;
    this.error = null;
    try {
      const saved = this.entry
        ? await api<Entry>('PUT', `/api/entries/${this.entry.id}/members`, { members, teamName, ...(this.reason.trim() ? { reason: this.reason.trim() } : {}) })
        : await api<Entry>('POST', `/api/events/${this.event.id}/entries`, { members, teamName, delegationId: this.delegationId ? Number(this.delegationId) : null });
      this.dispatchEvent(new TeamSavedEvent(saved));
    } catch (err) {
      this.error = err;
      const fields = fieldErrorsOf(err);
      // "already entered" names the member (members.1): show it on the row's ID number.
      for (const [k, v] of Object.entries(fields)) if (/^members\.\d+$/.test(k)) fields[`${k}.person.idNumber`] ??= v;
      this.errors = fields;
    } finally {
      this.busy = false;
    }
  }

  private renderRow(r: MemberRow, i: number) {
    const key = (f: string) => `members.${i}.${f}`;
    const inv = (f: string) => (this.errors[key(f)] ? 'true' : 'false');
    return html`<div class="member" data-testid="member-${i}">
      <div class="c-seq">${i + 1}</div>
      ${r.personId !== null
        ? html`<div class="c-known">${r.name} <span class="muted">${r.idNumber} · ${r.employer || '—'}</span></div>`
        : html`<div class="field c-id">
              <label for="m-id-${i}">${t('team.member.idNumber')} *</label>
              <input
                id="m-id-${i}"
                autocomplete="off"
                maxlength="18"
                .value=${r.idNumber}
                aria-invalid=${inv('person.idNumber')}
                @input=${(e: Event) => this.setRow(i, { idNumber: (e.target as HTMLInputElement).value })}
              />
              ${fieldError(this.errors, key('person.idNumber'))}
            </div>
            <div class="field c-name">
              <label for="m-name-${i}">${t('team.member.name')} *</label>
              <input id="m-name-${i}" .value=${r.name} aria-invalid=${inv('person.name')} @input=${(e: Event) => this.setRow(i, { name: (e.target as HTMLInputElement).value })} />
              ${fieldError(this.errors, key('person.name'))}
            </div>
            <div class="field c-emp">
              <label for="m-emp-${i}">${t('team.member.employer')}</label>
              <input
                id="m-emp-${i}"
                list="team-employers"
                autocomplete="off"
                .value=${r.employer}
                aria-invalid=${this.errors[key('person.employerId')] || this.errors[key('person.employerName')] ? 'true' : 'false'}
                @input=${(e: Event) => this.setRow(i, { employer: (e.target as HTMLInputElement).value })}
              />
              ${fieldError(this.errors, key('person.employerId'))} ${fieldError(this.errors, key('person.employerName'))}
            </div>`}
      <div class="field c-role">
        <label for="m-role-${i}">${t('team.member.role')}</label>
        <input id="m-role-${i}" .value=${r.role} placeholder=${t('team.member.roleHint')} @input=${(e: Event) => this.setRow(i, { role: (e.target as HTMLInputElement).value })} />
      </div>
      <label class="c-cap">
        <input type="radio" name="captain" .checked=${this.captain === i} @change=${() => (this.captain = i)} data-testid="captain-${i}" />
        ${t('team.member.captain')}
      </label>
      <button
        type="button"
        class="c-rm"
        ?disabled=${this.rows.length <= 2}
        aria-label=${t('team.member.removeN', { n: i + 1 })}
        @click=${() => this.removeRow(i)}
      >
        ${t('team.member.remove')}
      </button>
    </div>`;
  }

  override render() {
    const delegations = this.orgs.filter((o) => DELEGATION_KINDS.includes(o.kind));
    const editing = this.entry !== null;
    return html`<section class="card" data-testid="team-entry">
      <h2>${editing ? t('team.editTitle', { name: this.entry!.name }) : t('team.addTitle')}</h2>
      <p class="muted" style="font-size:14px;margin:0 0 8px">${editing ? t('team.editHint') : t('team.addHint')}</p>
      ${errorBanner(this.error)}
      <form @submit=${this.save} novalidate>
        <div class="grid2">
          <div class="field">
            <label for="team-name">${t('team.name')}</label>
            <input
              id="team-name"
              data-testid="team-name"
              .value=${this.teamName}
              placeholder=${t('team.namePlaceholder')}
              aria-invalid=${this.errors.teamName ? 'true' : 'false'}
              @input=${(e: Event) => (this.teamName = (e.target as HTMLInputElement).value)}
            />
            ${fieldError(this.errors, 'teamName')}
          </div>
          ${editing
            ? html`<div class="field">
                <label for="team-reason">${t('team.reason')}</label>
                <input id="team-reason" .value=${this.reason} placeholder=${t('team.reasonPlaceholder')} @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)} />
              </div>`
            : html`<div class="field">
                <label for="team-deleg">${t('org.entrants.delegation')}</label>
                <select id="team-deleg" @change=${(e: Event) => (this.delegationId = (e.target as HTMLSelectElement).value)}>
                  <option value="">—</option>
                  ${delegations.map((o) => html`<option value=${o.id} ?selected=${this.delegationId === String(o.id)}>${o.name}</option>`)}
                </select>
                ${fieldError(this.errors, 'delegationId')}
              </div>`}
        </div>
        <fieldset>
          <legend>${t('team.members', { n: this.rows.length })}</legend>
          ${fieldError(this.errors, 'members')} ${this.rows.map((r, i) => this.renderRow(r, i))}
          <datalist id="team-employers">${this.orgs.map((o) => html`<option value=${o.name}></option>`)}</datalist>
          <button type="button" ?disabled=${this.rows.length >= MAX_MEMBERS} data-testid="add-member" @click=${() => (this.rows = [...this.rows, emptyRow()])}>
            ${t('team.member.add')}
          </button>
        </fieldset>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy} data-testid="save-team">${editing ? t('org.save') : t('team.register')}</button>
          <button type="button" @click=${() => this.dispatchEvent(new Event('sc-cancel', { bubbles: true, composed: true }))}>${t('org.cancel')}</button>
        </div>
      </form>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-org-team-entry': OrgTeamEntry;
  }
  interface HTMLElementEventMap {
    'sc-team-saved': TeamSavedEvent;
  }
}

