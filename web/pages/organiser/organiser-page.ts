import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { fetchSession, sessionContext, type Session } from '../../app/session.ts';
import '../../i18n/organiser.ts';
import { sharedStyles } from '../../styles/shared.ts';
import './org-competition-form.ts';
import './org-competition-judges.ts';
import './org-competition.ts';
import './org-competitions.ts';
import './org-dashboard.ts';
import './org-delegations.ts';
import './org-event-form.ts';
import './org-event.ts';
import { errorBanner, MANAGER_ROLES, OrgDataChangedEvent, orgStyles, type Competition, type ScEvent } from './org-shared.ts';
import './org-widgets.ts';

/** What a path under /org shows. */
export type OrgRoute =
  | { view: 'dashboard' }
  | { view: 'competitions' }
  | { view: 'competition-new' }
  | { view: 'competition'; competitionId: number }
  | { view: 'competition-edit'; competitionId: number }
  | { view: 'delegations'; competitionId: number }
  | { view: 'competition-judges'; competitionId: number }
  | { view: 'event-new'; competitionId: number }
  | { view: 'event'; competitionId: number; eventId: number; tab: EventTab }
  | { view: 'not-found' };

export const EVENT_TABS = ['entrants', 'import', 'checkin', 'draw', 'judges', 'rounds', 'difficulty', 'elements', 'scores', 'edit'] as const;
export type EventTab = (typeof EVENT_TABS)[number];

/** Parses /org/… paths; unknown ones are 'not-found' rather than silently the dashboard. */
export function parseOrgPath(path: string): OrgRoute {
  const parts = path.replace(/\/+$/, '').split('/').slice(2); // drop '' and 'org'
  const [a, b, c, d, e, f] = parts;
  const id = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : NaN);
  if (parts.length === 0) return { view: 'dashboard' };
  if (a !== 'competitions') return { view: 'not-found' };
  if (parts.length === 1) return { view: 'competitions' };
  if (b === 'new' && parts.length === 2) return { view: 'competition-new' };
  const competitionId = id(b);
  if (Number.isNaN(competitionId)) return { view: 'not-found' };
  if (parts.length === 2) return { view: 'competition', competitionId };
  if (c === 'edit' && parts.length === 3) return { view: 'competition-edit', competitionId };
  if (c === 'delegations' && parts.length === 3) return { view: 'delegations', competitionId };
  if (c === 'judges' && parts.length === 3) return { view: 'competition-judges', competitionId };
  if (c !== 'events') return { view: 'not-found' };
  if (d === 'new' && parts.length === 4) return { view: 'event-new', competitionId };
  const eventId = id(d);
  if (Number.isNaN(eventId) || parts.length > 6) return { view: 'not-found' };
  const tab = (e ?? 'entrants') as EventTab;
  if (!EVENT_TABS.includes(tab) || f !== undefined) return { view: 'not-found' };
  return { view: 'event', competitionId, eventId, tab };
}

/**
 * The organisers' area (竞赛组委会): dashboard, competitions, events with their scoring schemes,
 * entrants (one by one or from a spreadsheet), delegations, judges, the draw and check-in.
 * Receives the path from the shell and routes its own sub-pages; holds the current competition
 * and event so every sub-page shows the same, reloaded once when one of them changes it.
 */
