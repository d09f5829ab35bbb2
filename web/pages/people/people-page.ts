import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { PageChosenEvent } from '../../components/pager.ts';
import '../../components/pager.ts';
import type { Person } from '../../../server/contracts/people.ts';
import { errorBanner, levelText, query, StaffPage, staffStyles, type Page } from './staff-ui.ts';

const PAGE_SIZE = 20;

/**
 * /people: find a worker by name and open their record. Lists the people kept in the staff
 * member's subtree, 20 a page.
 */
@customElement('sc-people-page')
export class PeoplePage extends StaffPage {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      form {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: center;
        margin-bottom: 12px;
      }
      form input {
        flex: 1 1 240px;
        min-width: 0;
      }
      td a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
      }
    `,
  ];

  @property() path = '/people';
  @state() private q = '';
  @state() private page = 1;
  @state() private result: Page<Person> | null = null;
  @state() private error: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.q = new URLSearchParams(location.search).get('q') ?? '';
  }

  protected override whenSignedIn(): void {
    void this.load();
  }

  private async load() {
    this.error = null;
    try {
      this.result = await api<Page<Person>>('GET', `/api/people${query({ q: this.q, page: this.page, pageSize: PAGE_SIZE })}`);
    } catch (err) {
      this.error = err;
    }
  }

  private search(e: SubmitEvent) {
    e.preventDefault();
    this.q = String(new FormData(e.target as HTMLFormElement).get('q') ?? '').trim();
    this.page = 1;
    history.replaceState(null, '', `/people${query({ q: this.q })}`);
    void this.load();
  }

  private go(page: number) {
    this.page = page;
    void this.load();
  }

  override render() {
    if (!this.staff) return html`<h1>${t('pp.title')}</h1>${this.signInPrompt()}`;
    const r = this.result;
    return html`
      <h1>${t('pp.title')}</h1>
      <form @submit=${this.search} role="search">
        <label class="sr-only" for="q">${t('pp.search')}</label>
        <input id="q" name="q" .value=${this.q} placeholder=${t('pp.search')} autocomplete="off" />
        <button class="primary" type="submit">${t('pp.searchButton')}</button>
      </form>
      ${errorBanner(this.error)}
      ${r
        ? r.items.length === 0
          ? html`<p class="empty">${t('pp.noMatch')}</p>`
          : html`<div class="card table-wrap">
              <table data-testid="people-table">
                <thead>
                  <tr>
                    <th>${t('pp.name')}</th>
                    <th>${t('pp.idNumber')}</th>
                    <th>${t('pp.gender')}</th>
                    <th class="hide-narrow">${t('pp.occupation')}</th>
                    <th>${t('pp.level')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${r.items.map(
                    (p) => html`<tr>
                      <td><a href="/people/${p.id}">${p.name}</a></td>
                      <td class="mono">${p.idNumber}</td>
                      <td class="nowrap">${t(`pp.gender.${p.gender}`)}</td>
                      <td class="hide-narrow">${p.occupationName ?? '—'}</td>
                      <td class="nowrap">${levelText(p.skillLevel)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
              <sc-pager .page=${r.page} .pageSize=${r.pageSize} .total=${r.total} @sc-page=${(e: PageChosenEvent) => this.go(e.page)}></sc-pager>
            </div>`
        : this.error
          ? nothing
          : html`<p class="muted">${t('app.loading')}</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-people-page': PeoplePage;
  }
}
