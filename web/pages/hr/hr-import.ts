import { css, html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/hr.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { FileChosenEvent } from '../../components/file-drop.ts';
import '../../components/file-drop.ts';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../../server/contracts/import.ts';
import { type CertificateImportError, type CertificateImportReport } from '../../../server/features/certificates/certificates-import.contract.ts';
// The organiser's entrant import already sends files this way (XMLHttpRequest for upload progress).
import { problemToError, uploadFile, type UploadPhase } from '../../api/upload.ts';
import { errorBanner, staffStyles } from '../people/staff-ui.ts';
import { translateNumberMessage } from './number-check.ts';

/** How many problems the report lists (the rest are counted). */
const SHOWN = 300;
/** Share of the bar for sending the file; the rest is the server's row-by-row check. */
const UPLOAD_SHARE = 60;

/** Fired (bubbling, composed) after records were imported. */
export class CertificatesImportedEvent extends Event {
  static readonly type = 'sc-certificates-imported';
  constructor(readonly created: number) {
    super(CertificatesImportedEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * Existing certificate records from a spreadsheet: the server checks every row first (a dry run,
 * nothing stored) and reports each problem by sheet row and column; a file without problems is
 * then imported in one go (all or nothing). The bar shows the upload, then the server's check.
 *
 * @event sc-certificates-imported - CertificatesImportedEvent
 */
@customElement('sc-hr-import')
export class HrImport extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
        margin: 0;
      }
      progress {
        width: 100%;
        height: 14px;
        accent-color: var(--sc-accent);
      }
      .summary {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
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
      td.r {
        width: 4em;
        font-variant-numeric: tabular-nums;
      }
      td.c {
        width: 9em;
      }
      .detail {
        color: var(--sc-muted);
        font-size: 13px;
      }
      .hint-text {
        line-height: 1.7;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  @state() private file: File | null = null;
  @state() private phase: UploadPhase | null = null;
  @state() private fraction = 0;
  @state() private report: CertificateImportReport | null = null;
  @state() private imported: number | null = null;
  @state() private error: unknown = null;

  private choose(file: File | undefined | null) {
    if (!file) return;
    this.file = file;
    this.report = null;
    this.imported = null;
    this.error = null;
    if (!this.typeOf(file)) this.error = new Error(t('hr.imp.wrongType'));
    else void this.send(true);
  }

  private typeOf(file: File): string | null {
    const ext = file.name.toLowerCase().split('.').pop();
    return ext === 'xlsx' ? XLSX_CONTENT_TYPE : ext === 'csv' ? CSV_CONTENT_TYPE : null;
  }

  /** A dry run, then (when clean) the import itself. */
  private async send(dryRun: boolean) {
    const file = this.file;
    const type = file && this.typeOf(file);
    if (!file || !type) return;
    this.error = null;
    this.phase = 'uploading';
    this.fraction = 0;
    try {
      const res = await uploadFile(`/api/certificates/import?dryRun=${dryRun}`, file, type, (phase, fraction) => {
        this.phase = phase;
        this.fraction = fraction;
      });
      const body = res.body as (CertificateImportReport & { report?: CertificateImportReport }) | undefined;
      if (res.status === 200 && body) {
        this.report = body;
        if (!dryRun && body.stored) {
          this.imported = body.created;
          this.dispatchEvent(new CertificatesImportedEvent(body.created));
        }
      } else if (res.status === 400 && body?.report) {
        this.report = body.report;
        this.error = problemToError(res.status, body);
      } else this.error = problemToError(res.status, body);
    } catch (err) {
      this.error = err;
    } finally {
      this.phase = null;
    }
  }

  /** The problem in the user's language, with the detail that names exactly what is wrong when there is one. */
  private problem(e: CertificateImportError) {
    const key = `hr.imp.code.${e.code}`;
    const text = t(key);
    if (text === key) return e.message;
    const detail =
      e.code === 'certificate_number'
        ? translateNumberMessage(e.message)
        : e.code === 'name_mismatch'
          ? t('hr.imp.registeredAs', { name: /registered to (.+)$/.exec(e.message)?.[1] ?? '' })
          : e.code === 'invalid'
            ? e.message
            : '';
    return html`${text}${detail ? html`<div class="detail">${detail}</div>` : nothing}`;
  }

  private renderProgress() {
    if (!this.phase) return nothing;
    const value = this.phase === 'uploading' ? Math.round(this.fraction * UPLOAD_SHARE) : undefined;
    return html`<div style="margin-top:12px" data-testid="import-progress">
      <progress max="100" .value=${value ?? UPLOAD_SHARE} aria-label=${t('hr.imp.processing')}></progress>
      <div class="muted">${this.phase === 'uploading' ? t('hr.imp.uploading', { pct: Math.round(this.fraction * 100) }) : t('hr.imp.processing')}</div>
    </div>`;
  }

  private renderReport(r: CertificateImportReport) {
    const badRows = r.total - r.valid;
    return html`<div class="card" data-testid="import-report">
      <div class="summary">
        <div><span class="muted">${t('hr.imp.total')}</span><b>${r.total}</b></div>
        <div><span class="muted">${t('hr.imp.valid')}</span><b>${r.valid}</b></div>
        <div class=${badRows ? 'bad' : ''}><span class="muted">${t('hr.imp.bad')}</span><b data-testid="bad-rows">${badRows}</b></div>
      </div>
      ${this.imported !== null
        ? html`<div class="banner ok-banner" role="status" data-testid="import-done">${t('hr.imp.done', { n: this.imported })}</div>`
        : r.errors.length === 0
          ? html`<div class="banner ok-banner" role="status">${t('hr.imp.allGood', { n: r.total })}</div>
              <button class="primary" data-testid="import-run" ?disabled=${!!this.phase} @click=${() => this.send(false)}>${t('hr.imp.run', { n: r.valid })}</button>`
          : html`<p class="warn-banner banner">${t('hr.imp.fix')}</p>
              <div class="table-wrap">
                <table data-testid="import-errors">
                  <thead>
                    <tr>
                      <th>${t('hr.imp.col.row')}</th>
                      <th>${t('hr.imp.col.column')}</th>
                      <th>${t('hr.imp.col.value')}</th>
                      <th>${t('hr.imp.col.problem')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${r.errors.slice(0, SHOWN).map(
                      (e) => html`<tr>
                        <td class="r">${e.row}</td>
                        <td class="c">${e.column}</td>
                        <td class="mono">${e.value || '—'}</td>
                        <td>${this.problem(e)}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              ${r.errors.length > SHOWN ? html`<p class="muted">${t('hr.imp.more', { n: r.errors.length - SHOWN })}</p>` : nothing}`}
    </div>`;
  }

  override render() {
    return html`<div class="stack">
      <section class="card">
        <h2>${t('hr.imp.title')}</h2>
        <p class="muted hint-text">${t('hr.imp.hint')}</p>
        <p><a class="btn" href="/api/import-templates/certificates" download data-testid="template">${t('hr.imp.template')}</a></p>
        <sc-file-drop
          hint=${t('hr.imp.types')}
          label=${this.file ? t('hr.imp.again') : t('hr.imp.choose')}
          inputTestId="import-file"
          .file=${this.file}
          @sc-file=${(e: FileChosenEvent) => this.choose(e.file)}
        ></sc-file-drop>
        ${this.renderProgress()}
      </section>
      ${errorBanner(this.error)} ${this.report ? this.renderReport(this.report) : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-hr-import': HrImport;
  }
}
