import { ContextProvider } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { api } from '../api/client.ts';
import '../i18n/common.ts';
import { sharedStyles } from '../styles/shared.ts';
import { currentLang, LocaleController, setLang, t } from './i18n.ts';
import { areasFor, navigate, PASSWORD_PAGE } from './navigation.ts';
import { matchRoute } from './router.ts';
import { fetchSessionState, idleSignInPath, OfflineSessionEvent, SESSION_IDLE_EVENT, sessionContext, SessionChangedEvent, type Session } from './session.ts';
import { notifySignedOut, signOutWarnings } from './sign-out.ts';
import '../components/confirm-dialog.ts';
import type { ConfirmEvent } from '../components/confirm-dialog.ts';

/** How soon the shell asks again who is signed in when the server could not be reached. */
const SESSION_RETRY_MS = 10_000;

/**
 * The shell: top bar (title, language, who is signed in), client-side routing to lazily loaded
 * pages, and the session provided to every page through @lit/context.
 */
@customElement('sc-app')
export class ScApp extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      header {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 6px 16px;
        background: var(--sc-card);
        border-bottom: 1px solid var(--sc-line);
        min-height: 56px;
      }
      header a.title {
        font-weight: 600;
        font-size: 18px;
        color: var(--sc-fg);
        text-decoration: none;
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .who {
        color: var(--sc-muted);
        text-decoration: none;
        font-size: 14px;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        max-width: 30vw;
      }
      nav.areas {
        display: flex;
        gap: 4px;
        padding: 0 12px;
        background: var(--sc-card);
        border-bottom: 1px solid var(--sc-line);
        /* Wraps rather than scrolls: every area stays in sight on a portrait tablet. */
        flex-wrap: wrap;
      }
      nav.areas a {
        display: inline-flex;
        align-items: center;
        min-height: 48px;
        padding: 0 14px;
        white-space: nowrap;
        color: var(--sc-fg);
        text-decoration: none;
        border-bottom: 3px solid transparent;
      }
      nav.areas.inline {
        border: none;
        padding: 0;
        background: none;
      }
      nav.areas.inline a {
        min-height: 44px;
        padding: 0 10px;
      }
      nav.areas a[aria-current='page'] {
        border-bottom-color: var(--sc-accent);
        font-weight: 600;
      }
      main {
        display: block;
      }
      .center {
        padding: 48px 16px;
        text-align: center;
      }
      @media print {
        header,
        nav.areas {
          display: none;
        }
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  private readonly sessionProvider = new ContextProvider(this, { context: sessionContext, initialValue: null });
  @state() private path = location.pathname;
  @state() private loaded = new Set<string>();
  @state() private session: Session = null;
  /** Pages whose chunk failed to load (offline): tried again when the network returns. */
  @state() private failed = new Set<string>();
  @state() private confirmingSignOut = false;
  @state() private signOutWarnings: string[] = [];
  /** Asking /auth/session again after it could not be reached. */
  private sessionRetry: ReturnType<typeof setTimeout> | undefined;
  /** The server has said who is signed in (else the bar may show the judge a tablet kept offline). */
  private sessionAnswered = false;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    window.addEventListener('online', this.retryLoad);
    window.addEventListener(SESSION_IDLE_EVENT, this.onSessionIdle);
    this.addEventListener('click', this.onClick);
    this.addEventListener(SessionChangedEvent.type, () => void this.loadSession());
    this.addEventListener(OfflineSessionEvent.type, (e) => {
      // Only while the server could not be asked: its answer, when it comes, wins.
      if (this.sessionAnswered || this.session) return;
      this.session = (e as OfflineSessionEvent).session;
      this.sessionProvider.setValue(this.session);
    });
    void this.loadSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
    window.removeEventListener('online', this.retryLoad);
    window.removeEventListener(SESSION_IDLE_EVENT, this.onSessionIdle);
    clearTimeout(this.sessionRetry);
  }

  /** A request found the staff session ended for idleness: sign in again, then back to this page. */
  private onSessionIdle = () => {
    this.session = null;
    this.sessionProvider.setValue(null);
    if (this.path !== '/login') navigate(idleSignInPath(location.pathname + location.search));
  };

  private retryLoad = () => {
    this.failed = new Set();
    if (this.sessionRetry !== undefined) void this.loadSession();
  };

  private onPopState = () => {
    this.path = location.pathname;
    this.requirePasswordChange();
  };

  /** An administrator's temporary password opens one page only: the one where it is replaced. */
  private requirePasswordChange() {
    if (this.session?.kind === 'staff' && this.session.mustChangePassword && this.path !== PASSWORD_PAGE) navigate(PASSWORD_PAGE);
  }

  /** Same-origin links navigate without reloading (composedPath reaches links inside pages' shadow roots). */
  private onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    const link = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    const href = link?.getAttribute('href');
    if (!link || !href || !href.startsWith('/') || link.target || href.startsWith('/docs') || href.startsWith('/api')) return;
    e.preventDefault();
    navigate(href);
  };

  private async loadSession() {
    clearTimeout(this.sessionRetry);
    this.sessionRetry = undefined;
    const { session, endedIdle, unknown } = await fetchSessionState();
    if (unknown) {
      // No answer (a judge's tablet reloaded on bad Wi-Fi): keep what the bar shows and ask again
      // soon, and at once when the browser says the network is back, so the bar never stays
      // "signed out" for a judge whose session is alive.
      this.sessionRetry = setTimeout(() => void this.loadSession(), SESSION_RETRY_MS);
      return;
    }
    this.sessionAnswered = true;
    this.session = session;
    this.sessionProvider.setValue(session);
    if (endedIdle && this.path !== '/login') navigate(idleSignInPath(location.pathname + location.search));
    this.requirePasswordChange();
  }

  /** The sign-out button asks first, with what pages want said (sheets still waiting to be sent). */
  private async askSignOut() {
    this.signOutWarnings = await signOutWarnings();
    this.confirmingSignOut = true;
  }

  private async signOut() {
    this.confirmingSignOut = false;
    const judge = this.session?.kind === 'judge';
    // Offline the server cannot be told; the session is dropped here all the same (its cookie
    // expires on the server), so the app never waits on the network to sign out.
    await api('POST', '/api/auth/logout').catch(() => undefined);
    this.session = null;
    this.sessionProvider.setValue(null);
    await notifySignedOut();
    // A judge goes back to the code page, which the tablet keeps for offline use.
    navigate(judge ? '/judge' : '/');
    if (navigator.onLine) void this.loadSession();
  }

  private renderPage(): TemplateResult {
    const route = matchRoute(this.path);
    if (!route) return html`<p class="center">${t('app.notFound')}</p>`;
    if (!this.loaded.has(route.tag)) {
      if (this.failed.has(route.tag))
        return html`<div class="center" role="alert" data-testid="load-failed">
          <p>${t('app.loadFailed')}</p>
          <button type="button" @click=${() => this.retryLoad()}>${t('app.retry')}</button>
        </div>`;
      void route.load().then(
        () => (this.loaded = new Set(this.loaded).add(route.tag)),
        // Offline, a page never fetched before cannot load: say so instead of "loading" forever.
        () => (this.failed = new Set(this.failed).add(route.tag)),
      );
      return html`<p class="center muted">${t('app.loading')}</p>`;
    }
    const tag = unsafeStatic(route.tag);
    return staticHtml`<${tag} .path=${this.path}></${tag}>`;
  }

  /**
   * One top navigation for every page: the areas this person may use, the current one marked. A
   * judge's few panel pages sit in the header itself, so the marking sheet keeps the tablet's
   * whole height below it.
   */
  private renderAreas(inHeader: boolean) {
    const areas = areasFor(this.session);
    if (areas.length === 0 || inHeader !== (this.session?.kind === 'judge')) return nothing;
    return html`<nav class="areas ${inHeader ? 'inline' : ''}" aria-label=${t('nav.label')} data-testid="areas">
      ${areas.map(
        (a) => html`<a href=${a.href} aria-current=${a.owns.test(this.path) ? 'page' : 'false'} data-area=${a.href}>${t(a.label)}</a>`,
      )}
    </nav>`;
  }

  override render() {
    // Venue screens are projected: no chrome around them.
    if (this.path.startsWith('/screen/')) return html`<main>${this.renderPage()}</main>`;
    const s = this.session;
    return html`
      <header>
        <a class="title" href="/">${t('app.title')}</a>
        ${this.renderAreas(true)}
        ${s?.kind === 'staff'
          ? html`<a class="who" href=${PASSWORD_PAGE} title=${t('app.password')} data-testid="who">${s.displayName}</a>`
          : s
            ? html`<span class="who">${s.name}</span>`
            : ''}
        <button @click=${() => setLang(currentLang() === 'zh-CN' ? 'en' : 'zh-CN')} data-testid="lang">${t('app.lang')}</button>
        ${s
          ? html`<button @click=${this.askSignOut} data-testid="sign-out">${t('app.signOut')}</button>`
          : html`<a class="btn" href="/login">${t('app.signIn')}</a>`}
      </header>
      ${this.renderAreas(false)}
      <main>${this.renderPage()}</main>
      ${this.confirmingSignOut
        ? html`<sc-confirm
            open
            heading=${t('app.signOut.heading')}
            message=${t('app.signOut.message')}
            .warnings=${this.signOutWarnings}
            confirmLabel=${t('app.signOut')}
            data-testid="sign-out-confirm"
            @sc-confirm=${(e: ConfirmEvent) => (e.confirmed ? void this.signOut() : (this.confirmingSignOut = false))}
          ></sc-confirm>`
        : nothing}
    `;
  }
}
