import { fetchSession } from '../../app/session.ts';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { takeCodeFromAddress } from '../../app/sign-in-code.ts';
import { navigate } from '../../app/navigation.ts';
import { SessionChangedEvent, type Session } from '../../app/session.ts';
import '../../i18n/chief.ts';
import { sharedStyles } from '../../styles/shared.ts';
import {
  chiefStyles,
  ChiefChangedEvent,
  errorText,
  OpenMarksEvent,
  RankingPulse,
  RoundChosenEvent,
  type ChiefPanel,
  type Judge,
  type MarkingProgress,
} from './chief-shared.ts';
import '../../components/objective-grid.ts';
import '../../components/element-grid.ts';
import './corrections-panel.ts';
import { CodesIssuedEvent, type IssuedCode } from './judge-codes.ts';
import './marks-panel.ts';
import './paper-disputes.ts';
import './progress-grid.ts';
import './certainty-panel.ts';
import './quality-panel.ts';
import './release-panel.ts';

const TABS = ['grid', 'certainty', 'scores', 'elements', 'codes', 'corrections', 'marks', 'paper', 'quality', 'release'] as const;
type Tab = (typeof TABS)[number];

/** How often the console re-reads progress without a live message (correction requests and paper entries do not move the ranking). */
const POLL_MS = 20_000;

/**
 * The chief judge's console (裁判长控制台): progress grid, objective scores (theory exam, times), judge codes, correction requests,
 * direct corrections with each mark's trail, paper-entry disagreements, and locking and
 * releasing results. The chief signs in with their code (`/chief#code=…`). All state lives
 * here; the sections receive it as properties and report changes with ChiefChangedEvent.
 */
