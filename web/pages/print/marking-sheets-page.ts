import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { MarkingSheets } from '../../../server/contracts/marking-sheets.ts';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sessionContext, type Session } from '../../app/session.ts';
import { isGradedPart } from '../../app/scheme-display.ts';
import { errorBanner } from '../../components/error-banner.ts';
import '../../i18n/marking-sheets.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { publicOrigin } from '../../app/public-origin.ts';

type Sheet = MarkingSheets['sheets'][number];
type Part = MarkingSheets['parts'][number];

const PRINT_STYLE_ID = 'sc-print-marking-sheets';
/** QR codes drawn between two repaints of the progress bar. */
const QR_BATCH = 12;

/** A QR code of `text` as an SVG data URL (crisp at any print size); the library is its own chunk. */
async function qrSvg(text: string): Promise<string> {
  const mod = (await import('qrcode')) as unknown as { default?: typeof import('qrcode'); toString?: typeof import('qrcode').toString };
  const toString = mod.toString ?? mod.default!.toString;
  const svg = await toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

const sheetKey = (s: Sheet) => `${s.partId}:${s.judgeId}:${s.number}`;

/**
 * `/print/event/:id/sheets` — the paper marking sheets (纸质评分表) of a round, one A4 portrait
 * page each: one per task, judge on its panel and drawn number, with the competition, event,
 * round and task, the judge's name and seat, the number only (never who is behind it), every
 * criterion with its maximum and step and an empty box, a total box, signature and time lines,
 * and a QR code that opens the scorers' double-entry form for exactly this sheet.
 *
 * `?round=` chooses the round (default: the open one), `?judge=` one judge's sheets, `?part=` one
 * task's. For the event's organisers and its chief judge (signed in with their code). All the
 * sheets of the choice print as one job, a page each; the QR codes are drawn first, with progress.
 */
@customElement('sc-marking-sheets-page')
export class MarkingSheetsPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        max-width: calc(190mm + 32px);
        margin: 0 auto;
        padding: 16px;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: end;
        margin-bottom: 8px;
      }
      .controls label {
        display: flex;
        flex-direction: column;
        font-size: 14px;
        gap: 2px;
      }
      .controls select,
      .controls button {
        min-height: 44px;
      }
      .controls .grow {
        flex: 1;
      }
      .summary {
        margin: 0 0 12px;
        font-size: 14px;
      }
      .summary p {
        margin: 4px 0;
      }
      .progress {
        display: flex;
        gap: 8px;
        align-items: center;
      }
      progress {
        width: 200px;
      }
      .sheets {
        display: flex;
        flex-direction: column;
        gap: 16px;
      }
      /* One sheet: the A4 page's content box (210 × 297 mm less 10 mm margins). */
      .sheet {
        box-sizing: border-box;
        width: 190mm;
        height: 277mm;
        padding: 6mm 7mm;
        background: #fff;
        color: #000;
        display: flex;
        flex-direction: column;
        overflow: hidden;
        font-family: 'Noto Serif CJK SC', 'Songti SC', 'SimSun', 'Noto Sans CJK SC', serif;
        font-size: 11pt;
        box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2);
      }
      .head {
        display: grid;
        grid-template-columns: 1fr 34mm;
        gap: 4mm;
        align-items: start;
      }
      .head .comp {
        font-size: 11pt;
      }
      .head h1 {
        font-size: 20pt;
        margin: 1mm 0 2mm;
        letter-spacing: 0.1em;
      }
      .head dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 1mm 3mm;
        margin: 0;
        font-size: 11pt;
      }
      .head dt {
        color: #333;
      }
      .head dd {
        margin: 0;
        font-weight: 600;
      }
      .qr {
        text-align: center;
        font-size: 7pt;
        line-height: 1.2;
      }
      .qr img {
        display: block;
        width: 34mm;
        height: 34mm;
      }
      .qr .pending {
        width: 34mm;
        height: 34mm;
        border: 1px dashed #999;
        box-sizing: border-box;
      }
      .ident {
        display: grid;
        grid-template-columns: auto auto 1fr;
        gap: 6mm;
        align-items: center;
        border-top: 1.5pt solid #000;
        border-bottom: 1.5pt solid #000;
        padding: 3mm 0;
        margin: 3mm 0 4mm;
      }
      .ident .label {
        font-size: 10pt;
        color: #333;
      }
      .number {
        display: flex;
        align-items: center;
        gap: 3mm;
      }
      .number .box {
        min-width: 24mm;
        height: 15mm;
        border: 2pt solid #000;
        display: flex;
        align-items: center;
        justify-content: center;
        font: 700 26pt 'Noto Sans CJK SC', sans-serif;
        padding: 0 3mm;
      }
      .who {
        font-size: 13pt;
      }
      .who strong {
        font-size: 15pt;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 11pt;
      }
      th,
      td {
        border: 1pt solid #000;
        padding: 1mm 2mm;
        text-align: center;
      }
      th {
        background: #f0f0f0;
        font-weight: 600;
      }
      td.name {
        text-align: left;
      }
      tbody tr {
        height: var(--row, 11mm);
      }
      td.box {
        width: 32mm;
      }
      tfoot td {
        height: 12mm;
        font-weight: 600;
      }
      tfoot td.label {
        text-align: right;
      }
      .rules {
        font-size: 9pt;
        line-height: 1.5;
        margin: 3mm 0 0;
        color: #222;
      }
      /* What is left of the page: room for the judge's notes (reasons for deductions, incidents). */
      .remarks {
        flex: 1;
        min-height: 12mm;
        border: 1pt solid #000;
        margin: 3mm 0 5mm;
        padding: 1.5mm 2mm;
        font-size: 10pt;
        color: #333;
      }
      .foot {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 7mm 8mm;
        font-size: 11pt;
      }
      .line {
        display: flex;
        align-items: flex-end;
        gap: 2mm;
        min-height: 10mm;
      }
      .line span.fill {
        flex: 1;
        border-bottom: 1pt solid #000;
        min-height: 7mm;
        font-size: 10pt;
        color: #444;
        text-align: right;
      }
      .foot .wide {
        grid-column: 1 / 3;
      }
      .pageno {
        text-align: right;
        font-size: 8pt;
        color: #444;
        margin-top: 2mm;
      }
      @media print {
        :host {
          padding: 0;
          max-width: none;
        }
        .controls,
        .summary {
          display: none;
        }
        .sheets {
          display: block;
        }
        .sheet {
          box-shadow: none;
          break-after: page;
        }
        .sheet:last-child {
          break-after: auto;
        }
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: Session = null;
  @property() path = location.pathname;
  @state() private data: MarkingSheets | null = null;
  @state() private error: unknown = null;
  @state() private qr = new Map<string, string>();
  @state() private qrDone = 0;
  /** Where the QR codes and printed links point (PUBLIC_URL, else this page's address). */
  @state() private origin = location.origin;
  @state() private loading = false;
  private requested = false;
  /** Bumped on each load: QR drawing for an older choice stops. */
  private generation = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    // @page cannot be set from inside a shadow root.
    if (!document.getElementById(PRINT_STYLE_ID)) {
      const style = document.createElement('style');
      style.id = PRINT_STYLE_ID;
      style.textContent = '@page { size: A4 portrait; margin: 10mm; } @media print { body { background: #fff; margin: 0; } }';
      document.head.append(style);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.generation++;
    document.getElementById(PRINT_STYLE_ID)?.remove();
  }

  private get eventId(): number {
    return Number(/^\/print\/event\/(\d+)\/sheets$/.exec(this.path)?.[1]);
  }

  private param(name: string): string | null {
    return new URLSearchParams(location.search).get(name);
  }

  protected override willUpdate(): void {
    if (this.session && !this.requested) {
      this.requested = true;
      void this.load();
    }
  }

  private async load() {
    const query = new URLSearchParams();
    const round = this.param('round');
    const judge = this.param('judge');
    const part = this.param('part');
    if (round) query.set('roundId', round);
    if (judge) query.set('judgeId', judge);
    if (part) query.set('partId', part);
    const generation = ++this.generation;
    this.loading = true;
    this.error = null;
    try {
      const [data, origin] = await Promise.all([
        api<MarkingSheets>('GET', `/api/events/${this.eventId}/marking-sheets${query.toString() ? `?${query}` : ''}`),
        publicOrigin(),
      ]);
      if (generation !== this.generation) return;
      this.origin = origin;
      this.data = data;
      this.qr = new Map();
      this.qrDone = 0;
      void this.drawQrCodes(data, generation);
    } catch (err) {
      this.error = err;
    } finally {
      this.loading = false;
    }
  }

  /** Draws every sheet's QR code in batches, letting the progress bar repaint in between. */
  private async drawQrCodes(data: MarkingSheets, generation: number) {
    const next = new Map<string, string>();
    for (let i = 0; i < data.sheets.length; i++) {
      if (generation !== this.generation) return;
      const sheet = data.sheets[i]!;
      next.set(sheetKey(sheet), await qrSvg(`${this.origin}${sheet.link}`));
      if ((i + 1) % QR_BATCH === 0 || i === data.sheets.length - 1) {
        this.qrDone = i + 1;
        this.qr = new Map(next);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
  }

  /** A new choice of round, judge or task: kept in the address (a reload or a shared link shows the same). */
  private choose(name: 'round' | 'judge' | 'part', value: string) {
    const query = new URLSearchParams(location.search);
    if (value) query.set(name, value);
    else query.delete(name);
    // Another round may have other tasks and panels.
    if (name === 'round') query.delete('part');
    history.replaceState(history.state, '', `${location.pathname}${query.toString() ? `?${query}` : ''}`);
    void this.load();
  }

  private renderControls(d: MarkingSheets) {
    const judge = this.param('judge') ?? '';
    const part = this.param('part') ?? '';
    const total = d.sheets.length;
    const ready = this.qrDone >= total;
    return html`<div class="controls">
      <label
        >${t('sheets.round')}
        <select data-testid="sheets-round" @change=${(e: Event) => this.choose('round', (e.target as HTMLSelectElement).value)}>
          ${d.rounds.map((r) => html`<option value=${r.id} ?selected=${r.id === d.round.id}>${r.name}</option>`)}
        </select>
      </label>
      <label
        >${t('sheets.judge')}
        <select data-testid="sheets-judge" @change=${(e: Event) => this.choose('judge', (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!judge}>${t('sheets.all')}</option>
          ${d.judges.map((j) => html`<option value=${j.id} ?selected=${String(j.id) === judge}>${j.name}</option>`)}
        </select>
      </label>
      ${d.parts.length > 1
        ? html`<label
            >${t('sheets.part')}
            <select data-testid="sheets-part" @change=${(e: Event) => this.choose('part', (e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${!part}>${t('sheets.all')}</option>
              ${d.parts.map((p) => html`<option value=${p.id} ?selected=${p.id === part}>${p.name}</option>`)}
            </select>
          </label>`
        : nothing}
      <span class="grow"></span>
      <button class="primary" data-testid="print" ?disabled=${!ready || total === 0 || this.loading} @click=${() => window.print()}>
        ${t('sheets.print')}
      </button>
    </div>`;
  }

  private renderSummary(d: MarkingSheets) {
    const total = d.sheets.length;
    const judgeName = (id: number) => d.judges.find((j) => j.id === id)?.name ?? String(id);
    const partName = (id: string) => d.parts.find((p) => p.id === id)?.name ?? id;
    return html`<div class="summary" data-testid="sheets-summary">
      <p>${total === 0 ? t('sheets.none') : t('sheets.count', { n: total })}</p>
      ${total > 0
        ? html`<p class="progress" role="status" aria-live="polite" data-testid="qr-progress" data-done=${this.qrDone} data-total=${total}>
            <progress max=${total} .value=${this.qrDone}></progress>
            ${this.qrDone >= total ? t('sheets.ready') : t('sheets.generating', { done: this.qrDone, total })}
          </p>`
        : nothing}
      ${d.recused.length
        ? html`<p data-testid="sheets-recused">
            ${t('sheets.recused', {
              list: d.recused.map((r) => t('sheets.recusedItem', { judge: judgeName(r.judgeId), number: r.number, part: partName(r.partId) })).join('、'),
            })}
          </p>`
        : nothing}
      ${d.withoutNumber ? html`<p class="muted">${t('sheets.withoutNumber', { n: d.withoutNumber })}</p>` : nothing}
    </div>`;
  }

  private renderSheet(d: MarkingSheets, s: Sheet, i: number) {
    const part = d.parts.find((p) => p.id === s.partId) as Part;
    const deduction = part.marking === 'deduction';
    const criteria = part.criteria.filter((c) => s.criteria.includes(c.id));
    const max = deduction ? part.max : criteria.reduce((sum, c) => sum + c.max, 0);
    // Long rubrics get shorter rows so that a sheet stays one page.
    const row = criteria.length > 18 ? '6.5mm' : criteria.length > 12 ? '8.5mm' : '11mm';
    const qr = this.qr.get(sheetKey(s));
    const url = `${this.origin}${s.link}`;
    return html`<article
      class="sheet"
      data-testid="marking-sheet"
      data-judge=${s.judgeId}
      data-number=${s.number}
      data-part=${s.partId}
      data-url=${url}
      style="--row:${row}"
    >
      <div class="head">
        <div>
          <div class="comp">${d.competition.name}</div>
          <h1>${t(deduction ? 'sheets.titleDeduction' : 'sheets.title')}</h1>
          <dl>
            <dt>${t('sheets.event')}</dt>
            <dd>${d.event.name}</dd>
            <dt>${t('sheets.roundLabel')}</dt>
            <dd>${d.round.name}</dd>
            <dt>${t('sheets.partLabel')}</dt>
            <dd data-testid="sheet-part">${part.name}</dd>
          </dl>
        </div>
        <div class="qr">
          ${qr ? html`<img src=${qr} alt=${url} data-testid="sheet-qr" data-url=${url} />` : html`<div class="pending"></div>`}
          <div>${t('sheets.scan')}</div>
        </div>
      </div>
      <div class="ident">
        <div class="number">
          <span class="label">${t('sheets.number')}</span>
          <span class="box" data-testid="sheet-number">${s.number}</span>
        </div>
        <div class="who" data-testid="sheet-judge">
          <span class="label">${t('sheets.judgeLabel')}</span> <strong>${s.judgeName}</strong>
        </div>
        <div class="who"><span class="label">${t('sheets.seat')}</span> <strong>${t('sheets.seatValue', { seat: s.seat })}</strong></div>
      </div>
      <table>
        <thead>
          <tr>
            <th style="width:12mm">${t('sheets.no')}</th>
            <th>${t('sheets.criterion')}</th>
            <th style="width:22mm">${t(deduction ? 'sheets.maxDeduction' : 'sheets.max')}</th>
            <th style="width:20mm">${t('sheets.step')}</th>
            <th>${t(deduction ? 'sheets.deduction' : 'sheets.score')}</th>
          </tr>
        </thead>
        <tbody>
          ${criteria.map(
            (c, k) => html`<tr data-criterion=${c.id}>
              <td>${k + 1}</td>
              <td class="name">${c.name}</td>
              <td>${c.min !== undefined ? `${c.min} ～ ${c.max}` : c.max}</td>
              <td>${c.step}</td>
              <td class="box"></td>
            </tr>`,
          )}
        </tbody>
        <tfoot>
          ${
            // Graded elements (−5 … +5, base values) add up to no score the judge could write down.
            isGradedPart(part)
              ? nothing
              : deduction
                ? html`<tr>
                      <td class="label" colspan="4">${t('sheets.totalDeduction')}</td>
                      <td class="box"></td>
                    </tr>
                    <tr>
                      <td class="label" colspan="4">${t('sheets.partScore', { max })}</td>
                      <td class="box"></td>
                    </tr>`
                : html`<tr>
                    <td class="label" colspan="4">${t('sheets.total', { max })}</td>
                    <td class="box"></td>
                  </tr>`
          }
        </tfoot>
      </table>
      <p class="rules">${t('sheets.rules')}</p>
      <div class="remarks">${t('sheets.remarks')}</div>
      <div class="foot">
        <div class="line">${t('sheets.signJudge')}<span class="fill"></span></div>
        <div class="line">${t('sheets.signTime')}<span class="fill">${t('sheets.timeBlank')}</span></div>
        <div class="line">${t('sheets.enteredBy', { n: 1 })}<span class="fill"></span></div>
        <div class="line">${t('sheets.enteredBy', { n: 2 })}<span class="fill"></span></div>
      </div>
      <div class="pageno">${t('sheets.pageOf', { i: i + 1, n: d.sheets.length })}</div>
    </article>`;
  }

  override render() {
    if (!this.session) return html`<p class="card">${t('sheets.signIn')} <a href="/login">${t('app.signIn')}</a></p>`;
    const d = this.data;
    if (!d) return this.error ? errorBanner(this.error) : html`<p class="muted">${t('app.loading')}</p>`;
    return html`
      ${this.renderControls(d)} ${errorBanner(this.error)} ${this.renderSummary(d)}
      <div class="sheets" data-testid="sheets">${d.sheets.map((s, i) => this.renderSheet(d, s, i))}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-marking-sheets-page': MarkingSheetsPage;
  }
}
