import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { FileChosenEvent } from '../../components/file-drop.ts';
import '../../components/file-drop.ts';
import { CSV_CONTENT_TYPE, IMPORT_COLUMNS, IMPORT_MAX_ROWS, XLSX_CONTENT_TYPE, type ImportReport, type ImportRowError } from '../../../server/contracts/import.ts';
import type { Organisation } from '../../../server/contracts/organisations.ts';
import { DELEGATION_KINDS, errorBanner, OrgDataChangedEvent, organisationsOfCompetition, orgStyles, type Competition, type ScEvent } from './org-shared.ts';
import { problemToError, uploadFile, type UploadPhase } from '../../api/upload.ts';

/** How many error rows the report lists (the rest are counted). */
const ERRORS_SHOWN = 200;
/** Share of the bar for sending the file; the rest is the server's processing. */
const UPLOAD_SHARE = 60;

/** The content type the server expects for a chosen file, or an error message key. */
export function contentTypeOf(name: string): { type: string } | { problem: string } {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  if (ext === 'xlsx') return { type: XLSX_CONTENT_TYPE };
  if (ext === 'csv') return { type: CSV_CONTENT_TYPE };
  if (ext === 'xls' || ext === 'et' || ext === 'wps') return { problem: 'org.import.oldExcel' };
  return { problem: 'org.import.wrongType' };
}

/**
 * Entrants from a spreadsheet: choose an .xlsx or CSV file, the server checks every row (a dry
 * run, nothing stored) and reports each bad row by its sheet row and column; a clean file is then
 * imported in one go. The bar shows the upload, then the server's processing.
 */
