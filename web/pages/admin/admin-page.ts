import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError, type Page } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { beijingMinute } from '../../app/beijing-time.ts';
import { passwordProblemText } from '../../app/password-policy.ts';
import { sessionContext, type Session } from '../../app/session.ts';
import { errorBanner } from '../../components/error-banner.ts';
import '../../i18n/admin.ts';
import { sharedStyles } from '../../styles/shared.ts';

type Organisation = { id: number; parentId: number | null; name: string; kind: string; level: string | null; regionCode: string; path: string };
type Account = {
  id: number;
  username: string;
  displayName: string;
  orgId: number;
  role: string;
  active: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
};

const KINDS = ['union', 'hr_bureau', 'employer', 'department'] as const;
const LEVELS = ['province', 'city', 'county', 'township', 'enterprise'] as const;
const ROLES = ['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer'] as const;

/** Every page of a paged list (the organisation tree of a province is a few hundred rows). */
async function allPages<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const p = await api<Page<T>>('GET', `${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=500`);
    items.push(...p.items);
    if (items.length >= p.total || p.items.length === 0) return items;
  }
}

/**
 * The administrator's landing page: the organisation tree of their subtree (unions, HR bureaus,
 * departments, employers) with each body's staff accounts; a body or an account is added where it
 * belongs, and an account is deactivated (its sessions end) rather than deleted.
 */
