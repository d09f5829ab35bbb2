import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../api/client.ts';
import { LocaleController, t } from '../app/i18n.ts';
import { areasFor, landingFor } from '../app/navigation.ts';
import { sessionContext, type Session } from '../app/session.ts';
import { sharedStyles } from '../styles/shared.ts';
import '../i18n/people.ts';

type Competition = { id: number; name: string; grade: string; status: string };

/** The start page: judge sign-in, staff sign-in and the venue screens of competitions under way. */
@customElement('sc-home-page')
export class HomePage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        max-width: 960px;
        margin: 0 auto;
        padding: 24px 16px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(280px, 1fr));
        gap: 16px;
      }
      h2 {
        margin: 0 0 8px;
        font-size: 20px;
      }
      form {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      form input {
        flex: 1;
        min-width: 0;
        font-size: 22px;
        letter-spacing: 0.15em;
        text-transform: uppercase;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      li a {
        display: flex;
        align-items: center;
        min-height: 48px;
        color: var(--sc-fg);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @state() private competitions: Competition[] = [];
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: Session = null;

  override connectedCallback(): void {
    super.connectedCallback();
    api<Competition[]>('GET', '/api/public/competitions')
      .then((list) => (this.competitions = list))
      .catch(() => undefined);
  }

  private judgeSignIn(e: SubmitEvent) {
    e.preventDefault();
    const code = new FormData(e.target as HTMLFormElement).get('code');
    location.href = `/judge#code=${encodeURIComponent(String(code ?? '').trim().toUpperCase())}`;
  }

  override render() {
    return html`
      <div class="grid">
        ${this.session
          ? html`<section class="card" data-testid="manage">
              <h2>${t('home.manage')}</h2>
              <p><a class="btn primary" href=${landingFor(this.session)}
                >${t('home.continue')}</a
              ></p>
              <ul>
                ${areasFor(this.session).map((a) => html`<li><a href=${a.href}>${t(a.label)}</a></li>`)}
              </ul>
            </section>`
          : nothing}
        <section class="card">
          <h2>${t('home.judge')}</h2>
          <p class="muted">${t('home.judgeHint')}</p>
          <form @submit=${this.judgeSignIn}>
            <input name="code" maxlength="8" autocomplete="off" autocapitalize="characters" aria-label=${t('home.judge')} />
            <button class="primary" type="submit">${t('app.signIn')}</button>
          </form>
        </section>
        <section class="card">
          <h2>${t('home.staff')}</h2>
          <p><a class="btn primary" href="/login">${t('app.signIn')}</a></p>
          <p><a href="/docs">${t('home.docs')}</a></p>
        </section>
        <section class="card">
          <h2>${t('home.screens')}</h2>
          <ul>
            ${this.competitions.map((c) => html`<li><a href="/screen/competition/${c.id}">${c.name}（${c.grade}）</a></li>`)}
          </ul>
          <p><a href="/results">${t('home.results')}</a></p>
        </section>
      </div>
    `;
  }
}
