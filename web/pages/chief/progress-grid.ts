import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/judging.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { chiefStyles, ChiefChangedEvent, fmt, OpenMarksEvent, RoundChosenEvent, when, type MarkingProgress } from './chief-shared.ts';

type Cell = MarkingProgress['rows'][number]['cells'][number];

/**
 * The marking-progress grid: contestants (rows, by drawn number) × judges (columns). Each cell
 * shows how many of the judge's criteria are in and, once complete, the judge's part marks;
 * marks far from the panel's median are flagged.
 *
 * @event sc-chief-open-marks - a cell was chosen (OpenMarksEvent)
 * @event sc-chief-round - another round was chosen (RoundChosenEvent)
 * @event sc-chief-changed - the user asked to reload (ChiefChangedEvent)
 */
@customElement('sc-chief-progress')
export class ChiefProgress extends LitElement {
  static override styles = [
    sharedStyles,
    chiefStyles,
    css`
      .summary {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(104px, 1fr));
        gap: 8px;
        margin-bottom: 12px;
      }
      .stat {
        background: var(--sc-card);
        border: 1px solid var(--sc-line);
        border-radius: 10px;
        padding: 8px 10px;
        min-width: 0;
      }
      .stat b {
        display: block;
        font-size: 22px;
        font-variant-numeric: tabular-nums;
      }
      .stat span {
        display: block;
        font-size: 13px;
        line-height: 1.25;
        color: var(--sc-muted);
      }
      .caption {
        font-size: 13px;
        color: var(--sc-muted);
        margin: 0 0 6px;
      }
      .stat.bad b {
        color: var(--sc-danger);
      }
      .stat.warn b {
        color: var(--sc-warn);
      }
      .grid-wrap {
        overflow: auto;
        max-height: calc(100vh - 300px);
        min-height: 240px;
        border: 1px solid var(--sc-line);
        border-radius: 10px;
        background: var(--sc-card);
      }
      table {
        border-collapse: separate;
        border-spacing: 0;
        width: 100%;
      }
      th,
      td {
        padding: 4px;
        border-bottom: 1px solid var(--sc-line);
        text-align: center;
        font-variant-numeric: tabular-nums;
      }
      thead th {
        position: sticky;
        top: 0;
        background: #f0f2f5;
        z-index: 2;
        font-size: 14px;
        font-weight: 600;
        white-space: nowrap;
      }
      th.num,
      td.num {
        position: sticky;
        left: 0;
        background: var(--sc-card);
        z-index: 1;
        text-align: center;
        font-weight: 600;
        min-width: 56px;
      }
      thead th.obj {
        white-space: normal;
        max-width: 88px;
        font-size: 13px;
      }
      thead th.num {
        z-index: 3;
        background: #f0f2f5;
      }
      .name {
        display: block;
        font-size: 12px;
        font-weight: 400;
        color: var(--sc-muted);
        max-width: 72px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      /* Recusal leaves this number fewer marks than the part's minimum (its score uses the fallback). */
      .short {
        display: block;
        font-size: 12px;
        font-weight: 600;
        color: var(--sc-warn-fg, #8a4b00);
        white-space: nowrap;
      }
      button.cell {
        width: 100%;
        min-width: 64px;
        min-height: 48px;
        padding: 2px 4px;
        border-radius: 6px;
        border: 1px solid transparent;
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        line-height: 1.2;
        position: relative;
        font-size: 15px;
      }
      .cell.none {
        background: #f3f4f6;
        color: var(--sc-muted);
      }
      .cell.partial {
        background: #fff4e5;
        color: var(--sc-warn);
      }
      .cell.done {
        background: #e6f4ea;
        color: #134e24;
      }
      .cell.recused,
      .cell.na {
        background: repeating-linear-gradient(45deg, #f6f7f9, #f6f7f9 6px, #eceef2 6px, #eceef2 12px);
        color: var(--sc-muted);
        font-size: 13px;
      }
      .cell.outlier {
        border: 2px solid var(--sc-danger);
        background: #fdecea;
        color: var(--sc-danger);
      }
      .cell .count {
        font-size: 12px;
        opacity: 0.8;
      }
      .cell .marks {
        font-weight: 600;
        white-space: nowrap;
      }
      .flag {
        position: absolute;
        top: 2px;
        right: 4px;
        font-size: 12px;
        font-weight: 700;
      }
      .dot {
        position: absolute;
        top: 4px;
        left: 4px;
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--sc-focus);
      }
      tr.absent td {
        opacity: 0.55;
      }
      td.obj,
      td.row-total {
        font-size: 14px;
        white-space: nowrap;
      }
      td.row-total.complete {
        color: var(--sc-ok);
        font-weight: 600;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 14px;
        margin-top: 10px;
        font-size: 13px;
        color: var(--sc-muted);
      }
      .legend i {
        display: inline-block;
        width: 14px;
        height: 14px;
        border-radius: 3px;
        vertical-align: -2px;
        margin-right: 4px;
        border: 1px solid var(--sc-line);
      }
      .live {
        font-size: 13px;
        color: var(--sc-ok);
      }
      .live.off {
        color: var(--sc-danger);
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) progress: MarkingProgress | null = null;
  @property({ type: Boolean }) live = false;
  @property({ type: Boolean }) loading = false;
  @property() updatedAt: string | null = null;

  private cellClass(cell: Cell, checkedIn: boolean): string {
    if (cell.recused) return 'recused';
    if (cell.expected === 0 && cell.marked === 0) return checkedIn ? 'none' : 'na';
    const outlier = cell.parts.some((p) => p.outlier);
    if (outlier) return 'outlier';
    if (cell.marked === 0) return 'none';
    return cell.marked >= cell.expected ? 'done' : 'partial';
  }

  private renderCell(row: MarkingProgress['rows'][number], cell: Cell, judgeName: string) {
    const checkedIn = row.status === 'checked_in';
    const cls = this.cellClass(cell, checkedIn);
    const outlier = cell.parts.find((p) => p.outlier);
    const label = cell.recused
      ? t('chief.grid.recused')
      : !checkedIn && cell.marked === 0
        ? '—'
        : html`<span class="count">${cell.marked}/${cell.expected}</span>
            ${cell.parts.some((p) => p.mark != null) ? html`<span class="marks">${cell.parts.map((p) => fmt(p.mark)).join(' · ')}</span>` : nothing}`;
    const title = [
      `${row.number} · ${judgeName}`,
      `${t('chief.grid.in')} ${cell.marked}/${cell.expected}`,
      ...(outlier ? [t('chief.grid.outlierTitle', { mark: fmt(outlier.mark), median: fmt(outlier.median) })] : []),
      ...(cell.correctionPending ? [t('chief.grid.correctionPending')] : []),
    ].join('\n');
    return html`<td>
      <button
        class="cell ${cls}"
        title=${title}
        data-testid="cell-${row.number}-${cell.judgeId}"
        @click=${() => this.dispatchEvent(new OpenMarksEvent(row.number, cell.judgeId))}
      >
        ${cell.correctionPending ? html`<span class="dot" aria-label=${t('chief.grid.correctionPending')}></span>` : nothing}
        ${outlier ? html`<span class="flag">!</span>` : nothing} ${label}
      </button>
    </td>`;
  }

  override render() {
    const p = this.progress;
    if (!p) return html`<p class="empty">${this.loading ? t('app.loading') : t('chief.grid.none')}</p>`;
    const totals = p.totals;
    const judgeName = new Map(p.judges.map((j) => [j.id, j.name]));
    return html`
      <div class="toolbar">
        <label style="margin:0" for="round">${t('chief.round')}</label>
        <select id="round" @change=${(e: Event) => this.dispatchEvent(new RoundChosenEvent(Number((e.target as HTMLSelectElement).value)))}>
          ${p.rounds.map(
            (r) => html`<option value=${r.id} ?selected=${r.id === p.roundId}>${r.name}${r.status === 'closed' ? `（${t('chief.closed')}）` : ''}</option>`,
          )}
        </select>
        <span class="grow"></span>
        <span class="live ${this.live ? '' : 'off'}" data-testid="grid-live">● ${this.live ? t('chief.live') : t('chief.offline')}</span>
        <span class="muted" style="font-size:13px">${this.updatedAt ? t('chief.updated', { time: when(this.updatedAt) }) : ''}</span>
        <button @click=${() => this.dispatchEvent(new ChiefChangedEvent())} ?disabled=${this.loading} data-testid="grid-refresh">${t('chief.refresh')}</button>
      </div>
      <div class="summary" data-testid="grid-summary">
        <div class="stat"><b>${totals.marked}/${totals.expected}</b><span>${t('chief.grid.marksIn')}</span></div>
        <div class="stat ${totals.missing > 0 ? 'warn' : ''}"><b data-testid="missing">${totals.missing}</b><span>${t('chief.grid.missing')}</span></div>
        <div class="stat"><b>${totals.completeEntries}/${totals.checkedIn}</b><span>${t('chief.grid.complete')}</span></div>
        <div class="stat ${totals.outliers > 0 ? 'bad' : ''}"><b data-testid="outliers">${totals.outliers}</b><span>${t('chief.grid.outliers')}</span></div>
        <div class="stat ${p.pendingCorrections > 0 ? 'warn' : ''}"><b>${p.pendingCorrections}</b><span>${t('chief.grid.pending')}</span></div>
        <div class="stat ${p.openPaperDisputes > 0 ? 'warn' : ''}"><b>${p.openPaperDisputes}</b><span>${t('chief.grid.disputes')}</span></div>
      </div>
      <p class="caption">${t('chief.grid.caption', { parts: p.parts.map((x) => x.name).join(' · ') })}</p>
      <div class="grid-wrap">
        <table data-testid="progress-grid">
          <thead>
            <tr>
              <th class="num">${t('chief.number')}</th>
              ${p.judges.map(
                (j) =>
                  html`<th title=${j.name}>
                    ${j.name}${j.role === 'chief' ? html`<span class="name">${t('chief.role.chief')}</span>` : nothing}${j.trainee
                      ? html`<span class="name" data-testid="trainee-column">${t('jq.trainee')}</span>`
                      : nothing}
                  </th>`,
              )}
              ${p.objectiveParts.map((o) => html`<th class="obj">${o.name}</th>`)}
              <th>${t('chief.grid.rowTotal')}</th>
            </tr>
          </thead>
          <tbody>
            ${p.rows.map(
              (row) => html`<tr class=${row.status === 'checked_in' ? '' : 'absent'} data-number=${row.number}>
                <td class="num">${row.number}${row.name ? html`<span class="name">${row.name}</span>` : nothing}${row.status !== 'checked_in'
                    ? html`<span class="name">${t(`chief.status.${row.status}`)}</span>`
                    : nothing}${row.shortPanels.map(
                    (s) => html`<span
                      class="short"
                      data-testid="short-${row.number}-${s.partId}"
                      title=${t('chief.grid.shortWhy', { part: p.parts.find((x) => x.id === s.partId)?.name ?? s.partId, n: s.expected, min: s.minMarks })}
                      >${t('chief.grid.short', { n: s.expected })}</span
                    >`,
                  )}</td>
                ${row.cells.map((c) => this.renderCell(row, c, judgeName.get(c.judgeId) ?? ''))}
                ${row.objective.map((o) => html`<td class="obj">${fmt(o.value)}</td>`)}
                <td class="row-total ${row.expected > 0 && row.marked >= row.expected ? 'complete' : ''}">${row.marked}/${row.expected}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <div class="legend">
        <span><i style="background:#e6f4ea"></i>${t('chief.legend.done')}</span>
        <span><i style="background:#fff4e5"></i>${t('chief.legend.partial')}</span>
        <span><i style="background:#f3f4f6"></i>${t('chief.legend.none')}</span>
        <span><i style="background:#fdecea;border:2px solid var(--sc-danger)"></i>${t('chief.legend.outlier', {
            rule: p.parts.map((x) => `${x.name} ${x.outlierThreshold}`).join('，'),
          })}</span>
        <span><i style="background:var(--sc-focus);border-radius:50%"></i>${t('chief.legend.pending')}</span>
        <span><i style="background:repeating-linear-gradient(45deg,#f6f7f9,#f6f7f9 3px,#eceef2 3px,#eceef2 6px)"></i>${t('chief.legend.recused')}</span>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-chief-progress': ChiefProgress;
  }
}
