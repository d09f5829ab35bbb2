import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../server/contracts/sheet-types.ts';
import type { ObjectiveGrid, ObjectiveImportError, ObjectiveImportReport } from '../../server/contracts/objective.ts';
import { ApiError, NetworkError } from '../api/client.ts';
import { LocaleController, t } from '../app/i18n.ts';
import '../i18n/objective.ts';
import { problemToError, uploadFile } from '../api/upload.ts';
import { sharedStyles } from '../styles/shared.ts';
import { FileChosenEvent } from './file-drop.ts';
import './file-drop.ts';
import { showValue } from './objective-values.ts';

/** Fired after objective values were saved, imported or settled: whoever shows them reloads. */
export class ObjectiveChangedEvent extends Event {
  static readonly type = 'sc-objective-changed';
  constructor() {
    super(ObjectiveChangedEvent.type, { bubbles: true, composed: true });
  }
}

/** Rows of the report listed in full (every row with a problem is always listed). */
const ROWS_SHOWN = 300;

function contentTypeOf(name: string): string | null {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return ext === 'xlsx' ? XLSX_CONTENT_TYPE : ext === 'csv' ? CSV_CONTENT_TYPE : null;
}

/**
 * The exam system's results from a file: drop or choose an .xlsx/.csv file, the server checks it
 * (a dry run) and reports row by row what an import would do (new, changed, unchanged values and
 * each problem); the user confirms, with a reason when values already entered change, and every
 * row is stored at once (or none).
 *
 * @event sc-objective-changed - the file was imported (ObjectiveChangedEvent)
 */
