import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import '../../i18n/release-rules.ts';
import './org-standardisation.ts';
import './org-team-standing.ts';
import { COMPETITION_STATUSES, MANUAL_COMPETITION_STATUSES, nextCompetitionStatus } from '../../../server/contracts/competitions.ts';
import { dateRange, errorBanner, gradeLabel, occupationText, OrgDataChangedEvent, orgStyles, statusLabel, type Competition, type Page, type ScEvent } from './org-shared.ts';
import type { ConfirmEvent } from './org-widgets.ts';

/**
 * One competition: its details, its place in the status sequence with the one legal next step,
 * and its events.
 */
@customElement('sc-org-competition')
export class OrgCompetition extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: 6em minmax(0, 1fr);
        gap: 6px 12px;
        margin: 12px 0 0;
      }
      dt {
        color: var(--sc-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      ol.steps {
        list-style: none;
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 4px;
        padding: 0;
        margin: 0 0 12px;
      }
      ol.steps li {
        text-align: center;
        font-size: 14px;
        padding: 8px 4px;
        border-radius: 6px;
        background: #eef1f5;
        color: var(--sc-muted);
      }
      ol.steps li.done {
        background: #e7f6ec;
        color: var(--sc-ok);
      }
      ol.steps li.current {
        background: var(--sc-ok);
        color: #fff;
        font-weight: 600;
      }
      .events {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
        gap: 12px;
      }
      .event a.title {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        font-weight: 600;
        font-size: 17px;
        color: var(--sc-fg);
      }
      .event .meta {
        color: var(--sc-muted);
        font-size: 14px;
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
      }
      .event .meta.scheme {
        display: block;
        margin-top: 4px;
      }
      .warn {
        color: var(--sc-warn);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) competition!: Competition;
  @property({ type: Boolean }) canManage = false;
  @state() private events: ScEvent[] | null = null;
  @state() private error: unknown = null;
  @state() private confirming = false;
  @state() private busy = false;
  @state() private moved = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadEvents();
  }

  private async loadEvents() {
    try {
      this.events = (await api<Page<ScEvent>>('GET', `/api/competitions/${this.competition.id}/events?pageSize=500`)).items;
    } catch (err) {
      this.error = err;
    }
  }

  private async advance(e: ConfirmEvent) {
    this.confirming = false;
    const next = nextCompetitionStatus(this.competition.status);
    if (!e.confirmed || !next) return;
    this.busy = true;
    this.error = null;
    try {
      await api('POST', `/api/competitions/${this.competition.id}/status`, { status: next });
      this.moved = next;
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const c = this.competition;
    // Only draft → registration → running is moved by hand; from running on the status follows the events.
    const following = nextCompetitionStatus(c.status);
    const next = following && MANUAL_COMPETITION_STATUSES.includes(following) ? following : null;
    const at = COMPETITION_STATUSES.indexOf(c.status);
    return html`
      <div class="row" style="margin-bottom:8px">
        <h1 style="margin:0;flex:1 1 300px">${c.name}</h1>
        ${this.canManage ? html`<a class="btn" href="/org/competitions/${c.id}/edit">${t('org.edit')}</a>` : nothing}
        <a class="btn" href="/org/competitions/${c.id}/delegations">${t('org.deleg.title')}</a>
        <a class="btn" href="/org/competitions/${c.id}/judges" data-testid="competition-judges-link">${t('org.comp.judges')}</a>
      </div>
      ${errorBanner(this.error)}
      ${this.moved && this.moved === c.status ? html`<div class="banner ok-banner" role="status">${t('org.comp.movedTo', { status: statusLabel(c.status) })}</div>` : nothing}
      <div class="grid2" style="gap:12px">
        <section class="card">
          <div class="row">
            <span class="chip grade-${c.grade}">${gradeLabel(c.grade)}</span>
            ${c.competitionClass ? html`<span class="chip">${t(`org.comp.class.${c.competitionClass}`)}</span>` : nothing}
            <span class="chip">${t('org.yearN', { year: c.year })}</span>
          </div>
          <dl>
            <dt>${t('org.comp.organisers')}</dt>
            <dd>${c.organisers.join('、')}</dd>
            <dt>${t('org.comp.coOrganisers')}</dt>
            <dd data-testid="co-organisers">${c.coOrganisers.map((o) => o.name).join('、') || '—'}</dd>
            <dt>${t('org.comp.hosts')}</dt>
            <dd>${c.hosts.join('、') || '—'}</dd>
            <dt>${t('org.comp.venue')}</dt>
            <dd>${c.venue ?? '—'}</dd>
            <dt>${t('org.comp.dates')}</dt>
            <dd>${dateRange(c.startDate, c.endDate)}</dd>
            <dt>${t('org.comp.encryptionOfficers')}</dt>
            <dd>${c.encryptionOfficers.map((o) => `${o.displayName}（${o.orgName}）`).join('、') || '—'}</dd>
            <dt>${t('org.comp.publicity')}</dt>
            <dd>${t(`org.comp.appealSummary.${c.appealRule}`, { days: c.publicityDays, hours: c.appealWindowHours })}</dd>
          </dl>
        </section>
        <section class="card">
          <h2>${t('org.comp.status')}</h2>
          <ol class="steps" aria-label=${t('org.comp.status')}>
            ${COMPETITION_STATUSES.map(
              (s, i) =>
                html`<li class=${i < at ? 'done' : i === at ? 'current' : ''} aria-current=${i === at ? 'step' : 'false'}>${statusLabel(s)}</li>`,
            )}
          </ol>
          ${this.canManage && next
            ? html`<button class="primary" data-testid="advance" ?disabled=${this.busy} @click=${() => (this.confirming = true)}>
                ${t(`org.comp.advance.${next}`)}
              </button>`
            : nothing}
          ${!following
            ? html`<p class="muted">${t('org.comp.lastStatus')}</p>`
            : !next
              ? html`<p class="muted" data-testid="status-follows">${t('org.comp.followsEvents')}</p>`
              : nothing}
        </section>
      </div>
      <section style="margin-top:16px">
        <div class="row" style="margin-bottom:12px">
          <h2 style="margin:0;flex:1">${t('org.event.list', { n: this.events?.length ?? 0 })}</h2>
          ${this.canManage ? html`<a class="btn primary" href="/org/competitions/${c.id}/events/new">${t('org.event.new')}</a>` : nothing}
        </div>
        ${!this.events
          ? html`<sc-loading></sc-loading>`
          : this.events.length === 0
            ? html`<p class="card empty">${t('org.event.none')}</p>`
            : html`<div class="events" data-testid="event-list">
                ${this.events.map(
                  (e) => html`<article class="card event">
                    <a class="title" href="/org/competitions/${c.id}/events/${e.id}">${e.name}</a>
                    <div class="meta">
                      <span>${occupationText(e)}</span>
                      <span>${t('org.event.entrantsN', { n: e.entrantCount })}</span>
                      <span>${t('org.event.roundsN', { n: e.rounds.length })}</span>
                    </div>
                    <div class="meta scheme">${e.scheme.parts.map((p) => (e.scheme.totaling === 'weighted' ? `${p.name} ${p.weight}%` : p.name)).join(' + ')}</div>
                    ${e.belowMinimum ? html`<p class="warn" style="margin:6px 0 0;font-size:14px">${t('org.event.belowMinimum', { n: e.minEntrants })}</p>` : nothing}
                  </article>`,
                )}
              </div>`}
      </section>
      <div style="margin-top:16px">
        <sc-org-standardisation .competitionId=${c.id} ?canManage=${this.canManage}></sc-org-standardisation>
      </div>
      <div style="margin-top:16px">
        <sc-org-team-standing .competitionId=${c.id} .events=${this.events ?? []} ?canManage=${this.canManage}></sc-org-team-standing>
      </div>
      <sc-confirm
        .open=${this.confirming}
        heading=${t('org.comp.advanceConfirmTitle')}
        message=${next ? t('org.comp.advanceConfirm', { from: statusLabel(c.status), to: statusLabel(next) }) : ''}
        confirmLabel=${next ? t(`org.comp.advance.${next}`) : ''}
        @sc-confirm=${this.advance}
      ></sc-confirm>
    `;
  }
}
