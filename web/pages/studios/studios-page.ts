import { consume } from '@lit/context';
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import { fetchSession, sessionContext, type Session } from '../../app/session.ts';
import '../../i18n/studios.ts';
import { sharedStyles } from '../../styles/shared.ts';
import './five-smalls.ts';
import './studio-alliances.ts';
import './studio-dashboard.ts';
import './studio-detail.ts';
import './studio-evaluations.ts';
import './studio-form.ts';
import './studio-registry.ts';
import { studioStyles } from './studios-shared.ts';

/** What a path under /studios shows. */
export type StudiosRoute =
  | { view: 'registry' }
  | { view: 'new' }
  | { view: 'studio'; id: number }
  | { view: 'dashboard' }
  | { view: 'evaluations' }
  | { view: 'evaluation'; id: number }
  | { view: 'alliances' }
  | { view: 'alliance'; id: number }
  | { view: 'campaigns' }
  | { view: 'campaign'; id: number }
  | { view: 'not-found' };

/** Parses /studios/… paths; unknown ones are 'not-found' rather than silently the registry. */
export function parseStudiosPath(path: string): StudiosRoute {
  const parts = path.replace(/\/+$/, '').split('/').slice(2);
  const [a, b, ...rest] = parts;
  const id = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : null);
  if (rest.length > 0) return { view: 'not-found' };
  if (a === undefined) return { view: 'registry' };
  if (a === 'new' && b === undefined) return { view: 'new' };
  if (a === 'dashboard' && b === undefined) return { view: 'dashboard' };
  const lists = { evaluations: ['evaluations', 'evaluation'], alliances: ['alliances', 'alliance'], 'five-smalls': ['campaigns', 'campaign'] } as const;
  if (a in lists) {
    const [list, one] = lists[a as keyof typeof lists];
    if (b === undefined) return { view: list };
    const n = id(b);
    return n === null ? { view: 'not-found' } : { view: one, id: n };
  }
  const n = id(a);
  return n !== null && b === undefined ? { view: 'studio', id: n } : { view: 'not-found' };
}

const NAV: [string, string, StudiosRoute['view'][]][] = [
  ['/studios', 'st.nav.registry', ['registry', 'new', 'studio']],
  ['/studios/dashboard', 'st.nav.dashboard', ['dashboard']],
  ['/studios/evaluations', 'st.nav.evaluations', ['evaluations', 'evaluation']],
  ['/studios/alliances', 'st.nav.alliances', ['alliances', 'alliance']],
  ['/studios/five-smalls', 'st.nav.fiveSmalls', ['campaigns', 'campaign']],
];

/**
 * The innovation-studio area (创新工作室) of the county union and the HR bureau: the registry and
 * each studio's life cycle, the dashboard, the joint evaluation, alliances and "five smalls"
 * campaigns. Receives the path from the shell and routes its own sub-pages.
 */
@customElement('sc-studios-page')
export class StudiosPage extends LitElement {
  static override styles = [
    sharedStyles,
    studioStyles,
    css`
      :host {
        max-width: 1240px;
        margin: 0 auto;
        padding: 12px 16px 48px;
      }
      nav.top {
        display: flex;
        gap: 4px;
        flex-wrap: wrap;
        align-items: center;
        margin-bottom: 12px;
      }
      nav.top a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        padding: 0 14px;
        border-radius: 8px;
        color: var(--sc-fg);
        text-decoration: none;
        border: 1px solid transparent;
      }
      nav.top a[aria-current='page'] {
        background: var(--sc-card);
        border-color: var(--sc-line);
        font-weight: 600;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  /** The path under /studios, set by the shell. */
  @property() path = '/studios';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: Session = null;
  /** Our own look-up, so a reload does not flash "sign in" before the shell's arrives. */
  @state() private ownSession: Session | undefined = undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void fetchSession().then((s) => (this.ownSession = s));
  }

  private get who(): Session {
    return this.session ?? this.ownSession ?? null;
  }

  private renderView(route: StudiosRoute, role: string): TemplateResult {
    switch (route.view) {
      case 'registry':
        return html`<sc-studio-registry .staffRole=${role}></sc-studio-registry>`;
      case 'new':
        return html`<sc-studio-form .staffRole=${role}></sc-studio-form>`;
      case 'studio':
        return html`<sc-studio-detail .studioId=${route.id}></sc-studio-detail>`;
      case 'dashboard':
        return html`<sc-studio-dashboard></sc-studio-dashboard>`;
      case 'evaluations':
        return html`<sc-studio-evaluations .staffRole=${role}></sc-studio-evaluations>`;
      case 'evaluation':
        return html`<sc-studio-evaluation .evaluationId=${route.id}></sc-studio-evaluation>`;
      case 'alliances':
        return html`<sc-studio-alliances .staffRole=${role}></sc-studio-alliances>`;
      case 'alliance':
        return html`<sc-studio-alliance .allianceId=${route.id}></sc-studio-alliance>`;
      case 'campaigns':
        return html`<sc-five-smalls-list .staffRole=${role}></sc-five-smalls-list>`;
      case 'campaign':
        return html`<sc-five-smalls-campaign .campaignId=${route.id}></sc-five-smalls-campaign>`;
      case 'not-found':
        return html`<p class="empty">${t('app.notFound')}</p>`;
    }
  }

  override render() {
    const s = this.who;
    if (!s) {
      if (this.ownSession === undefined) return html`<p class="empty">${t('app.loading')}</p>`;
      return html`<div class="card" style="max-width:480px;margin:32px auto">
        <p>${t('st.signInFirst')}</p>
        <a class="btn primary" href="/login">${t('app.signIn')}</a>
      </div>`;
    }
    if (s.kind !== 'staff') return html`<p class="empty">${t('st.staffOnly')}</p>`;
    const route = parseStudiosPath(this.path);
    return html`
      <nav class="top" aria-label=${t('st.nav.label')}>
        ${NAV.map(([href, key, views]) => html`<a href=${href} aria-current=${views.includes(route.view) ? 'page' : 'false'}>${t(key)}</a>`)}
      </nav>
      ${this.renderView(route, s.role)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-studios-page': StudiosPage;
  }
}
