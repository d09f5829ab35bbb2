import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Scheme } from '../../../server/contracts/scheme.ts';
import { XLSX_CONTENT_TYPE } from '../../../server/contracts/sheet-types.ts';
import type { SchemeChange, SchemeImportReport, SheetProblem } from '../../../server/contracts/spreadsheets.ts';
import { problemToError, uploadFile, type UploadPhase } from '../../api/upload.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { errorBanner } from '../../components/error-banner.ts';
import { FileChosenEvent } from '../../components/file-drop.ts';
import '../../components/file-drop.ts';
import '../../i18n/organiser.ts';
import '../../i18n/spreadsheets.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { OrgDataChangedEvent } from './org-shared.ts';
import './org-widgets.ts';

/** Fired after an imported workbook replaced the scheme: `scheme` is the one now stored. */
export class SchemeImportedEvent extends Event {
  static readonly type = 'sc-scheme-imported';
  constructor(readonly scheme: Scheme) {
    super(SchemeImportedEvent.type, { bubbles: true, composed: true });
  }
}

/** Share of the bar for sending the file; the rest is the server's check. */
const UPLOAD_SHARE = 60;

/**
 * `<sc-scheme-xlsx>`: the marking scheme (评分细则) as an Excel workbook, on the event's scheme page.
 * Export links the workbook (sheets 部分, 评分项, 设置, 说明); import sends a chosen .xlsx as a dry run
 * first, with a progress bar, and shows the report — what would change, item by item, or every
 * problem by its cell (评分项!D7), or why the event's rules refuse it (marks entered) — before the
 * organiser confirms and the scheme is replaced.
 *
 * Properties: `eventId`; `roundId` and `roundName` to work on a round's own scheme (0: the event's);
 * `canImport` (organisers and admins: without it only the export shows).
 *
 * Events: `sc-scheme-imported` (SchemeImportedEvent) with the stored scheme, and `sc-org-changed`.
 */
