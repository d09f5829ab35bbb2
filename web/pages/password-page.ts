import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError } from '../api/client.ts';
import { LocaleController, t } from '../app/i18n.ts';
import { landingFor, navigate } from '../app/navigation.ts';
import { passwordProblem, passwordProblemText } from '../app/password-policy.ts';
import { fetchSession, sessionContext, SessionChangedEvent, type Session } from '../app/session.ts';
import { errorBanner } from '../components/error-banner.ts';
import { sharedStyles } from '../styles/shared.ts';

/**
 * A staff member chooses their own password: always reachable from their name in the header, and
 * the only page open to an account whose password an administrator set (the shell sends them here).
 * The rule is checked as they type with the server's own policy, so the form never fails on it.
 */
@customElement('sc-password-page')
export class PasswordPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        max-width: 460px;
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
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: Session = null;
  @state() private errors: Record<string, string | undefined> = {};
  @state() private error: unknown = null;
  @state() private busy = false;
  @state() private done = false;

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    if (this.session?.kind !== 'staff') return;
    // Taken now: after the first await the event's target (inside the shadow root) is gone.
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const currentPassword = String(f.get('current') ?? '');
    const newPassword = String(f.get('new') ?? '');
    const problem = passwordProblem(newPassword, this.session.username);
    this.errors = {
      new: problem ? t(`password.err.${problem}`) : undefined,
      repeat: newPassword !== f.get('repeat') ? t('password.mismatch') : undefined,
    };
    this.error = null;
    if (this.errors.new || this.errors.repeat) return;
    this.busy = true;
    try {
      await api('POST', '/api/auth/password', { currentPassword, newPassword });
      this.done = true;
      form.reset();
      const forced = this.session.mustChangePassword;
      this.dispatchEvent(new SessionChangedEvent());
      // After a forced change, on to the work waiting for this role.
      if (forced) navigate(landingFor(await fetchSession()));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'wrong_current_password') this.errors = { current: t('password.err.wrong_current_password') };
      else if (err instanceof ApiError && err.code === 'password_reused') this.errors = { new: t('password.err.password_reused') };
      else if (err instanceof ApiError && err.fieldMessage('newPassword')) this.errors = { new: passwordProblemText(err.fieldMessage('newPassword')) };
      else this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private fieldError(name: string) {
    const m = this.errors[name];
    return m ? html`<div class="field-error" role="alert" data-testid="error-${name}">${m}</div>` : nothing;
  }

  override render() {
    if (this.session?.kind !== 'staff') return html`<p class="muted">${t('app.signIn')}</p>`;
    return html`
      <h1>${t('password.heading')}</h1>
      ${this.session.mustChangePassword ? html`<p class="banner warn-banner" data-testid="forced">${t('password.forced')}</p>` : nothing}
      ${this.done ? html`<p class="banner ok-banner" role="status" data-testid="done">${t('password.done')}</p>` : nothing}
      ${this.error ? errorBanner(this.error) : nothing}
      <form class="card" @submit=${this.submit} data-testid="password-form">
        <input type="text" name="username" autocomplete="username" .value=${this.session.username} hidden />
        <label for="current">${t('password.current')}</label>
        <input id="current" name="current" type="password" autocomplete="current-password" required />
        ${this.fieldError('current')}
        <label for="new">${t('password.new')}</label>
        <input id="new" name="new" type="password" autocomplete="new-password" required aria-describedby="rule" />
        <div id="rule" class="muted">${t('password.rule')}</div>
        ${this.fieldError('new')}
        <label for="repeat">${t('password.repeat')}</label>
        <input id="repeat" name="repeat" type="password" autocomplete="new-password" required />
        ${this.fieldError('repeat')}
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('password.submit')}</button>
      </form>
    `;
  }
}
