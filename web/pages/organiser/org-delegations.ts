import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { Entry } from '../../../server/contracts/entries.ts';
import type { Organisation } from '../../../server/contracts/organisations.ts';
import {
  DELEGATION_KINDS,
  errorBanner,
  fetchAll,
  fieldError,
  fieldErrorsOf,
  organisationsOfCompetition,
  orgStyles,
  type Competition,
  type Page,
  type ScEvent,
} from './org-shared.ts';

type Draft = { parentId: string; name: string; kind: Organisation['kind']; regionCode: string };

/**
 * The delegations (代表队) a competition's entrants may represent: employers, departments and
 * unions under the competition's organisation, with how many entrants each sends. New ones are
 * organisations, so creating one is for administrators (the server says so to anyone else).
 */
@customElement('sc-org-delegations')
export class OrgDelegations extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      td.n {
        text-align: right;
        font-variant-numeric: tabular-nums;
        width: 5em;
      }
      .sub {
        font-size: 13px;
        color: var(--sc-muted);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) competition!: Competition;
  /** Whether the caller may create organisations (administrators). */
  @property({ type: Boolean }) canCreate = false;
  @state() private all: Organisation[] | null = null;
  @state() private counts = new Map<number, number>();
  @state() private error: unknown = null;
  @state() private draft: Draft = { parentId: '', name: '', kind: 'employer', regionCode: '' };
  @state() private fieldErrors: Record<string, string> = {};
  @state() private created = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(false);
  }

  private async load(refresh: boolean) {
    try {
      this.all = await organisationsOfCompetition(this.competition, undefined, refresh);
      const owner = this.all.find((o) => o.id === this.competition.orgId);
      if (owner && !this.draft.parentId) this.draft = { ...this.draft, parentId: String(owner.id), regionCode: owner.regionCode };
      const events = (await api<Page<ScEvent>>('GET', `/api/competitions/${this.competition.id}/events?pageSize=500`)).items;
      const counts = new Map<number, number>();
      for (const ev of events)
        for (const e of await fetchAll<Entry>(`/api/events/${ev.id}/entries`))
          if (e.delegationId !== null && e.status !== 'disqualified') counts.set(e.delegationId, (counts.get(e.delegationId) ?? 0) + 1);
      this.counts = counts;
    } catch (err) {
      this.error = err;
    }
  }

  private async create(e: SubmitEvent) {
    e.preventDefault();
    const d = this.draft;
    const errs: Record<string, string> = {};
    if (!d.name.trim()) errs.name = t('org.field.required');
    if (!/^\d{6}$/.test(d.regionCode)) errs.regionCode = t('org.deleg.regionFormat');
    this.fieldErrors = errs;
    if (Object.keys(errs).length) return;
    this.busy = true;
    this.error = null;
    try {
      const org = await api<Organisation>('POST', '/api/organisations', {
        parentId: Number(d.parentId),
        name: d.name.trim(),
        kind: d.kind,
        level: d.kind === 'employer' ? 'enterprise' : null,
        regionCode: d.regionCode,
      });
      this.created = org.name;
      this.draft = { ...d, name: '' };
      await this.load(true);
    } catch (err) {
      this.error = err;
      this.fieldErrors = fieldErrorsOf(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const all = this.all;
    const delegations = (all ?? []).filter((o) => DELEGATION_KINDS.includes(o.kind) && o.id !== this.competition.orgId);
    const byId = new Map((all ?? []).map((o) => [o.id, o]));
    return html`
      <h1>${t('org.deleg.title')}</h1>
      <p class="muted" style="margin-top:0">${t('org.deleg.intro')}</p>
      ${errorBanner(this.error)}
      ${this.created ? html`<div class="banner ok-banner" role="status">${t('org.deleg.created', { name: this.created })}</div>` : nothing}
      <section class="card">
        ${!all
          ? html`<sc-loading></sc-loading>`
          : delegations.length === 0
            ? html`<p class="empty">${t('org.deleg.none')}</p>`
            : html`<table data-testid="delegation-table">
                <thead>
                  <tr>
                    <th>${t('org.deleg.name')}</th>
                    <th>${t('org.deleg.kind')}</th>
                    <th class="num">${t('org.deleg.entrants')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${delegations.map(
                    (o) => html`<tr>
                      <td>${o.name}${o.parentId && byId.get(o.parentId) ? html`<div class="sub">${byId.get(o.parentId)!.name}</div>` : nothing}</td>
                      <td>${t(`org.orgKind.${o.kind}`)}</td>
                      <td class="n">${this.counts.get(o.id) ?? 0}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`}
      </section>
      <section class="card" style="margin-top:16px">
        <h2>${t('org.deleg.add')}</h2>
        ${this.canCreate
          ? html`<form @submit=${this.create} novalidate>
              <div class="grid2">
                <div class="field">
                  <label for="dn">${t('org.deleg.name')} *</label>
                  <input id="dn" .value=${this.draft.name} aria-invalid=${this.fieldErrors.name ? 'true' : 'false'} @input=${(e: Event) => (this.draft = { ...this.draft, name: (e.target as HTMLInputElement).value })} />
                  ${fieldError(this.fieldErrors, 'name')}
                </div>
                <div class="field">
                  <label for="dk">${t('org.deleg.kind')}</label>
                  <select id="dk" @change=${(e: Event) => (this.draft = { ...this.draft, kind: (e.target as HTMLSelectElement).value as Organisation['kind'] })}>
                    ${DELEGATION_KINDS.map((k) => html`<option value=${k} ?selected=${this.draft.kind === k}>${t(`org.orgKind.${k}`)}</option>`)}
                  </select>
                </div>
                <div class="field">
                  <label for="dp">${t('org.deleg.parent')}</label>
                  <select
                    id="dp"
                    @change=${(e: Event) => {
                      const parent = byId.get(Number((e.target as HTMLSelectElement).value));
                      this.draft = { ...this.draft, parentId: String(parent?.id ?? ''), regionCode: parent?.regionCode ?? this.draft.regionCode };
                    }}
                  >
                    ${(all ?? []).filter((o) => o.kind !== 'employer').map((o) => html`<option value=${o.id} ?selected=${this.draft.parentId === String(o.id)}>${o.name}</option>`)}
                  </select>
                  ${fieldError(this.fieldErrors, 'parentId')}
                </div>
                <div class="field">
                  <label for="dr">${t('org.deleg.region')}</label>
                  <input
                    id="dr"
                    inputmode="numeric"
                    maxlength="6"
                    .value=${this.draft.regionCode}
                    aria-invalid=${this.fieldErrors.regionCode ? 'true' : 'false'}
                    @input=${(e: Event) => (this.draft = { ...this.draft, regionCode: (e.target as HTMLInputElement).value })}
                  />
                  ${fieldError(this.fieldErrors, 'regionCode')}
                </div>
              </div>
              <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('org.deleg.addButton')}</button></div>
            </form>`
          : html`<p class="muted" data-testid="admin-only">${t('org.deleg.adminOnly')}</p>`}
      </section>
    `;
  }
}