@customElement('sc-scheme-xlsx')
export class SchemeXlsx extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        margin: 0 0 16px;
      }
      section {
        border: 1px solid var(--sc-line);
        border-radius: 12px;
        padding: 16px;
        background: var(--sc-card);
      }
      h3 {
        font-size: 18px;
        margin: 0;
        flex: 1;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      p.muted {
        color: var(--sc-muted);
        font-size: 14px;
        margin: 6px 0 12px;
        line-height: 1.5;
      }
      .banner {
        border-radius: 8px;
        padding: 10px 12px;
        margin: 10px 0;
      }
      .ok-banner {
        background: #e6f4ea;
        color: var(--sc-ok);
      }
      .error-banner {
        background: #fdecea;
        color: var(--sc-danger);
      }
      .warn-banner {
        background: #fff4e5;
        color: #8a4b00;
      }
      ul.changes {
        list-style: none;
        padding: 0;
        margin: 8px 0;
        max-height: 360px;
        overflow: auto;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
      }
      ul.changes li {
        padding: 8px 12px;
        border-bottom: 1px solid var(--sc-line);
        line-height: 1.5;
      }
      ul.changes li:last-child {
        border-bottom: none;
      }
      .tag {
        display: inline-block;
        min-width: 5.5em;
        padding: 0 8px;
        margin-right: 8px;
        border-radius: 999px;
        font-size: 13px;
        text-align: center;
        background: #eef1f5;
        color: var(--sc-muted);
      }
      .tag.added {
        background: #e6f4ea;
        color: var(--sc-ok);
      }
      .tag.removed {
        background: #fdecea;
        color: var(--sc-danger);
      }
      .tag.changed {
        background: #fff4e5;
        color: #8a4b00;
      }
      .field {
        display: inline-block;
        margin-right: 12px;
        white-space: nowrap;
      }
      .from {
        color: var(--sc-muted);
        text-decoration: line-through;
      }
      .scroll {
        overflow-x: auto;
        max-height: 360px;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: left;
        padding: 6px 10px;
        border-bottom: 1px solid var(--sc-line);
        vertical-align: top;
      }
      th {
        position: sticky;
        top: 0;
        background: #f3f5f8;
      }
      td.cell {
        font-family: ui-monospace, monospace;
        white-space: nowrap;
      }
      td.problem {
        color: var(--sc-danger);
      }
      sc-progress {
        margin-top: 12px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  @property({ type: Number }) roundId = 0;
  @property() roundName = '';
  @property({ type: Boolean }) canImport = false;

  @state() private file: File | null = null;
  @state() private phase: 'idle' | UploadPhase | 'done' = 'idle';
  @state() private progress = 0;
  @state() private running: 'check' | 'import' | null = null;
  @state() private report: SchemeImportReport | null = null;
  @state() private error: unknown = null;
  private ticker = 0;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // Another round chosen: the report was about the other scheme.
    if (changed.has('roundId') && changed.get('roundId') !== undefined) {
      this.report = null;
      this.file = null;
      this.phase = 'idle';
    }
  }

  private get query(): string {
    return this.roundId ? `roundId=${this.roundId}` : '';
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
    if (!file.name.toLowerCase().endsWith('.xlsx')) {
      this.error = new Error(t('ss.wrongType'));
      return;
    }
    this.running = store ? 'import' : 'check';
    this.phase = 'uploading';
    this.progress = 0;
    this.error = null;
    try {
      const q = [this.query, store ? '' : 'dryRun=true'].filter(Boolean).join('&');
      const res = await uploadFile(`/api/events/${this.eventId}/scheme.xlsx${q ? `?${q}` : ''}`, file, XLSX_CONTENT_TYPE, this.onProgress);
      const body = res.body as (SchemeImportReport & { report?: SchemeImportReport }) | undefined;
      if (res.status === 200) this.report = body as SchemeImportReport;
      else if (res.status === 400 && body?.report) this.report = body.report;
      else throw problemToError(res.status, res.body);
      this.progress = 100;
      this.phase = 'done';
      if (this.report?.stored && this.report.scheme) {
        this.dispatchEvent(new SchemeImportedEvent(this.report.scheme));
        this.dispatchEvent(new OrgDataChangedEvent());
      }
    } catch (err) {
      this.error = err;
      this.phase = 'idle';
      this.progress = 0;
    } finally {
      clearInterval(this.ticker);
      this.running = null;
    }
  }

  private problemText(p: SheetProblem): string {
    const key = `ss.code.${p.code}`;
    const text = t(key, p.params);
    return text === key ? p.message : text;
  }

  /** A changed value in words: 理论 for theory, 30% for a weight, 是 / 否. */
  private valueText(field: string, value: string | number | boolean | null): string {
    if (value === null || value === '') return field === 'tieBreaks' ? t('org.scheme.tbNone') : t('ss.none');
    if (typeof value === 'boolean') return value ? t('ss.yes') : t('ss.no');
    switch (field) {
      case 'role':
        return t(`org.scheme.role.${value}`);
      case 'marking':
        return t(`org.scheme.marking.${value}`);
      case 'aggregation':
        return t(`org.scheme.agg.${value}`);
      case 'totaling':
        return t(`org.scheme.totaling.${value}`);
      case 'panel':
        return t(`ss.panel.${value}`);
      case 'tieBreaks':
        return String(value)
          .split(',')
          .map((x) => t(`org.scheme.tb.${x}`))
          .join(' → ');
      case 'weight':
        return `${value}%`;
      default:
        return String(value);
    }
  }

  private renderChange(c: SchemeChange) {
    const tone = c.kind.endsWith('_added') ? 'added' : c.kind.endsWith('_removed') ? 'removed' : 'changed';
    const what =
      c.kind === 'setting' || c.kind === 'parts_reordered'
        ? ''
        : c.criterionId
          ? `${c.partName}（${c.partId}）› ${c.criterionName}（${c.criterionId}）`
          : `${c.partName}（${c.partId}）`;
    return html`<li data-kind=${c.kind}>
      <span class="tag ${tone}">${t(`ss.kind.${c.kind}`)}</span>${what}
      ${c.fields.length
        ? html`<div>
            ${c.fields.map(
              (f) => html`<span class="field"
                >${t(`ss.field.${f.field}`)}：${f.field === 'order'
                  ? html`${String(f.after).split(',').join('、')}`
                  : html`<span class="from">${this.valueText(f.field, f.before)}</span> → <b>${this.valueText(f.field, f.after)}</b>`}</span
              >`,
            )}
          </div>`
        : nothing}
    </li>`;
  }

  private renderReport(r: SchemeImportReport) {
    const refusal = r.refusal ? (t(`ss.refusal.${r.refusal.code}`) === `ss.refusal.${r.refusal.code}` ? r.refusal.message : t(`ss.refusal.${r.refusal.code}`)) : '';
    return html`<div data-testid="scheme-report" aria-live="polite" style="margin-top:12px">
      <h3>${r.stored ? t('ss.doneTitle') : t('ss.reportTitle')}</h3>
      ${r.stored
        ? html`<div class="banner ok-banner" role="status" data-testid="scheme-import-done">${t('ss.done', { parts: r.parts, criteria: r.criteria })}</div>`
        : r.problems.length
          ? html`<div class="banner error-banner" role="alert">${t('ss.problemsN', { n: r.problems.length })}</div>`
          : r.changed
            ? nothing
            : html`<div class="banner ok-banner" role="status" data-testid="scheme-same">${t('ss.same')}</div>`}
      ${r.problems.length
        ? html`<div class="scroll">
            <table data-testid="scheme-problems">
              <thead>
                <tr>
                  <th>${t('ss.cell')}</th>
                  <th>${t('ss.column')}</th>
                  <th>${t('ss.value')}</th>
                  <th>${t('ss.problem')}</th>
                </tr>
              </thead>
              <tbody>
                ${r.problems.map(
                  (p) => html`<tr data-cell=${p.cell}>
                    <td class="cell">${p.cell}</td>
                    <td>${p.header ?? ''}</td>
                    <td>${p.value}</td>
                    <td class="problem">${this.problemText(p)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : nothing}
      ${!r.problems.length && r.changed && !r.stored
        ? html`<p style="margin:8px 0 0">${t('ss.summary', { parts: r.parts, criteria: r.criteria })} ${t('ss.changesN', { n: r.changes.length })}</p>
            <ul class="changes" data-testid="scheme-changes">
              ${r.changes.map((c) => this.renderChange(c))}
            </ul>`
        : nothing}
      ${refusal ? html`<div class="banner warn-banner" role="alert" data-testid="scheme-refusal">${t('ss.refused', { reason: refusal })}</div>` : nothing}
      <div class="row" style="margin-top:8px">
        ${!r.stored && r.changed && !r.problems.length && !r.refusal
          ? html`<button class="primary" data-testid="scheme-import-go" ?disabled=${this.running !== null} @click=${() => void this.send(true)}>${t('ss.confirm')}</button>`
          : nothing}
        ${this.file && !r.stored ? html`<button ?disabled=${this.running !== null} @click=${() => void this.send(false)}>${t('ss.recheck')}</button>` : nothing}
      </div>
    </div>`;
  }

  override render() {
    const label =
      this.phase === 'uploading'
        ? t('ss.uploading')
        : this.phase === 'processing'
          ? t(this.running === 'import' ? 'ss.importing' : 'ss.checking')
          : this.phase === 'done'
            ? t('ss.finished')
            : '';
    const href = `/api/events/${this.eventId}/scheme.xlsx${this.query ? `?${this.query}` : ''}`;
    return html`<section data-testid="scheme-xlsx">
      <div class="row">
        <h3>${t('ss.title')}</h3>
        <a class="btn" href=${href} download data-testid="scheme-export">${t('ss.export')}</a>
      </div>
      <p class="muted">${t('ss.intro')}${this.roundId ? ` ${t('ss.introRound', { round: this.roundName })}` : ''}</p>
      ${this.canImport
        ? html`<sc-file-drop
              hint=${t('ss.drop')}
              label=${t('ss.choose')}
              accept=${`.xlsx,${XLSX_CONTENT_TYPE}`}
              inputTestId="scheme-file"
              .file=${this.file}
              ?disabled=${this.running !== null}
              @sc-file=${(e: FileChosenEvent) => this.choose(e.file)}
            ></sc-file-drop>
            ${this.phase !== 'idle'
              ? html`<sc-progress .value=${this.progress} .label=${label} ?done=${this.phase === 'done'} data-testid="scheme-progress"></sc-progress>`
              : nothing}`
        : nothing}
      ${errorBanner(this.error)} ${this.report ? this.renderReport(this.report) : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-scheme-xlsx': SchemeXlsx;
  }
}
