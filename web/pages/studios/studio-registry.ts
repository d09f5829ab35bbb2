import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import {
  errorBanner,
  KINDS,
  kindLabel,
  LEVELS,
  levelBadge,
  levelLabel,
  STATUSES,
  statusBadge,
  statusLabel,
  STUDIO_EDITOR_ROLES,
  studioStyles,
  type StudioSummary,
} from './studios-shared.ts';

type Page = { items: StudioSummary[]; total: number; page: number; pageSize: number };
const PAGE_SIZE = 50;
/** Statuses after which a term no longer means anything. */
const TERMINAL = new Set(['delisted', 'rejected', 'withdrawn']);

/** The studio registry (创新工作室名录): filters, the list, and the .xlsx export of what is shown. */
@customElement('sc-studio-registry')
export class StudioRegistry extends LitElement {
  static override styles = [sharedStyles, studioStyles];
  private readonly locale = new LocaleController(this);

  @property() staffRole = '';
  @state() private filters: Record<string, string> = {};
  @state() private items: StudioSummary[] = [];
  @state() private total = 0;
  @state() private loading = true;
  @state() private error: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(1);
  }

  private query(): string {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(this.filters)) if (v) p.set(k, v);
    return p.toString();
  }

  private async load(page: number) {
    this.loading = true;
    this.error = null;
    try {
      const q = this.query();
      const res = await api<Page>('GET', `/api/studios?${q}${q ? '&' : ''}page=${page}&pageSize=${PAGE_SIZE}`);
      this.items = page === 1 ? res.items : [...this.items, ...res.items];
      this.total = res.total;
    } catch (err) {
      this.error = err;
    } finally {
      this.loading = false;
    }
  }

  private setFilter(key: string, value: string) {
    this.filters = { ...this.filters, [key]: value };
    void this.load(1);
  }

  private select(key: string, label: string, options: string[], name: (v: string) => string) {
    return html`<label class="field" style="margin:0;min-width:150px">
      <span class="small">${label}</span>
      <select data-testid=${`filter-${key}`} @change=${(e: Event) => this.setFilter(key, (e.target as HTMLSelectElement).value)}>
        <option value="">${t('st.all')}</option>
        ${options.map((o) => html`<option value=${o} ?selected=${this.filters[key] === o}>${name(o)}</option>`)}
      </select>
    </label>`;
  }

  override render() {
    const q = this.query();
    return html`
      <div class="row" style="margin-bottom:8px">
        <h1 style="margin:0">${t('st.registry.title')}</h1>
        <span class="spacer"></span>
        <a class="btn" href=${`/api/studios/export${q ? `?${q}` : ''}`} download data-testid="export-registry"
          >${t('st.exportXlsx')}</a
        >
        ${STUDIO_EDITOR_ROLES.includes(this.staffRole)
          ? html`<a class="btn primary" href="/studios/new">${t('st.registry.new')}</a>`
          : nothing}
      </div>
      <div class="row" style="align-items:flex-end;margin-bottom:12px">
        ${this.select('kind', t('st.field.kind'), KINDS, kindLabel)} ${this.select('level', t('st.field.level'), LEVELS, levelLabel)}
        ${this.select('status', t('st.field.status'), STATUSES, statusLabel)}
        <label class="field" style="margin:0;flex:1;min-width:200px">
          <span class="small">${t('st.search')}</span>
          <input
            type="search"
            placeholder=${t('st.registry.searchHint')}
            @change=${(e: Event) => this.setFilter('q', (e.target as HTMLInputElement).value.trim())}
          />
        </label>
      </div>
      ${errorBanner(this.error)}
      <p class="muted small" data-testid="registry-total">${t('st.registry.total', { n: this.total })}</p>
      ${this.items.length === 0 && !this.loading
        ? html`<p class="empty">${t('st.registry.none')}</p>`
        : html`<div class="card table-wrap" style="padding:0 8px">
            <table data-testid="registry">
              <thead>
                <tr>
                  <th>${t('st.field.name')}</th>
                  <th>${t('st.field.level')}</th>
                  <th>${t('st.field.status')}</th>
                  <th>${t('st.field.host')}</th>
                  <th class="hide-narrow">${t('st.field.leader')}</th>
                  <th class="hide-narrow">${t('st.field.termEndsOn')}</th>
                </tr>
              </thead>
              <tbody>
                ${this.items.map(
                  (s) => html`<tr>
                    <td><a href="/studios/${s.id}">${s.name}</a><div class="muted small">${kindLabel(s.kind)}</div></td>
                    <td>${levelBadge(s.level) === nothing ? '—' : levelBadge(s.level)}</td>
                    <td>
                      ${statusBadge(s.status)}
                      ${s.status === 'delisted' && s.bannedUntil ? html`<div class="muted small">${t('st.bannedUntil', { date: s.bannedUntil })}</div>` : nothing}
                      ${s.termStatus === 'final_year' ? html`<div class="muted small">${t('st.term.final_year')}</div>` : nothing}
                    </td>
                    <td>${s.host.name}${s.area ? html`<div class="muted small">${s.area.name}</div>` : nothing}</td>
                    <td class="hide-narrow nowrap">${s.leader.name}</td>
                    <td class="hide-narrow small nowrap">${TERMINAL.has(s.status) ? '—' : (s.termEndsOn ?? '—')}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
      ${this.items.length < this.total
        ? html`<p><button ?disabled=${this.loading} @click=${() => this.load(Math.floor(this.items.length / PAGE_SIZE) + 1)}>${t('st.more')}</button></p>`
        : nothing}
    `;
  }
}
