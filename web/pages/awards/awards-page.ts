import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { fetchSession } from '../../app/session.ts';
import { t } from '../../app/i18n.ts';
import '../../i18n/awards.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fetchAll, MANAGER_ROLES, query, StaffPage, staffStyles, TITLE_ROLES, type Page } from '../people/staff-ui.ts';
import { AwardsChangedEvent, type Competition, type Presets, type Publication, type ScEvent } from './awards-types.ts';
import './prize-panel.ts';
import './proposals-panel.ts';
import './publication-panel.ts';
import './rules-panel.ts';

type Tab = 'publication' | 'prizes' | 'proposals' | 'rules';
const TABS: Tab[] = ['publication', 'prizes', 'proposals', 'rules'];

/**
 * /awards — what results lead to, per event: the publicity period and appeals (with the results
 * check, read-only), prizes (rule editor with a live preview, then award), title proposals
 * (generate, sign for the union or the HR bureau, reject), and the title rules and types.
 * The chosen event and tab are kept in the address (?event=…&tab=…).
 */
@customElement('sc-awards-page')
export class AwardsPage extends StaffPage {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      .chooser {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        gap: 0 12px;
        align-items: end;
      }
      .chooser select {
        width: 100%;
      }
      .chooser label {
        margin-top: 0;
      }
      .context {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-top: 8px;
        font-size: 14px;
      }
      @media (max-width: 700px) {
        .chooser {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  @property() path = '/awards';
  @state() private tab: Tab = 'publication';
  @state() private competitions: Competition[] | null = null;
  @state() private competitionId: number | null = null;
  @state() private events: ScEvent[] = [];
  @state() private eventId: number | null = null;
  @state() private publication: Publication | null = null;
  @state() private presets: Presets | null = null;
  @state() private error: unknown = null;
  /** Bumped when a panel changed something, so the others reload. */
  @state() private revision = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    const params = new URLSearchParams(location.search);
    const tab = params.get('tab') as Tab | null;
    if (tab && TABS.includes(tab)) this.tab = tab;
    this.wantedEvent = Number(params.get('event')) || null;
    // The HR page's "waiting for the bureau" link opens the proposals still to sign (?status=proposed).
    const status = params.get('status');
    if (status === 'proposed' || status === 'approved' || status === 'rejected') this.proposalStatus = status;
    this.addEventListener(AwardsChangedEvent.type, () => {
      this.revision++;
      void this.loadPublication();
    });
  }

  /** The proposals' status filter asked for in the address (?status=). */
  @state() private proposalStatus: '' | 'proposed' | 'approved' | 'rejected' = '';
  /** The event asked for in the address (?event=), opened once signed in. */
  private wantedEvent: number | null = null;

  protected override whenSignedIn(): void {
    void this.init(this.wantedEvent);
  }

  private async init(wantedEvent: number | null) {
    try {
      const [competitions, presets] = await Promise.all([fetchAll<Competition>('/api/competitions'), api<Presets>('GET', '/api/title-rules/presets')]);
      this.competitions = competitions;
      this.presets = presets;
      if (wantedEvent) {
        const event = await api<ScEvent>('GET', `/api/events/${wantedEvent}`).catch(() => null);
        if (event) {
          await this.chooseCompetition(event.competitionId, event.id);
          return;
        }
      }
      // The HR bureau runs no competitions of its own (it may co-organise some): its work here is signing proposals.
      const who = this.staff ?? (await fetchSession());
      const hrOfficer = who?.kind === 'staff' && who.role === 'hr_officer';
      if (competitions.length === 0 && this.tab !== 'rules') this.tab = 'proposals';
      else if (hrOfficer && this.tab === 'publication') this.tab = 'proposals';
    } catch (err) {
      this.error = err;
    }
  }

  private async chooseCompetition(id: number | null, eventId: number | null = null) {
    this.competitionId = id;
    this.events = [];
    this.eventId = null;
    this.publication = null;
    if (!id) return this.remember();
    try {
      const page = await api<Page<ScEvent>>('GET', `/api/competitions/${id}/events${query({ pageSize: 200 })}`);
      this.events = page.items;
      const chosen = eventId ?? (page.items.length === 1 ? page.items[0]!.id : null);
      if (chosen) await this.chooseEvent(chosen);
      else this.remember();
    } catch (err) {
      this.error = err;
    }
  }

  private async chooseEvent(id: number | null) {
    this.eventId = id;
    this.publication = null;
    this.remember();
    await this.loadPublication();
  }

  private async loadPublication() {
    if (!this.eventId) return;
    try {
      this.publication = await api<Publication>('GET', `/api/events/${this.eventId}/publication`);
    } catch (err) {
      this.error = err;
    }
  }

  private remember() {
    const q = query({ event: this.eventId, tab: this.tab === 'publication' ? null : this.tab });
    history.replaceState(null, '', `/awards${q}`);
  }

  private select(tab: Tab) {
    this.tab = tab;
    this.remember();
  }

  /** Without competitions (an HR bureau) only the proposals and the rules concern the user. */
  private get visibleTabs(): Tab[] {
    return this.competitions?.length === 0 ? TABS.filter((x) => x === 'proposals' || x === 'rules') : TABS;
  }

  private get event(): ScEvent | null {
    return this.events.find((e) => e.id === this.eventId) ?? null;
  }

  private stageBadge(p: Publication) {
    const cls = p.stage === 'final' ? 'ok' : p.stage === 'publicity' ? 'warn' : '';
    return html`<span class="badge ${cls}" data-testid="stage">${t(`aw.stage.${p.stage}`)}</span>`;
  }

  private renderChooser() {
    const list = this.competitions;
    if (!list) return html`<p class="muted">${t('app.loading')}</p>`;
    if (list.length === 0) return html`<p class="banner warn-banner">${t('aw.noCompetitions')}</p>`;
    return html`<div class="card">
      <div class="chooser">
        <div>
          <label for="competition">${t('aw.competition')}</label>
          <select id="competition" data-testid="competition" @change=${(e: Event) => this.chooseCompetition(Number((e.target as HTMLSelectElement).value) || null)}>
            <option value="" ?selected=${!this.competitionId}>${t('aw.choose')}</option>
            ${list.map((c) => html`<option value=${c.id} ?selected=${c.id === this.competitionId}>${c.name}（${t('aw.grade', { grade: c.grade })}）</option>`)}
          </select>
        </div>
        <div>
          <label for="event">${t('aw.event')}</label>
          <select id="event" data-testid="event" ?disabled=${!this.competitionId} @change=${(e: Event) => this.chooseEvent(Number((e.target as HTMLSelectElement).value) || null)}>
            <option value="" ?selected=${!this.eventId}>${t('aw.choose')}</option>
            ${this.events.map((ev) => html`<option value=${ev.id} ?selected=${ev.id === this.eventId}>${ev.name}${ev.releasedAt ? '' : `（${t('aw.notReleased')}）`}</option>`)}
          </select>
        </div>
      </div>
      ${this.event && this.publication
        ? html`<div class="context">
            ${this.stageBadge(this.publication)}
            <span class="muted">${[this.event.occupationName, this.event.occupationCode].filter(Boolean).join(' ')}${this.event.occupationCode ? ' · ' : ''}${t('aw.entrants', { n: this.event.entrantCount })}</span>
          </div>`
        : nothing}
    </div>`;
  }

  private renderPanel() {
    const event = this.event;
    const needsEvent = this.tab === 'publication' || this.tab === 'prizes';
    if (needsEvent && !event) return html`<p class="empty">${t('aw.chooseEvent')}</p>`;
    const manage = this.can(MANAGER_ROLES);
    switch (this.tab) {
      case 'publication':
        return html`<sc-aw-publication .event=${event} .publication=${this.publication} ?manage=${manage} .revision=${this.revision}></sc-aw-publication>`;
      case 'prizes':
        return html`<sc-aw-prizes .event=${event} .publication=${this.publication} .presets=${this.presets} ?manage=${manage} .revision=${this.revision}></sc-aw-prizes>`;
      case 'proposals':
        return html`<sc-aw-proposals
          .event=${event}
          .staffRole=${this.staff?.role ?? ''}
          ?canGenerate=${this.can(TITLE_ROLES)}
          .revision=${this.revision}
          .status=${this.proposalStatus}
        ></sc-aw-proposals>`;
      case 'rules':
        return html`<sc-aw-rules .presets=${this.presets} .orgId=${this.staff?.orgId ?? 0} ?manage=${this.can(TITLE_ROLES)}></sc-aw-rules>`;
    }
  }

  override render() {
    if (!this.staff) return html`<h1>${t('aw.title')}</h1>${this.signInPrompt()}`;
    return html`
      <div class="row">
        <h1>${t('aw.title')}</h1>
        <span class="spacer"></span>
        <!-- Titles conferred by nomination and review rather than by a competition's results. -->
        <a class="btn" href="/awards/selections" data-testid="to-selections">${t('aw.selections')}</a>
      </div>
      ${errorBanner(this.error)} ${this.renderChooser()}
      <div class="tabs" role="tablist" style="margin-top:16px">
        ${this.visibleTabs.map(
          (tab) => html`<button role="tab" aria-selected=${this.tab === tab ? 'true' : 'false'} @click=${() => this.select(tab)} data-testid="tab-${tab}">
            ${t(`aw.tab.${tab}`)}
          </button>`,
        )}
      </div>
      <div role="tabpanel">${this.renderPanel()}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-awards-page': AwardsPage;
  }
}
