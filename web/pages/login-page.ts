import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError } from '../api/client.ts';
import { LocaleController, t } from '../app/i18n.ts';
import { landingFor, navigate } from '../app/navigation.ts';
import { fetchSession, SessionChangedEvent } from '../app/session.ts';
import { sharedStyles } from '../styles/shared.ts';

/** Staff sign-in. */
@customElement('sc-login-page')
export class LoginPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        max-width: 420px;
        margin: 32px auto;
        padding: 0 16px;
      }
      input {
        width: 100%;
        box-sizing: border-box;
      }
      button {
        margin-top: 16px;
        width: 100%;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @state() private error = '';
  @state() private busy = false;

  /** Where to go after signing in: back to the page a session that went idle was on (same-origin paths only). */
  private get next(): string | null {
    const next = new URLSearchParams(location.search).get('next');
    return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    this.busy = true;
    this.error = '';
    try {
      await api('POST', '/api/auth/login', { username: form.get('username'), password: form.get('password') });
      this.dispatchEvent(new SessionChangedEvent());
      // Straight to the work waiting for this role (see landingFor), or back where an idle session left off.
      const session = await fetchSession();
      const forced = session?.kind === 'staff' && session.mustChangePassword;
      navigate(!forced && this.next ? this.next : landingFor(session));
    } catch (err) {
      this.error =
        err instanceof ApiError && err.status === 401
          ? t('login.failed')
          : err instanceof ApiError && err.code === 'account_locked'
            ? t('login.locked', { minutes: Math.ceil(Number(err.params.retryAfterSeconds ?? 600) / 60) })
            : err instanceof ApiError && err.code === 'too_many_sign_in_failures'
              ? t('login.tooMany', { seconds: err.params.retryAfterSeconds ?? 60 })
              : err instanceof Error
                ? err.message
                : String(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      ${new URLSearchParams(location.search).get('reason') === 'idle'
        ? html`<p class="banner warn-banner" role="status" data-testid="idle-notice">${t('login.idle')}</p>`
        : ''}
      <form class="card" @submit=${this.submit}>
        <label for="u">${t('login.username')}</label>
        <input id="u" name="username" autocomplete="username" required />
        <label for="p">${t('login.password')}</label>
        <input id="p" name="password" type="password" autocomplete="current-password" required />
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('login.submit')}</button>
      </form>
    `;
  }
}