@customElement('sc-organiser-page')
export class OrganiserPage extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      :host {
        max-width: 1200px;
        margin: 0 auto;
        padding: 12px 16px 48px;
      }
      nav.top {
        display: flex;
        gap: 4px;
        flex-wrap: wrap;
        align-items: center;
        margin-bottom: 8px;
      }
      nav.top a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        padding: 0 14px;
        border-radius: 8px;
        color: var(--sc-fg);
        text-decoration: none;
      }
      nav.top a[aria-current='page'] {
        background: var(--sc-card);
        border: 1px solid var(--sc-line);
        font-weight: 600;
      }
      .crumbs {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        align-items: center;
        font-size: 14px;
        color: var(--sc-muted);
        margin: 0 0 12px;
        padding: 0;
        list-style: none;
      }
      .crumbs li {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        min-width: 0;
      }
      .crumbs li + li::before {
        content: '›';
      }
      .crumbs a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        color: var(--sc-focus);
        overflow-wrap: anywhere;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  /** The path under /org, set by the shell. */
  @property() path = '/org';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: Session = null;
  /** Our own look-up, so a reload does not flash "sign in" before the shell's arrives. */
  @state() private ownSession: Session | undefined = undefined;

  @state() private competition: Competition | null = null;
  @state() private event: ScEvent | null = null;
  @state() private loadError: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void fetchSession().then((s) => (this.ownSession = s));
    this.addEventListener(OrgDataChangedEvent.type, () => void this.loadContext(true));
  }

  private get route(): OrgRoute {
    return parseOrgPath(this.path);
  }

  private get who(): Session {
    return this.session ?? this.ownSession ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('path')) void this.loadContext(false);
  }

  /** Loads the competition and event the route names (kept when they are already the ones shown). */
  private loads = 0;

  private async loadContext(force: boolean) {
    const r = this.route;
    const cid = 'competitionId' in r ? r.competitionId : null;
    const eid = 'eventId' in r ? r.eventId : null;
    // Only the latest load may set the state: a slow answer for a page left behind is dropped.
    const mine = ++this.loads;
    this.loadError = null;
    try {
      const competition =
        cid === null ? null : force || this.competition?.id !== cid ? await api<Competition>('GET', `/api/competitions/${cid}`) : this.competition;
      const event = eid === null ? null : force || this.event?.id !== eid ? await api<ScEvent>('GET', `/api/events/${eid}`) : this.event;
      if (mine !== this.loads) return;
      this.competition = competition;
      this.event = event;
    } catch (err) {
      if (mine === this.loads) this.loadError = err;
    }
  }

  private navLink(href: string, label: string, current: boolean) {
    return html`<a href=${href} aria-current=${current ? 'page' : 'false'}>${label}</a>`;
  }

  private crumbs(): TemplateResult | typeof nothing {
    const r = this.route;
    if (r.view === 'dashboard' || r.view === 'competitions' || r.view === 'not-found') return nothing;
    const items: TemplateResult[] = [html`<li><a href="/org/competitions">${t('org.nav.competitions')}</a></li>`];
    const c = this.competition;
    if ('competitionId' in r && c && c.id === r.competitionId) {
      items.push(html`<li><a href="/org/competitions/${c.id}">${c.name}</a></li>`);
      const e = this.event;
      if (r.view === 'event' && e && e.id === r.eventId) items.push(html`<li><a href="/org/competitions/${c.id}/events/${e.id}">${e.name}</a></li>`);
    }
    return html`<ol class="crumbs" aria-label=${t('org.nav.crumbs')}>
      ${items}
    </ol>`;
  }

  private renderView(): TemplateResult {
    const r = this.route;
    const s = this.who;
    const canManage = s?.kind === 'staff' && MANAGER_ROLES.includes(s.role);
    const c = 'competitionId' in r && this.competition?.id === r.competitionId ? this.competition : null;
    const e = r.view === 'event' && this.event?.id === r.eventId ? this.event : null;
    if (this.loadError) return html`${errorBanner(this.loadError)}<p><a href="/org/competitions">${t('org.backToList')}</a></p>`;
    switch (r.view) {
      case 'dashboard':
        return html`<sc-org-dashboard .canManage=${canManage}></sc-org-dashboard>`;
      case 'competitions':
        return html`<sc-org-competitions .canManage=${canManage}></sc-org-competitions>`;
      case 'competition-new':
        return html`<sc-org-competition-form></sc-org-competition-form>`;
      case 'competition':
        return c ? html`<sc-org-competition .competition=${c} .canManage=${canManage}></sc-org-competition>` : html`<sc-loading></sc-loading>`;
      case 'competition-edit':
        return c ? html`<sc-org-competition-form .competition=${c}></sc-org-competition-form>` : html`<sc-loading></sc-loading>`;
      case 'delegations':
        return c
          ? html`<sc-org-delegations .competition=${c} .canCreate=${s?.kind === 'staff' && s.role === 'admin'}></sc-org-delegations>`
          : html`<sc-loading></sc-loading>`;
      case 'competition-judges':
        return c ? html`<sc-org-competition-judges .competition=${c} .canManage=${canManage}></sc-org-competition-judges>` : html`<sc-loading></sc-loading>`;
      case 'event-new':
        return c ? html`<sc-org-event-form .competition=${c}></sc-org-event-form>` : html`<sc-loading></sc-loading>`;
      case 'event':
        return c && e
          ? html`<sc-org-event
              .competition=${c}
              .event=${e}
              .tab=${r.tab}
              .canManage=${canManage}
              .canDraw=${canManage || (s?.kind === 'staff' && c.encryptionOfficers.some((o) => o.accountId === s.accountId))}
            ></sc-org-event>`
          : html`<sc-loading></sc-loading>`;
      case 'not-found':
        return html`<p class="empty">${t('app.notFound')}</p>`;
    }
  }

  override render() {
    const s = this.who;
    if (!s) {
      if (this.ownSession === undefined) return html`<sc-loading></sc-loading>`;
      return html`<div class="card" style="max-width:480px;margin:32px auto">
        <p>${t('org.signInFirst')}</p>
        <a class="btn primary" href="/login">${t('app.signIn')}</a>
      </div>`;
    }
    if (s.kind !== 'staff') return html`<p class="empty">${t('org.staffOnly')}</p>`;
    const r = this.route;
    return html`
      <nav class="top" aria-label=${t('org.nav.label')}>
        ${this.navLink('/org', t('org.nav.dashboard'), r.view === 'dashboard')}
        ${this.navLink('/org/competitions', t('org.nav.competitions'), r.view !== 'dashboard')}
      </nav>
      ${this.crumbs()} ${this.renderView()}
    `;
  }
}
