import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Dashboard } from '../../../server/contracts/dashboard.ts';
import { api } from '../../api/client.ts';
import { t } from '../../app/i18n.ts';
import '../../i18n/hr.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { PageChosenEvent } from '../../components/pager.ts';
import '../../components/pager.ts';
import type { Certificate } from '../../../server/contracts/certificates.ts';
import { errorBanner, KEEPER_ROLES, levelText, query, StaffPage, staffStyles, type Page } from '../people/staff-ui.ts';
import { CertificateSavedEvent, FormCancelledEvent } from './cert-form.ts';
import './cert-form.ts';
import './hr-import.ts';
import { CertificatesImportedEvent } from './hr-import.ts';
import './hr-subsidies.ts';
import './layout-editor.ts';

type Tab = 'list' | 'pending' | 'import' | 'export' | 'subsidies';
const TABS: Tab[] = ['list', 'pending', 'import', 'export', 'subsidies'];
const PAGE_SIZE = 20;

type Filters = { from: string; to: string; occupationCode: string; level: string; status: string };
const NO_FILTERS: Filters = { from: '', to: '', occupationCode: '', level: '', status: '' };

/**
 * /hr — the HR bureau's certified skill levels (职业技能等级认定): the records with filters and
 * paging, recording one, completing and issuing the pending ones that approved promotions
 * created, importing existing records from a spreadsheet, the export for the provincial
 * platform with its column layout, and the training subsidies due on certification. Viewers and organisers may read and export (ID numbers masked).
 */
