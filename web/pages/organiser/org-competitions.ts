import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { PageChosenEvent } from '../../components/pager.ts';
import '../../components/pager.ts';
import { COMPETITION_STATUSES } from '../../../server/contracts/competitions.ts';
import { dateRange, errorBanner, gradeLabel, orgStyles, statusLabel, type Competition, type Page } from './org-shared.ts';
import { beijingYear } from '../../app/beijing-time.ts';

const PAGE_SIZE = 20;

/** The competitions of the staff member's subtree, filtered by grade, status, year and name. */
@customElement('sc-org-competitions')
export class OrgCompetitions extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      ul.list {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.list li + li {
        border-top: 1px solid var(--sc-line);
      }
      ul.list a {
        display: block;
        padding: 12px 4px;
        color: var(--sc-fg);
        text-decoration: none;
        min-height: 44px;
      }
      ul.list a:hover .name {
        text-decoration: underline;
      }
      .name {
        font-weight: 600;
        font-size: 17px;
        margin-bottom: 4px;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 12px;
        align-items: center;
        color: var(--sc-muted);
        font-size: 14px;
      }
      .pager {
        display: flex;
        gap: 8px;
        align-items: center;
        justify-content: flex-end;
        margin-top: 12px;
      }
      .toolbar select {
        min-width: 7em;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Boolean }) canManage = false;
  @state() private filters = { grade: '', status: '', year: '', q: '' };
  @state() private page = 1;
  @state() private data: Page<Competition> | null = null;
  @state() private error: unknown = null;
  private searchTimer = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    // Drill-down from the dashboard arrives with filters in the address (?grade=B&year=2026).
    const query = new URLSearchParams(location.search);
    for (const key of ['grade', 'status', 'year', 'q'] as const) {
      const value = query.get(key);
      if (value) this.filters = { ...this.filters, [key]: value };
    }
    void this.load();
  }

  private async load() {
    const params = new URLSearchParams({ page: String(this.page), pageSize: String(PAGE_SIZE) });
    for (const [k, v] of Object.entries(this.filters)) if (v) params.set(k, v);
    try {
      this.error = null;
      this.data = await api<Page<Competition>>('GET', `/api/competitions?${params}`);
    } catch (err) {
      this.error = err;
    }
  }

  private setFilter(key: keyof OrgCompetitions['filters'], value: string, debounce = false) {
    this.filters = { ...this.filters, [key]: value };
    this.page = 1;
    clearTimeout(this.searchTimer);
    if (debounce) this.searchTimer = window.setTimeout(() => void this.load(), 250);
    else void this.load();
  }

  override render() {
    const d = this.data;
    const thisYear = beijingYear();
    const years = Array.from({ length: 8 }, (_, i) => thisYear + 1 - i);
    return html`
      <div class="row" style="margin-bottom:12px">
        <h1 style="margin:0;flex:1">${t('org.nav.competitions')}</h1>
        ${this.canManage ? html`<a class="btn primary" href="/org/competitions/new">${t('org.comp.new')}</a>` : nothing}
      </div>
      <div class="toolbar card" role="search">
        <div class="grow">
          <label for="q">${t('org.filter.search')}</label>
          <input id="q" type="search" .value=${this.filters.q} @input=${(e: Event) => this.setFilter('q', (e.target as HTMLInputElement).value, true)} />
        </div>
        <div>
          <label for="grade">${t('org.comp.grade')}</label>
          <select id="grade" @change=${(e: Event) => this.setFilter('grade', (e.target as HTMLSelectElement).value)}>
            <option value="">${t('org.filter.all')}</option>
            ${['A', 'B', 'C'].map((g) => html`<option value=${g} ?selected=${this.filters.grade === g}>${gradeLabel(g)}</option>`)}
          </select>
        </div>
        <div>
          <label for="status">${t('org.comp.status')}</label>
          <select id="status" @change=${(e: Event) => this.setFilter('status', (e.target as HTMLSelectElement).value)}>
            <option value="">${t('org.filter.all')}</option>
            ${COMPETITION_STATUSES.map((s) => html`<option value=${s} ?selected=${this.filters.status === s}>${statusLabel(s)}</option>`)}
          </select>
        </div>
        <div>
          <label for="year">${t('org.filter.year')}</label>
          <select id="year" @change=${(e: Event) => this.setFilter('year', (e.target as HTMLSelectElement).value)}>
            <option value="">${t('org.filter.all')}</option>
            ${years.map((y) => html`<option value=${y} ?selected=${this.filters.year === String(y)}>${y}</option>`)}
          </select>
        </div>
      </div>
      ${errorBanner(this.error)}
      <section class="card" aria-live="polite">
        ${!d
          ? html`<sc-loading></sc-loading>`
          : d.items.length === 0
            ? html`<p class="empty">${t('org.comp.none')}</p>`
            : html`<ul class="list" data-testid="competition-list">
                ${d.items.map(
                  (c) => html`<li>
                    <a href="/org/competitions/${c.id}">
                      <div class="name">${c.name}</div>
                      <div class="meta">
                        <span class="chip grade-${c.grade}">${gradeLabel(c.grade)}</span>
                        <span class="chip st-${c.status}">${statusLabel(c.status)}</span>
                        <span>${t('org.yearN', { year: c.year })}</span>
                        <span>${dateRange(c.startDate, c.endDate)}</span>
                        <span>${t('org.dash.eventsN', { n: c.eventCount })}</span>
                        <span>${t('org.comp.entriesN', { n: c.entryCount })}</span>
                      </div>
                    </a>
                  </li>`,
                )}
              </ul>`}
        ${d
          ? html`<sc-pager
              hideSingle
              .page=${this.page}
              .pageSize=${PAGE_SIZE}
              .total=${d.total}
              @sc-page=${(e: PageChosenEvent) => {
                this.page = e.page;
                void this.load();
              }}
            ></sc-pager>`
          : nothing}
      </section>
    `;
  }
}