@customElement('sc-chief-page')
export class ChiefPage extends LitElement {
  static override styles = [
    sharedStyles,
    chiefStyles,
    css`
      :host {
        max-width: 1280px;
        margin: 0 auto;
        padding: 12px 16px 32px;
      }
      .event {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 4px 12px;
        margin-bottom: 8px;
      }
      .event h1 {
        font-size: 20px;
        margin: 0;
      }
      nav {
        display: flex;
        gap: 4px;
        overflow-x: auto;
        border-bottom: 2px solid var(--sc-line);
        margin-bottom: 16px;
        scrollbar-width: thin;
      }
      nav button {
        border: 0;
        border-radius: 8px 8px 0 0;
        background: transparent;
        white-space: nowrap;
        padding: 0 14px;
        position: relative;
        color: var(--sc-muted);
        flex: 0 0 auto;
      }
      nav button[aria-selected='true'] {
        color: var(--sc-accent);
        font-weight: 600;
        box-shadow: inset 0 -3px 0 var(--sc-accent);
      }
      .badge {
        display: inline-block;
        min-width: 20px;
        padding: 0 6px;
        border-radius: 10px;
        background: var(--sc-danger);
        color: #fff;
        font-size: 12px;
        line-height: 20px;
        margin-left: 4px;
        text-align: center;
      }
      .switch-event {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .switch-event select {
        min-height: 44px;
      }
      .signin {
        max-width: 440px;
        margin: 32px auto;
      }
      .signin form {
        display: flex;
        gap: 8px;
      }
      .signin input {
        flex: 1;
        min-width: 0;
        font-size: 22px;
        letter-spacing: 0.15em;
        text-transform: uppercase;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property() path = location.pathname;
  @state() private session: Session | undefined;
  @state() private signInError = '';
  @state() private panel: ChiefPanel | null = null;
  @state() private judges: Judge[] = [];
  @state() private progress: MarkingProgress | null = null;
  @state() private roundId: number | null = null;
  @state() private tab: Tab = (() => {
    const asked = new URLSearchParams(location.search).get('tab');
    return (TABS as readonly string[]).includes(asked ?? '') ? (asked as Tab) : 'grid';
  })();
  @state() private revision = 0;
  @state() private loading = false;
  @state() private updatedAt: string | null = null;
  @state() private error = '';
  @state() private marksNumber: number | null = null;
  @state() private marksJudge: number | null = null;
  @state() private issuedCodes: IssuedCode[] = [];
  /** The event the console shows: a judge may be chief of one event and supervisor of another. */
  @state() private eventId: number | null = (() => {
    const asked = Number(new URLSearchParams(location.search).get('event'));
    return Number.isInteger(asked) && asked > 0 ? asked : null;
  })();
  private readonly pulse = new RankingPulse(this, () => void this.refresh(false));
  private poll: number | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener(ChiefChangedEvent.type, () => void this.refresh(true));
    this.addEventListener(OpenMarksEvent.type, (e) => {
      const ev = e as OpenMarksEvent;
      this.marksNumber = ev.number;
      this.marksJudge = ev.judgeId;
      this.show('marks');
    });
    this.addEventListener(CodesIssuedEvent.type, (e) => (this.issuedCodes = (e as CodesIssuedEvent).issued));
    this.addEventListener(RoundChosenEvent.type, (e) => {
      this.roundId = (e as RoundChosenEvent).roundId;
      void this.loadProgress();
    });
    this.poll = window.setInterval(() => {
      if (document.visibilityState === 'visible' && this.panel) void this.refresh(false);
    }, POLL_MS);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.poll);
  }

  /** Signs in with the code in the address when given (`#code=`, then it leaves it), then loads the console. */
  private async start() {
    const code = takeCodeFromAddress();
    if (code) {
      await this.signIn(code);
      return;
    }
    await this.loadSession();
  }

  private async signIn(code: string) {
    this.signInError = '';
    try {
      await api('POST', '/api/auth/judge-login', { code: code.trim().toUpperCase() });
      this.dispatchEvent(new SessionChangedEvent());
    } catch (err) {
      this.signInError = err instanceof ApiError && err.status === 401
          ? t('chief.signIn.bad')
          : err instanceof ApiError && err.code === 'too_many_sign_in_failures'
            ? t('login.tooMany', { seconds: err.params.retryAfterSeconds ?? 60 })
            : errorText(err);
    }
    await this.loadSession();
  }

  private async loadSession() {
    this.session = await fetchSession();
    const s = this.session;
    // The judges' page sends every panel member who is not a judge here: scorers have a page of their own.
    if (s?.kind === 'judge' && this.watched().length === 0 && s.events.some((e) => e.role === 'scorer')) return navigate('/scorer');
    if (this.mayWatch()) await this.loadConsole();
  }

  /** The events this judge runs (chief) or watches (supervisor). */
  private watched() {
    const s = this.session;
    return s?.kind === 'judge' ? s.events.filter((e) => e.role === 'chief' || e.role === 'supervisor') : [];
  }

  /** The chief judge runs the console; the event's supervisor may watch its progress grid. */
  private mayWatch(): boolean {
    return this.watched().length > 0;
  }

  private isChief(): boolean {
    return this.watched().find((e) => e.eventId === this.panel?.event.id)?.role === 'chief';
  }

  /** Shows another event this judge runs or watches. */
  private async chooseEvent(eventId: number) {
    if (eventId === this.panel?.event.id) return;
    this.eventId = eventId;
    this.issuedCodes = [];
    this.judges = [];
    this.progress = null;
    const params = new URLSearchParams(location.search);
    params.set('event', String(eventId));
    history.replaceState(null, '', `${location.pathname}?${params}`);
    await this.loadConsole();
  }

  private async loadConsole() {
    const watched = this.watched();
    const eventId = watched.some((e) => e.eventId === this.eventId) ? this.eventId! : watched[0]!.eventId;
    this.eventId = eventId;
    try {
      this.panel = await api<ChiefPanel>('GET', `/api/judge/panel?eventId=${eventId}`);
      this.roundId = this.panel.currentRoundId;
      this.pulse.follow(`/api/public/events/${this.panel.event.id}/live`);
      await Promise.all([this.loadProgress(), this.isChief() ? this.loadJudges() : undefined]);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async loadProgress() {
    if (!this.panel) return;
    this.loading = true;
    try {
      const q = this.roundId ? `?roundId=${this.roundId}` : '';
      this.progress = await api<MarkingProgress>('GET', `/api/events/${this.panel.event.id}/progress${q}`);
      this.roundId = this.progress.roundId;
      this.updatedAt = new Date().toISOString();
      this.error = '';
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.loading = false;
    }
  }

  private async loadJudges() {
    if (!this.panel) return;
    this.judges = await api<Judge[]>('GET', `/api/events/${this.panel.event.id}/judges`);
  }

  /** Re-reads what may have changed; `all` also reloads the panel (codes) and the open section. */
  private async refresh(all: boolean) {
    this.revision++;
    await Promise.all([this.loadProgress(), all && this.isChief() ? this.loadJudges().catch(() => undefined) : undefined]);
  }

  private show(tab: Tab) {
    this.tab = tab;
    const params = new URLSearchParams(location.search);
    params.set('tab', tab);
    history.replaceState(null, '', `${location.pathname}?${params}`);
  }

  private renderSignIn() {
    const s = this.session;
    const wrongRole = s?.kind === 'judge';
    return html`<div class="signin card">
      <h2>${t('chief.signIn.title')}</h2>
      ${wrongRole
        ? html`<p class="error">${t('chief.signIn.notChief', { name: s.name })}</p>
            <p><a href="/judge">${t('chief.signIn.yourPage')}</a></p>`
        : html`<p class="muted">${t('chief.signIn.hint')}</p>`}
      <form
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          void this.signIn(String(new FormData(e.target as HTMLFormElement).get('code') ?? ''));
        }}
      >
        <input name="code" maxlength="8" autocomplete="off" autocapitalize="characters" aria-label=${t('chief.signIn.code')} data-testid="chief-code" />
        <button class="primary" type="submit">${t('app.signIn')}</button>
      </form>
      ${this.signInError ? html`<p class="error" role="alert">${this.signInError}</p>` : nothing}
    </div>`;
  }

  private renderTab(tab: Tab) {
    const panel = this.panel!;
    const eventId = panel.event.id;
    const released = this.progress?.released ?? panel.event.released;
    // The chosen round's scheme: a final may mark other parts than the preliminary.
    const scheme = panel.rounds.find((r) => r.id === this.roundId)?.scheme ?? panel.scheme;
    switch (tab) {
      case 'certainty':
        return html`<sc-chief-certainty .eventId=${eventId} .roundId=${this.roundId ?? 0} .revision=${this.revision}></sc-chief-certainty>`;
      case 'grid':
        return html`<sc-chief-progress .progress=${this.progress} ?live=${this.pulse.connected} ?loading=${this.loading} .updatedAt=${this.updatedAt}></sc-chief-progress>`;
      case 'scores':
        return html`<sc-objective-grid .eventId=${eventId}></sc-objective-grid>`;
      case 'elements':
        return html`<sc-element-grid .eventId=${eventId} .roundId=${this.roundId} canEnter canVoid .revision=${this.revision}></sc-element-grid>`;
      case 'codes':
        return html`<sc-chief-codes
          .eventId=${eventId}
          .selfId=${panel.judge.id}
          .eventName=${panel.event.name}
          .competitionName=${panel.event.competitionName}
          .judges=${this.judges}
          .issued=${this.issuedCodes}
        ></sc-chief-codes>`;
      case 'corrections':
        return html`<sc-chief-corrections .eventId=${eventId} .scheme=${scheme} .revision=${this.revision}></sc-chief-corrections>`;
      case 'marks':
        return html`<sc-chief-marks
          .eventId=${eventId}
          .roundId=${this.roundId ?? 0}
          .scheme=${scheme}
          .judges=${this.judges}
          .released=${released}
          .number=${this.marksNumber}
          .highlightJudge=${this.marksJudge}
          .revision=${this.revision}
        ></sc-chief-marks>`;
      case 'paper':
        return html`<sc-chief-paper .eventId=${eventId} .scheme=${scheme} .revision=${this.revision} .released=${released}></sc-chief-paper>`;
      case 'quality':
        return html`<sc-chief-quality .eventId=${eventId} ?chief=${this.isChief()} .judges=${this.judges} .revision=${this.revision}></sc-chief-quality>`;
      case 'release':
        return html`<sc-chief-release .eventId=${eventId} .progress=${this.progress} .revision=${this.revision}></sc-chief-release>`;
    }
  }

  override render() {
    if (this.session === undefined) return html`<p class="empty">${t('app.loading')}</p>`;
    if (!this.mayWatch()) return this.renderSignIn();
    if (!this.panel) return html`<p class="empty">${this.error || t('app.loading')}</p>`;
    const p = this.progress;
    const badges: Partial<Record<Tab, number>> = { corrections: p?.pendingCorrections ?? 0, paper: p?.openPaperDisputes ?? 0 };
    // A supervisor watches the grid, the certainty of the outcome and judge quality (the supervision group's work); every other section acts as the chief judge.
    const allTabs = this.isChief() ? TABS : (['grid', 'certainty', 'quality'] as const);
    // Base values and void elements only where the round's scheme scores by element.
    const roundScheme = this.panel.rounds.find((r) => r.id === this.roundId)?.scheme ?? this.panel.scheme;
    const tabs = allTabs.filter((tab) => tab !== 'elements' || roundScheme.parts.some((part) => part.marking !== 'objective' && (part.aggregateBy === 'element' || part.usesBaseValues)));
    const current: Tab = (tabs as readonly Tab[]).includes(this.tab) ? this.tab : 'grid';
    return html`
      <div class="event">
        <h1>${t('chief.title')} · ${this.panel.event.name}</h1>
        ${this.watched().length > 1
          ? html`<label class="switch-event"
              >${t('chief.event')}
              <select data-testid="choose-event" @change=${(e: Event) => void this.chooseEvent(Number((e.target as HTMLSelectElement).value))}>
                ${this.watched().map(
                  (e) => html`<option value=${e.eventId} ?selected=${e.eventId === this.panel!.event.id}>${e.eventName} · ${t(`chief.role.${e.role}`)}</option>`,
                )}
              </select></label
            >`
          : nothing}
        <span class="muted">${this.panel.event.competitionName}</span>
        ${p?.released ? html`<span class="pill ok">${t('chief.released')}</span>` : nothing}
        ${this.isChief() ? nothing : html`<span class="pill">${t('chief.supervisorView')}</span>`}
      </div>
      <nav role="tablist">
        ${tabs.map(
          (tab) => html`<button role="tab" aria-selected=${current === tab} data-testid="tab-${tab}" @click=${() => this.show(tab)}>
            ${t(`chief.tab.${tab}`)}${badges[tab] ? html`<span class="badge">${badges[tab]}</span>` : nothing}
          </button>`,
        )}
      </nav>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing} ${this.renderTab(current)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-chief-page': ChiefPage;
  }
}