@customElement('sc-admin-page')
export class AdminPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        max-width: 1200px;
        margin: 0 auto;
        padding: 16px 16px 48px;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(280px, 2fr) 3fr;
        gap: 16px;
        align-items: start;
      }
      @media (max-width: 820px) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
      /* A province's tree is long: it scrolls by itself, the chosen body stays in view beside it. */
      ul.tree {
        list-style: none;
        margin: 0;
        padding: 0;
        max-height: 70vh;
        overflow-y: auto;
      }
      ul.tree button {
        display: flex;
        width: 100%;
        text-align: left;
        border: none;
        border-radius: 6px;
        gap: 8px;
        align-items: center;
        padding-right: 8px;
      }
      ul.tree button[aria-current='true'] {
        background: #eef3fd;
        font-weight: 600;
      }
      .kind {
        font-size: 13px;
        color: var(--sc-muted);
        white-space: nowrap;
      }
      .count {
        margin-left: auto;
        font-size: 13px;
        color: var(--sc-muted);
      }
      form.row {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(160px, 1fr));
        gap: 0 12px;
        align-items: end;
      }
      form.row input,
      form.row select {
        width: 100%;
        box-sizing: border-box;
      }
      form.row button {
        margin-top: 12px;
      }
      h2 {
        font-size: 20px;
        margin: 0 0 8px;
      }
      h3 {
        font-size: 17px;
        margin: 20px 0 4px;
      }
      .inactive {
        color: var(--sc-muted);
        text-decoration: line-through;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: Session = null;
  @state() private orgs: Organisation[] = [];
  @state() private accounts: Account[] = [];
  @state() private selected: number | null = null;
  @state() private error: unknown = null;
  @state() private formError: ApiError | null = null;
  @state() private loaded = false;
  /** The account whose password is being reset (its row shows the form). */
  @state() private resetting: number | null = null;
  private loading = false;

  private get isAdmin(): boolean {
    return this.session?.kind === 'staff' && this.session.role === 'admin';
  }

  /** Loads once an administrator is known to be signed in (a visitor asks nothing: no 401s). */
  protected override willUpdate(): void {
    if (this.isAdmin && !this.loaded && !this.loading) {
      this.loading = true;
      void this.load();
    }
  }

  private async load() {
    try {
      const [orgs, accounts] = await Promise.all([allPages<Organisation>('/api/organisations'), allPages<Account>('/api/accounts')]);
      this.orgs = orgs.sort((a, b) => a.path.localeCompare(b.path));
      this.accounts = accounts;
      this.selected ??= this.orgs[0]?.id ?? null;
      this.error = null;
    } catch (err) {
      this.error = err;
    } finally {
      this.loaded = true;
    }
  }

  /** Indentation in the tree: levels below the administrator's own organisation. */
  private depth(o: Organisation): number {
    const levels = (p: string) => p.split('/').filter(Boolean).length;
    return levels(o.path) - levels(this.orgs[0]?.path ?? '');
  }

  private async submit(e: SubmitEvent, path: string, body: Record<string, unknown>, method: 'POST' | 'PATCH' = 'POST') {
    e.preventDefault();
    // Taken now: once the event has been dispatched its target (inside the shadow root) is gone.
    const form = e.target as HTMLFormElement;
    this.formError = null;
    try {
      await api(method, path, body);
      form.reset();
      await this.load();
    } catch (err) {
      if (err instanceof ApiError) this.formError = err;
      else this.error = err;
    }
  }

  private addOrganisation(e: SubmitEvent) {
    const f = new FormData(e.target as HTMLFormElement);
    const level = String(f.get('level') ?? '');
    void this.submit(e, '/api/organisations', {
      parentId: this.selected,
      name: String(f.get('name') ?? ''),
      kind: f.get('kind'),
      level: level || null,
      regionCode: String(f.get('regionCode') ?? ''),
    });
  }

  private addAccount(e: SubmitEvent) {
    const f = new FormData(e.target as HTMLFormElement);
    void this.submit(e, '/api/accounts', {
      orgId: this.selected,
      username: String(f.get('username') ?? ''),
      displayName: String(f.get('displayName') ?? ''),
      password: String(f.get('password') ?? ''),
      role: f.get('role'),
    });
  }

  /** A reset: the administrator gives a new first password (which also ends a lock-out); the holder replaces it at sign-in. */
  private resetPassword(e: SubmitEvent, a: Account) {
    const f = new FormData(e.target as HTMLFormElement);
    void this.submit(e, `/api/accounts/${a.id}`, { password: String(f.get('password') ?? '') }, 'PATCH').then(() => {
      if (!this.formError) this.resetting = null;
    });
  }

  private async deactivate(a: Account) {
    try {
      await api('DELETE', `/api/accounts/${a.id}`);
      await this.load();
    } catch (err) {
      this.error = err;
    }
  }

  /** Locked (until when) or waiting for its holder to choose a password; nothing when in order. */
  private accountState(a: Account) {
    if (!a.active) return nothing;
    if (a.lockedUntil && Date.parse(a.lockedUntil) > Date.now())
      return html`<span class="field-error">${t('admin.lockedUntil', { time: beijingMinute(a.lockedUntil) })}</span>`;
    return a.mustChangePassword ? html`<span class="muted">${t('admin.mustChange')}</span>` : nothing;
  }

  private fieldError(field: string) {
    const given = this.formError?.fieldMessage(field);
    const m = field === 'password' ? passwordProblemText(given) : given;
    return m ? html`<span class="field-error" role="alert">${m}</span>` : nothing;
  }

  private renderDetail(o: Organisation) {
    const staff = this.accounts.filter((a) => a.orgId === o.id);
    return html`<section class="card" data-testid="org-detail">
      <h2>${o.name}</h2>
      <p class="muted">${t(`admin.kind.${o.kind}`)} · ${o.level ? t(`admin.level.${o.level}`) : '—'} · ${t('admin.region')} ${o.regionCode}</p>
      <h3>${t('admin.accounts')}</h3>
      ${staff.length === 0
        ? html`<p class="muted">${t('admin.noAccounts')}</p>`
        : html`<table data-testid="accounts">
            <thead>
              <tr>
                <th>${t('admin.username')}</th>
                <th>${t('admin.displayName')}</th>
                <th>${t('admin.role')}</th>
                <th>${t('admin.state')}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${staff.map(
                (a) => html`<tr class=${a.active ? '' : 'inactive'}>
                    <td>${a.username}</td>
                    <td>${a.displayName}</td>
                    <td>${t(`admin.role.${a.role}`)}</td>
                    <td data-testid="account-state-${a.id}">${this.accountState(a)}</td>
                    <td>
                      ${a.active && a.id !== (this.session?.kind === 'staff' ? this.session.accountId : -1)
                        ? html`<div class="row">
                            <button @click=${() => ((this.resetting = this.resetting === a.id ? null : a.id), (this.formError = null))}>${t('admin.resetPassword')}</button>
                            <button @click=${() => this.deactivate(a)}>${t('admin.deactivate')}</button>
                          </div>`
                        : a.active
                          ? nothing
                          : t('admin.inactive')}
                    </td>
                  </tr>
                  ${this.resetting === a.id
                    ? html`<tr>
                        <td colspan="5">
                          <form class="row" @submit=${(e: SubmitEvent) => this.resetPassword(e, a)} data-testid="reset-password">
                            <label for="rpw">${t('admin.newFirstPassword')}</label>
                            <input id="rpw" name="password" type="password" required minlength="8" autocomplete="new-password" />
                            <button class="primary" type="submit">${t('admin.resetPassword')}</button>
                            ${this.fieldError('password')}
                          </form>
                        </td>
                      </tr>`
                    : nothing}`,
              )}
            </tbody>
          </table>`}
      ${this.formError && this.formError.fieldErrors.length === 0 ? errorBanner(this.formError) : nothing}
      <h3>${t('admin.addAccount')}</h3>
      <form class="row" @submit=${this.addAccount} data-testid="add-account">
        <div><label for="u">${t('admin.username')}</label><input id="u" name="username" required autocomplete="off" />${this.fieldError('username')}</div>
        <div><label for="d">${t('admin.displayName')}</label><input id="d" name="displayName" required />${this.fieldError('displayName')}</div>
        <div>
          <label for="pw">${t('admin.password')}</label><input id="pw" name="password" type="password" required minlength="8" autocomplete="new-password" />${this.resetting === null ? this.fieldError('password') : nothing}
        </div>
        <div>
          <label for="r">${t('admin.role')}</label>
          <select id="r" name="role">
            ${ROLES.map((r) => html`<option value=${r} ?selected=${r === 'organiser'}>${t(`admin.role.${r}`)}</option>`)}
          </select>
        </div>
        <div><button class="primary" type="submit">${t('admin.add')}</button></div>
      </form>
      <h3>${t('admin.addChild')}</h3>
      <form class="row" @submit=${this.addOrganisation} data-testid="add-org">
        <div><label for="n">${t('admin.name')}</label><input id="n" name="name" required />${this.fieldError('name')}</div>
        <div>
          <label for="k">${t('admin.kind')}</label>
          <select id="k" name="kind">
            ${KINDS.map((k) => html`<option value=${k} ?selected=${k === 'employer'}>${t(`admin.kind.${k}`)}</option>`)}
          </select>
        </div>
        <div>
          <label for="l">${t('admin.level')}</label>
          <select id="l" name="level">
            <option value="">—</option>
            ${LEVELS.map((l) => html`<option value=${l}>${t(`admin.level.${l}`)}</option>`)}
          </select>
        </div>
        <div>
          <label for="rc">${t('admin.region')}</label>
          <input id="rc" name="regionCode" required inputmode="numeric" pattern="\\d{6}" value=${o.regionCode} />${this.fieldError('regionCode')}
        </div>
        <div><button class="primary" type="submit">${t('admin.add')}</button></div>
      </form>
    </section>`;
  }

  override render() {
    if (!this.isAdmin)
      // A visitor may be the administrator not signed in yet: the way to sign in comes first.
      return html`<p class="card">
        ${t('admin.only')} ${this.session ? nothing : html`<a class="btn primary" href="/login">${t('app.signIn')}</a>`} <a href="/">${t('admin.home')}</a>
      </p>`;
    if (!this.loaded) return html`<p class="muted">${t('app.loading')}</p>`;
    const current = this.orgs.find((o) => o.id === this.selected);
    return html`
      ${errorBanner(this.error)}
      <p class="muted">${t('admin.intro')} <a href="/calendar">${t('home.calendar')}</a></p>
      <div class="layout">
        <section class="card">
          <h2>${t('admin.tree')}</h2>
          <ul class="tree" data-testid="org-tree">
            ${this.orgs.map((o) => {
              const n = this.accounts.filter((a) => a.orgId === o.id && a.active).length;
              return html`<li>
                <button
                  style="padding-left:${8 + this.depth(o) * 18}px"
                  aria-current=${o.id === this.selected ? 'true' : 'false'}
                  @click=${() => {
                    this.selected = o.id;
                    this.formError = null;
                  }}
                >
                  <span>${o.name}</span><span class="kind">${t(`admin.kind.${o.kind}`)}</span>
                  ${n ? html`<span class="count">${t('admin.accountCount', { n })}</span>` : nothing}
                </button>
              </li>`;
            })}
          </ul>
        </section>
        ${current ? this.renderDetail(current) : nothing}
      </div>
    `;
  }
}