@customElement('sc-org-import')
export class OrgImport extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      .summary {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(110px, 1fr));
        gap: 8px;
        margin: 12px 0;
      }
      .summary div {
        background: #f3f5f8;
        border-radius: 8px;
        padding: 8px 12px;
      }
      .summary b {
        display: block;
        font-size: 22px;
        font-variant-numeric: tabular-nums;
      }
      .summary .bad b {
        color: var(--sc-danger);
      }
      td.rownum {
        width: 5em;
        font-variant-numeric: tabular-nums;
      }
      td.colname {
        width: 8em;
        white-space: nowrap;
      }
      ul.cols {
        margin: 8px 0 0;
        padding-left: 20px;
        line-height: 1.7;
      }
      details {
        margin-top: 4px;
      }
      summary {
        min-height: 44px;
        display: flex;
        align-items: center;
        cursor: pointer;
        color: var(--sc-focus);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) competition!: Competition;
  @property({ attribute: false }) event!: ScEvent;

  @state() private file: File | null = null;
  @state() private phase: 'idle' | UploadPhase | 'done' = 'idle';
  @state() private progress = 0;
  @state() private running: 'check' | 'import' | null = null;
  @state() private report: ImportReport | null = null;
  @state() private error: unknown = null;
  @state() private delegations: Organisation[] = [];
  private ticker = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    organisationsOfCompetition(this.competition, DELEGATION_KINDS)
      .then((o) => (this.delegations = o))
      .catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }

  private choose(file: File | undefined) {
    if (!file) return;
    this.file = file;
    this.report = null;
    this.error = null;
    void this.send(false);
  }

  private onProgress = (phase: UploadPhase, fraction: number) => {
    this.phase = phase;
    if (phase === 'uploading') this.progress = fraction * UPLOAD_SHARE;
    else {
      // The server does not stream its progress: creep towards 95 % until it answers.
      this.progress = Math.max(this.progress, UPLOAD_SHARE);
      clearInterval(this.ticker);
      this.ticker = window.setInterval(() => (this.progress += (95 - this.progress) * 0.08), 100);
    }
  };

  /** Sends the chosen file: a check (dry run) or the import itself. */
  private async send(store: boolean) {
    const file = this.file;
    if (!file) return;
    const type = contentTypeOf(file.name);
    if ('problem' in type) {
      this.error = new Error(t(type.problem));
      return;
    }
    this.running = store ? 'import' : 'check';
    this.phase = 'uploading';
    this.progress = 0;
    this.error = null;
    try {
      const url = `/api/events/${this.event.id}/entries/import${store ? '' : '?dryRun=true'}`;
      const res = await uploadFile(url, file, type.type, this.onProgress);
      const body = res.body as { report?: ImportReport } & Partial<ImportReport>;
      if (res.status === 200) this.report = body as ImportReport;
      else if (res.status === 400 && body?.report) this.report = body.report;
      else throw problemToError(res.status, res.body);
      this.progress = 100;
      this.phase = 'done';
      if (this.report?.stored) this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
      this.phase = 'idle';
      this.progress = 0;
    } finally {
      clearInterval(this.ticker);
      this.running = null;
    }
  }

  protected override updated(changed: Map<string, unknown>): void {
    // A new report is below the file box: bring it into view.
    if (changed.has('report') && this.report) this.renderRoot.querySelector('[data-testid="import-report"]')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  /** The problem in the user's language (by code), quoting the cell; the server's words otherwise. */
  private errorText(e: ImportRowError): string {
    const key = `org.import.code.${e.code}`;
    const text = t(key);
    if (text === key) return e.message;
    return e.value ? `${text}（${e.value}）` : text;
  }

  private renderReport(r: ImportReport) {
    const badRows = new Set(r.errors.map((e) => e.row)).size;
    const clean = r.errors.length === 0;
    return html`<section class="card" style="margin-top:16px" data-testid="import-report" aria-live="polite">
      <h2>${r.stored ? t('org.import.doneTitle') : t('org.import.reportTitle')}</h2>
      ${r.stored
        ? html`<div class="banner ok-banner" role="status" data-testid="import-done">${t('org.import.done', { created: r.created, existing: r.existing })}</div>`
        : clean
          ? html`<div class="banner ok-banner" role="status">${t('org.import.clean', { n: r.valid })}</div>`
          : html`<div class="banner error-banner" role="alert">${t('org.import.hasErrors', { n: badRows })}</div>`}
      <div class="summary">
        <div><b>${r.total}</b>${t('org.import.total')}</div>
        <div><b>${r.valid}</b>${t('org.import.valid')}</div>
        <div class=${badRows ? 'bad' : ''}><b>${badRows}</b>${t('org.import.badRows')}</div>
        <div><b>${r.created}</b>${r.stored ? t('org.import.created') : t('org.import.willCreate')}</div>
        <div><b>${r.existing}</b>${t('org.import.existing')}</div>
      </div>
      <p class="muted" style="font-size:14px;margin:0 0 8px">${t('org.import.sheetInfo', { sheet: r.sheet, row: r.headerRow })}</p>
      ${r.employersAsText?.length
        ? html`<p class="muted" style="font-size:14px;margin:0 0 8px" data-testid="employers-as-text">
            ${t('org.import.employersAsText', { n: r.employersAsText.length })}${r.employersAsText.slice(0, 10).join('、')}${r.employersAsText.length > 10 ? '…' : ''}
          </p>`
        : nothing}
      ${clean
        ? nothing
        : html`<table data-testid="import-errors">
              <thead>
                <tr>
                  <th>${t('org.import.row')}</th>
                  <th>${t('org.import.column')}</th>
                  <th>${t('org.import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                ${r.errors.slice(0, ERRORS_SHOWN).map(
                  (e) => html`<tr data-row=${e.row}>
                    <td class="rownum">${t('org.import.rowN', { n: e.row })}</td>
                    <td class="colname">${e.column}</td>
                    <td>${this.errorText(e)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
            ${r.errors.length > ERRORS_SHOWN ? html`<p class="muted">${t('org.import.moreErrors', { n: r.errors.length - ERRORS_SHOWN })}</p>` : nothing}
            <p>${t('org.import.fixAndRetry')}</p>`}
      <div class="actions">
        ${!r.stored && clean && r.valid > 0
          ? html`<button class="primary" data-testid="import-go" ?disabled=${this.running !== null} @click=${() => void this.send(true)}>
              ${t('org.import.go', { n: r.valid })}
            </button>`
          : nothing}
        ${r.stored
          ? html`<a class="btn primary" href="/org/competitions/${this.competition.id}/events/${this.event.id}" data-testid="view-entrants">${t('org.import.viewEntrants')}</a>`
          : nothing}
        ${this.file && !r.stored ? html`<button ?disabled=${this.running !== null} @click=${() => void this.send(false)}>${t('org.import.recheck')}</button>` : nothing}
      </div>
    </section>`;
  }

  override render() {
    const busy = this.running !== null;
    const label =
      this.phase === 'uploading'
        ? t('org.import.uploading')
        : this.phase === 'processing'
          ? this.running === 'import'
            ? t('org.import.importing')
            : t('org.import.checking')
          : this.phase === 'done'
            ? t('org.import.finished')
            : '';
    return html`
      <section class="card">
        <div class="row" style="margin-bottom:8px">
          <h2 style="margin:0;flex:1">${t('org.import.title')}</h2>
          <a class="btn" href="/api/import-templates/entrants" download data-testid="template">${t('org.import.template')}</a>
        </div>
        <p class="muted" style="margin:0 0 8px">${t('org.import.intro', { max: IMPORT_MAX_ROWS })}</p>
        <p style="margin:0">${t('org.import.columns')}${IMPORT_COLUMNS.map((c) => `${c.zh}${c.required ? '*' : ''}`).join('、')}</p>
        <details>
          <summary>${t('org.import.columnHelp')}</summary>
          <ul class="cols">
            ${IMPORT_COLUMNS.map(
              (c) => html`<li><b>${c.zh}</b>${c.required ? ' *' : ''} <span class="muted">(${c.en})</span> — ${t(`org.import.col.${c.field}`)}</li>`,
            )}
          </ul>
        </details>
        ${this.delegations.length
          ? html`<details>
              <summary>${t('org.import.delegationNames', { n: this.delegations.length })}</summary>
              <p style="margin:4px 0 0;line-height:1.8">${this.delegations.map((o) => o.name).join('、')}</p>
            </details>`
          : nothing}
        <sc-file-drop
          hint=${t('org.import.dropHere')}
          label=${t('org.import.choose')}
          inputTestId="file-input"
          style="display:block;margin-top:12px"
          .file=${this.file}
          ?disabled=${busy}
          @sc-file=${(e: FileChosenEvent) => this.choose(e.file)}
        ></sc-file-drop>
        ${this.phase !== 'idle'
          ? html`<sc-progress style="margin-top:12px" .value=${this.progress} .label=${label} ?done=${this.phase === 'done'} data-testid="progress"></sc-progress>`
          : nothing}
        ${errorBanner(this.error)}
      </section>
      ${this.report ? this.renderReport(this.report) : nothing}
    `;
  }
}