@customElement('sc-objective-import')
export class ObjectiveImportElement extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        margin: 8px 0 12px;
      }
      .card h3 {
        font-size: 17px;
        margin: 0 0 6px;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      .summary {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin: 8px 0;
      }
      .summary span {
        background: #f3f5f8;
        border-radius: 8px;
        padding: 4px 10px;
        font-size: 14px;
      }
      .summary b {
        font-size: 18px;
        margin-left: 4px;
        font-variant-numeric: tabular-nums;
      }
      .summary .bad b {
        color: var(--sc-danger);
      }
      .report-wrap {
        max-height: 320px;
        overflow: auto;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
      }
      .report-wrap th {
        position: sticky;
        top: 0;
        background: #f3f5f8;
      }
      tr.bad td {
        background: #fdecea;
      }
      .change {
        color: var(--sc-warn);
      }
      .ok {
        color: var(--sc-ok);
      }
      .error {
        color: var(--sc-danger);
      }
      .banner {
        border-radius: 8px;
        padding: 8px 12px;
        margin: 8px 0;
      }
      .banner.ok-banner {
        background: #e6f4ea;
        color: var(--sc-ok);
      }
      .banner.error-banner {
        background: #fdecea;
        color: var(--sc-danger);
      }
      .reason {
        margin-top: 8px;
      }
      .reason input {
        width: 100%;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  /** The grid being filled: its round, columns and numbers (for the template). */
  @property({ attribute: false }) grid!: ObjectiveGrid;

  @state() private file: File | null = null;
  @state() private running: 'check' | 'import' | null = null;
  @state() private report: ObjectiveImportReport | null = null;
  @state() private error = '';
  @state() private reason = '';

  private choose(file: File | undefined) {
    if (!file) return;
    this.file = file;
    this.report = null;
    this.reason = '';
    void this.send(false);
  }

  private async send(store: boolean) {
    const file = this.file;
    if (!file) return;
    const type = contentTypeOf(file.name);
    if (!type) {
      this.error = t('obj.import.wrongType');
      return;
    }
    this.running = store ? 'import' : 'check';
    this.error = '';
    const q = new URLSearchParams({ roundId: String(this.grid.roundId) });
    if (!store) q.set('dryRun', 'true');
    if (store && this.reason.trim()) q.set('reason', this.reason.trim());
    try {
      const res = await uploadFile(`/api/events/${this.eventId}/objective-values/import?${q}`, file, type, () => undefined);
      const body = res.body as (ObjectiveImportReport & { report?: ObjectiveImportReport }) | undefined;
      if (res.status === 200) this.report = body as ObjectiveImportReport;
      else if (res.status === 400 && body?.report) this.report = body.report;
      else throw problemToError(res.status, res.body);
      if (this.report?.stored) this.dispatchEvent(new ObjectiveChangedEvent());
    } catch (err) {
      const code = err instanceof ApiError ? `obj.code.${err.code}` : '';
      this.error = err instanceof NetworkError ? t('app.offline') : code && t(code) !== code ? t(code) : err instanceof Error ? err.message : String(err);
    } finally {
      this.running = null;
    }
  }

  private problemText(e: ObjectiveImportError): string {
    const key = `obj.import.code.${e.code}`;
    const text = t(key);
    const base = text === key ? e.message : text;
    return e.value ? `${e.column}：${base}（${e.value}）` : `${e.column}：${base}`;
  }

  private fieldName(field: string): string {
    const c = this.grid.columns.find((x) => x.field === field);
    return !c ? field : c.kind === 'part' ? c.name : t('obj.completionTime');
  }

  private renderReport(r: ObjectiveImportReport) {
    const badRows = new Set(r.errors.map((e) => e.row));
    const errorsOf = new Map<number, ObjectiveImportError[]>();
    for (const e of r.errors) errorsOf.set(e.row, [...(errorsOf.get(e.row) ?? []), e]);
    const shown = r.rows.filter((row, i) => i < ROWS_SHOWN || badRows.has(row.row));
    const toStore = r.newValues + r.changedValues;
    const clean = r.errors.length === 0;
    return html`<div data-testid="objective-report" aria-live="polite">
      <h3 style="margin-top:12px">${r.stored ? t('obj.import.doneTitle') : t('obj.import.report')}</h3>
      ${r.stored
        ? html`<div class="banner ok-banner" role="status" data-testid="objective-import-done">${t('obj.import.done', { new: r.newValues, changed: r.changedValues })}</div>`
        : clean
          ? html`<div class="banner ok-banner" role="status">${t('obj.import.clean', { n: r.valid })}</div>`
          : html`<div class="banner error-banner" role="alert">${t('obj.import.hasErrors', { n: badRows.size })}</div>`}
      <p class="muted" style="font-size:14px;margin:0">
        ${t(`obj.import.matchBy.${r.matchBy}`)} ·
        ${t('obj.import.sheetInfo', { sheet: r.sheet, row: r.headerRow, columns: r.columns.map((c) => c.header).join('、') })}
      </p>
      <div class="summary">
        <span>${t('obj.import.total')}<b>${r.total}</b></span>
        <span>${t('obj.import.valid')}<b>${r.valid}</b></span>
        <span class=${badRows.size ? 'bad' : ''}>${t('obj.import.bad')}<b data-testid="objective-bad-rows">${badRows.size}</b></span>
        <span>${t('obj.import.new')}<b>${r.newValues}</b></span>
        <span>${t('obj.import.changed')}<b>${r.changedValues}</b></span>
        <span>${t('obj.import.same')}<b>${r.unchangedValues}</b></span>
      </div>
      <div class="report-wrap">
        <table>
          <thead>
            <tr>
              <th>${t('obj.import.row')}</th>
              <th>${t('obj.number')}</th>
              <th>${t('obj.import.values')}</th>
              <th>${t('obj.import.problems')}</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (row) => html`<tr class=${row.ok ? '' : 'bad'} data-row=${row.row}>
                <td>${t('obj.import.rowN', { n: row.row })}</td>
                <td>${row.number ?? (row.ok && r.matchBy !== 'number' ? html`<span class="muted">${t('obj.import.hidden')}</span>` : '—')}</td>
                <td>
                  ${row.cells.map((c) => {
                    const column = this.grid.columns.find((x) => x.field === c.field);
                    const v = column ? showValue(column, c.value) : String(c.value);
                    const prev = c.previous === null ? '' : column ? showValue(column, c.previous) : String(c.previous);
                    return html`<div>
                      ${this.fieldName(c.field)} <b>${v}</b>
                      <span class=${c.change === 'change' ? 'change' : 'muted'}>（${t(`obj.import.change.${c.change}`, { previous: prev })}）</span>
                    </div>`;
                  })}
                </td>
                <td>${row.ok ? html`<span class="ok">${t('obj.import.ok')}</span>` : (errorsOf.get(row.row) ?? []).map((e) => html`<div class="error">${this.problemText(e)}</div>`)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${!r.stored && clean
        ? toStore === 0
          ? html`<p class="muted">${t('obj.import.nothing')}</p>`
          : html`${r.reasonRequired
                ? html`<div class="reason">
                    <label for="import-reason">${t('obj.import.reason')}</label>
                    <input id="import-reason" data-testid="objective-import-reason" .value=${this.reason} @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)} />
                  </div>`
                : nothing}
              <div class="row" style="margin-top:8px">
                <button
                  class="primary"
                  data-testid="objective-import-go"
                  ?disabled=${this.running !== null || (r.reasonRequired && this.reason.trim().length < 2)}
                  @click=${() => void this.send(true)}
                >
                  ${t('obj.import.go', { n: toStore })}
                </button>
              </div>`
        : nothing}
    </div>`;
  }

  override render() {
    const cols = this.grid.columns.map((c) => (c.kind === 'part' ? c.name : '用时')).join('、');
    return html`<section class="card">
      <div class="row">
        <h3 style="flex:1;margin:0">${t('obj.import.title')}</h3>
        <a class="btn" href="/api/events/${this.eventId}/objective-template?roundId=${this.grid.roundId}" download data-testid="objective-template"
          >${t('obj.import.template')}</a
        >
      </div>
      <p class="muted" style="margin:4px 0 8px;font-size:14px">${t('obj.import.intro', { columns: cols })}</p>
      <sc-file-drop
        hint=${t('obj.import.drop')}
        label=${t('obj.import.choose')}
        inputTestId="objective-file"
        data-testid="objective-drop"
        .file=${this.file}
        ?disabled=${this.running !== null}
        @sc-file=${(e: FileChosenEvent) => this.choose(e.file)}
      >
        ${this.running ? html`<p class="muted" role="status">${t(this.running === 'check' ? 'obj.import.checking' : 'obj.import.importing')}</p>` : nothing}
      </sc-file-drop>
      ${this.error ? html`<div class="banner error-banner" role="alert">${this.error}</div>` : nothing} ${this.report ? this.renderReport(this.report) : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-objective-import': ObjectiveImportElement;
  }
}