@customElement('sc-hr-page')
export class HrPage extends StaffPage {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      .overview .row + .row {
        margin-top: 8px;
      }
      button.chip-btn {
        border-radius: 999px;
        padding: 0 14px;
        background: #eef1f5;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 12px;
      }
      .filters .buttons {
        display: flex;
        gap: 8px;
        margin-top: 8px;
      }
      .filters .buttons button {
        flex: 1;
      }
      td .sub {
        color: var(--sc-muted);
        font-size: 13px;
      }
      .mono {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace;
        font-size: 14px;
      }
      .nowrap {
        white-space: nowrap;
      }
      td a.name {
        font-weight: 600;
      }
      .pending-list {
        display: grid;
        gap: 12px;
      }
      .pending-item {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
      }
      .pending-item .who {
        flex: 1 1 260px;
        min-width: 0;
      }
      .formats {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      .formats label {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        min-height: 44px;
        padding: 0 16px;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
        margin: 0;
        color: var(--sc-fg);
        cursor: pointer;
      }
      .formats label:has(input:checked) {
        border-color: var(--sc-accent);
        box-shadow: 0 0 0 1px var(--sc-accent);
      }
      .formats input {
        min-height: 0;
        width: 18px;
        height: 18px;
      }
      .download {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: center;
        margin-top: 16px;
      }
      .export-grid {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 16px;
      }
      @media (min-width: 1200px) {
        .export-grid {
          grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
          align-items: start;
        }
      }
    `,
  ];

  @property() path = '/hr';
  @state() private tab: Tab = 'list';
  @state() private filters: Filters = { ...NO_FILTERS };
  @state() private page = 1;
  @state() private list: Page<Certificate> | null = null;
  @state() private pending: Certificate[] | null = null;
  @state() private pendingTotal = 0;
  @state() private creating = false;
  @state() private issuing: Certificate | null = null;
  @state() private notice = '';
  @state() private error: unknown = null;
  @state() private format: 'xlsx' | 'csv' = 'xlsx';
  @state() private exportFilters: Filters = { ...NO_FILTERS };
  @state() private exportCount: number | null = null;
  /** Title and promotion proposals still waiting for the HR bureau's signature. */
  @state() private proposalsWaiting = 0;
  /** The bureau's certificates by level and occupation (the HR officer's overview). */
  @state() private overview: Dashboard['certificates'] | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    const query = new URLSearchParams(location.search);
    const tab = query.get('tab') as Tab | null;
    if (tab && TABS.includes(tab)) this.tab = tab;
    // Drill-down from a dashboard: /hr?level=4 or /hr?occupationCode=6-18-02-04.
    this.filters = { ...this.filters, level: query.get('level') ?? '', occupationCode: query.get('occupationCode') ?? '' };
    this.addEventListener(CertificateSavedEvent.type, (e) => this.onSaved(e as CertificateSavedEvent));
    this.addEventListener(FormCancelledEvent.type, () => {
      this.creating = false;
      this.issuing = null;
    });
    this.addEventListener(CertificatesImportedEvent.type, () => {
      void this.loadList();
      void this.countExport();
      void this.loadOverview();
    });
  }

  protected override whenSignedIn(): void {
    void this.loadOverview();
    void this.loadList();
    void this.loadPending();
    void this.countExport();
    void this.countProposalsWaiting();
  }

  private get keeper(): boolean {
    return this.can(KEEPER_ROLES);
  }

  private select(tab: Tab) {
    this.tab = tab;
    this.notice = '';
    history.replaceState(null, '', `/hr${tab === 'list' ? '' : `?tab=${tab}`}`);
  }

  private filterQuery(f: Filters) {
    return { from: f.from, to: f.to, occupationCode: f.occupationCode.trim(), level: f.level, status: f.status };
  }

  private async loadList() {
    this.error = null;
    try {
      this.list = await api<Page<Certificate>>('GET', `/api/certificates${query({ ...this.filterQuery(this.filters), page: this.page, pageSize: PAGE_SIZE })}`);
    } catch (err) {
      this.error = err;
    }
  }

  private async loadPending() {
    try {
      const res = await api<Page<Certificate>>('GET', `/api/certificates${query({ status: 'pending', pageSize: 200 })}`);
      this.pending = res.items;
      this.pendingTotal = res.total;
    } catch (err) {
      this.error = err;
    }
  }

  private async loadOverview() {
    try {
      this.overview = (await api<Dashboard>('GET', '/api/dashboard')).certificates;
    } catch {
      this.overview = null;
    }
  }

  /** Certificates by level and by occupation; each figure filters the list below. */
  private renderOverview() {
    const o = this.overview;
    if (!o || o.issued + o.pending === 0) return nothing;
    const filter = (f: Partial<Filters>) => {
      this.filters = { ...NO_FILTERS, ...f };
      this.page = 1;
      void this.loadList();
    };
    return html`<section class="card overview" data-testid="hr-overview">
      <div class="row">
        <strong>${t('hr.overview', { issued: o.issued, pending: o.pending })}</strong>
      </div>
      <div class="row">
        <span class="muted">${t('hr.overview.byLevel')}</span>
        ${o.byLevel.map(
          (l) => html`<button type="button" class="chip-btn" @click=${() => filter({ level: String(l.level) })}>${levelText(l.level)} ${l.count}</button>`,
        )}
      </div>
      <div class="row">
        <span class="muted">${t('hr.overview.byOccupation')}</span>
        ${o.byOccupation.map(
          (x) => html`<button type="button" class="chip-btn" @click=${() => filter({ occupationCode: x.occupationCode })}>${x.occupationName} ${x.count}</button>`,
        )}
      </div>
    </section>`;
  }

  private async countProposalsWaiting() {
    try {
      const proposals = await api<{ hrSigned: boolean }[]>('GET', '/api/proposals?status=proposed');
      this.proposalsWaiting = proposals.filter((p) => !p.hrSigned).length;
    } catch {
      this.proposalsWaiting = 0;
    }
  }

  private async countExport() {
    try {
      const res = await api<Page<Certificate>>('GET', `/api/certificates${query({ ...this.filterQuery(this.exportFilters), pageSize: 1 })}`);
      this.exportCount = res.total;
    } catch {
      this.exportCount = null;
    }
  }

  private onSaved(e: CertificateSavedEvent) {
    const c = e.certificate;
    this.notice = t('hr.form.issued', { name: c.personName, level: c.levelLabel });
    this.creating = false;
    this.issuing = null;
    void this.loadList();
    void this.loadPending();
    void this.countExport();
    // The overview's counts by level and occupation include the new certificate.
    void this.loadOverview();
  }

  private readFilters(form: HTMLFormElement): Filters {
    const d = new FormData(form);
    const v = (k: string) => String(d.get(k) ?? '');
    return { from: v('from'), to: v('to'), occupationCode: v('occupationCode'), level: v('level'), status: v('status') };
  }

  private renderFilters(f: Filters, onChange: (f: Filters) => void, opts: { submitLabel: string; testid: string; plain?: boolean }) {
    return html`<form
      class=${opts.plain ? 'filters' : 'filters card'}
      data-testid=${opts.testid}
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        onChange(this.readFilters(e.target as HTMLFormElement));
      }}
    >
      <div><label for="${opts.testid}-from">${t('hr.f.from')}</label><input id="${opts.testid}-from" name="from" type="date" .value=${f.from} /></div>
      <div><label for="${opts.testid}-to">${t('hr.f.to')}</label><input id="${opts.testid}-to" name="to" type="date" .value=${f.to} /></div>
      <div>
        <label for="${opts.testid}-occ">${t('hr.f.occupationCode')}</label>
        <input id="${opts.testid}-occ" name="occupationCode" placeholder="6-18-02-04" .value=${f.occupationCode} />
      </div>
      <div>
        <label for="${opts.testid}-level">${t('hr.f.level')}</label>
        <select id="${opts.testid}-level" name="level">
          <option value="" ?selected=${!f.level}>${t('hr.f.any')}</option>
          ${[1, 2, 3, 4, 5].map((l) => html`<option value=${l} ?selected=${f.level === String(l)}>${levelText(l)}</option>`)}
        </select>
      </div>
      <div>
        <label for="${opts.testid}-status">${t('hr.f.status')}</label>
        <select id="${opts.testid}-status" name="status">
          <option value="" ?selected=${!f.status}>${t('hr.f.any')}</option>
          <option value="issued" ?selected=${f.status === 'issued'}>${t('hr.status.issued')}</option>
          <option value="pending" ?selected=${f.status === 'pending'}>${t('hr.status.pending')}</option>
        </select>
      </div>
      <div class="buttons">
        <button class="primary" type="submit">${opts.submitLabel}</button>
        <button type="button" @click=${() => onChange({ ...NO_FILTERS })}>${t('hr.f.clear')}</button>
      </div>
    </form>`;
  }

  private statusBadge(c: Certificate) {
    return c.status === 'issued' ? html`<span class="badge ok">${t('hr.status.issued')}</span>` : html`<span class="badge warn">${t('hr.status.pending')}</span>`;
  }

  private renderList() {
    const r = this.list;
    return html`<div class="stack">
      ${this.renderOverview()}
      ${this.keeper
        ? html`<div class="toolbar">
            <button class="primary" ?disabled=${this.creating} @click=${() => (this.creating = true)} data-testid="record-new">${t('hr.record')}</button>
          </div>`
        : nothing}
      ${this.creating ? html`<sc-hr-cert-form mode="create"></sc-hr-cert-form>` : nothing}
      ${this.renderFilters(
        this.filters,
        (f) => {
          this.filters = f;
          this.page = 1;
          void this.loadList();
        },
        { submitLabel: t('hr.f.apply'), testid: 'list-filters' },
      )}
      ${!r
        ? html`<p class="muted">${t('app.loading')}</p>`
        : r.items.length === 0
          ? html`<p class="empty card">${t('hr.none')}</p>`
          : html`<div class="card table-wrap">
              <table data-testid="cert-table">
                <thead>
                  <tr>
                    <th>${t('hr.col.name')}</th>
                    <th>${t('hr.col.level')} · ${t('hr.col.occupation')}</th>
                    <th>${t('hr.col.number')}</th>
                    <th>${t('hr.col.date')}</th>
                    <th>${t('hr.col.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${r.items.map(
                    (c) => html`<tr>
                      <td>
                        <a class="name tap" href="/people/${c.personId}">${c.personName}</a>
                        <div class="sub mono nowrap">${c.idNumber}</div>
                      </td>
                      <td>
                        <span class="nowrap">${c.levelLabel}</span>
                        <div class="sub">${c.occupationName} ${c.occupationCode}${c.trade !== '--' ? ` · ${c.trade}` : ''}</div>
                      </td>
                      <td><span class="mono nowrap">${c.certificateNumber ?? '—'}</span><div class="sub">${c.evaluationBody ?? ''}</div></td>
                      <td class="nowrap">${c.issueDate ?? '—'}</td>
                      <td>
                        ${this.statusBadge(c)}
                        ${c.status === 'pending' && this.keeper
                          ? html`<div><button style="margin-top:6px" @click=${() => this.startIssue(c)}>${t('hr.issue')}</button></div>`
                          : nothing}
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
              <sc-pager .page=${r.page} .pageSize=${r.pageSize} .total=${r.total} @sc-page=${(e: PageChosenEvent) => this.go(e.page)}></sc-pager>
            </div>`}
    </div>`;
  }

  private go(page: number) {
    this.page = page;
    void this.loadList();
  }

  private startIssue(c: Certificate) {
    this.issuing = c;
    this.select('pending');
  }

  private renderPending() {
    const list = this.pending;
    return html`<div class="stack">
      <p class="muted">${t('hr.pendingHint')}</p>
      ${this.issuing ? html`<sc-hr-cert-form mode="issue" .certificate=${this.issuing}></sc-hr-cert-form>` : nothing}
      ${!list
        ? html`<p class="muted">${t('app.loading')}</p>`
        : list.length === 0
          ? html`<p class="empty card">${t('hr.pendingNone')}</p>`
          : html`<div class="pending-list" data-testid="pending-list">
              ${list.map(
                (c) => html`<div class="card pending-item">
                  <div class="who">
                    <a class="name" href="/people/${c.personId}"><strong>${c.personName}</strong></a>
                    <span class="muted mono">${c.idNumber}</span>
                    <div>${c.occupationName} <span class="muted">${c.occupationCode}</span> → <strong>${c.levelLabel}</strong></div>
                    <div class="muted">${c.fromCompetition ? t('hr.fromProposal', { source: c.fromCompetition }) : t(`hr.basis.${c.basis}`)}</div>
                  </div>
                  ${this.keeper
                    ? html`<button class="primary" ?disabled=${this.issuing?.id === c.id} @click=${() => (this.issuing = c)}>${t('hr.issue')}</button>`
                    : nothing}
                </div>`,
              )}
            </div>`}
    </div>`;
  }

  private exportHref(): string {
    return `/api/certificates/export${query({ format: this.format, ...this.filterQuery(this.exportFilters) })}`;
  }

  private renderExport() {
    const fullIds = this.keeper;
    return html`<div class="export-grid">
      <section class="card">
        <h2>${t('hr.exp.title')}</h2>
        ${this.renderFilters(
          this.exportFilters,
          (f) => {
            this.exportFilters = f;
            void this.countExport();
          },
          { submitLabel: t('hr.f.apply'), testid: 'export-filters', plain: true },
        )}
        <fieldset style="border:none;padding:0;margin:12px 0 0">
          <legend class="muted">${t('hr.exp.format')}</legend>
          <div class="formats">
            ${(['xlsx', 'csv'] as const).map(
              (f) => html`<label>
                <input type="radio" name="format" value=${f} .checked=${this.format === f} @change=${() => (this.format = f)} data-testid="format-${f}" />
                .${f}
              </label>`,
            )}
          </div>
        </fieldset>
        <div class="download">
          <a class="btn primary" href=${this.exportHref()} download data-testid="export-link">${t('hr.exp.download', { format: `.${this.format}` })}</a>
          ${this.exportCount !== null ? html`<span class="muted" data-testid="export-count">${t('hr.exp.count', { n: this.exportCount })}</span>` : nothing}
        </div>
        <p class="muted">${fullIds ? t('hr.exp.full') : t('hr.exp.masked')}</p>
      </section>
      <sc-hr-layout ?editable=${this.keeper}></sc-hr-layout>
    </div>`;
  }

  override render() {
    if (!this.staff) return html`<h1>${t('hr.title')}</h1>${this.signInPrompt()}`;
    const label = (tab: Tab) => (tab === 'pending' && this.pendingTotal > 0 ? `${t('hr.tab.pending')}（${this.pendingTotal}）` : t(`hr.tab.${tab}`));
    const tabs = this.keeper ? TABS : TABS.filter((x) => x !== 'import');
    return html`
      <h1>${t('hr.title')}</h1>
      <div class="tabs" role="tablist">
        ${tabs.map(
          (tab) => html`<button role="tab" aria-selected=${this.tab === tab ? 'true' : 'false'} @click=${() => this.select(tab)} data-testid="tab-${tab}">
            ${label(tab)}
          </button>`,
        )}
      </div>
      ${this.keeper ? nothing : html`<p class="banner warn-banner">${t('hr.readOnly')}</p>`}
      ${this.keeper && (this.proposalsWaiting > 0 || this.pendingTotal > 0)
        ? html`<p class="banner warn-banner" data-testid="waiting">
            ${this.pendingTotal > 0 ? html`<button class="link" @click=${() => this.select('pending')}>${t('hr.waiting.certificates', { n: this.pendingTotal })}</button>` : nothing}
            ${this.proposalsWaiting > 0 ? html`<a href="/awards?tab=proposals&status=proposed" data-testid="proposals-waiting">${t('hr.waiting.proposals', { n: this.proposalsWaiting })}</a>` : nothing}
          </p>`
        : nothing}
      ${this.notice ? html`<div class="banner ok-banner" role="status" data-testid="notice">${this.notice}</div>` : nothing} ${errorBanner(this.error)}
      <div role="tabpanel">
        ${this.tab === 'list'
          ? this.renderList()
          : this.tab === 'pending'
            ? this.renderPending()
            : this.tab === 'import' && this.keeper
              ? html`<sc-hr-import></sc-hr-import>`
              : this.tab === 'export'
                ? this.renderExport()
                : this.tab === 'subsidies'
                  ? html`<sc-hr-subsidies ?keeper=${this.keeper}></sc-hr-subsidies>`
                  : this.renderList()}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-hr-page': HrPage;
  }
}
