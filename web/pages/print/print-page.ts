import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sessionContext, type Session } from '../../app/session.ts';
import { errorBanner } from '../../components/error-banner.ts';
import '../../i18n/print.ts';
import '../../i18n/judging.ts';
import { sharedStyles } from '../../styles/shared.ts';

type Criterion = { id: string; name: string };
type Part = { id: string; name: string; marking: string; criteria?: Criterion[] };
type Scheme = { parts: Part[] };
type Round = { id: number; seq: number; name: string; status: string; scheme: Scheme | null };
type Judge = { id: number; name: string; role: string };
type Mark = { number: number | null; judgeId: number; partId: string; criterionId: string; value: number; roundId: number };
type StaffRow = {
  number: number | null;
  rank: number | null;
  sharedRank: boolean;
  provisional: boolean;
  status: string;
  total: number;
  name: string | null;
  delegation: string | null;
  parts: { partId: string; score: number | null }[];
  /** Standardised score beside the total, where the competition standardises (server/domain/judging/standardise.ts). */
  standardised?: number | null;
};
type Ranking = {
  eventId: number;
  eventName: string;
  roundId: number;
  released: boolean;
  rounds: { id: number; name: string }[];
  parts: { id: string; name: string }[];
  staffRows: StaffRow[];
};

const PRINT_STYLE_ID = 'sc-print-a4';

/**
 * Documents the chief judge and the supervisors sign (A4 portrait, print CSS):
 * - `/print/event/:id` — the result sheet (成绩签字表) of a round: ranks, drawn numbers, names
 *   only once released (or for those who may see them), part scores, totals, and a signature line
 *   for the chief judge and each supervisor;
 * - `/print/event/:id?judge=:judgeId` — one judge's signature sheet (评分签字表): every mark they
 *   gave in the round, by drawn number and criterion, for them to sign.
 * `?round=:roundId` chooses the round (default: the ranking's current one). Works for staff in
 * scope and for the event's chief judge or supervisor signed in with their code.
 */
@customElement('sc-print-page')
export class PrintPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        max-width: 210mm;
        margin: 0 auto;
        padding: 16px;
      }
      .actions {
        display: flex;
        gap: 8px;
        justify-content: flex-end;
        margin-bottom: 12px;
        flex-wrap: wrap;
      }
      .sheet {
        background: #fff;
        padding: 12mm 10mm;
        box-sizing: border-box;
        color: #000;
      }
      h1 {
        font-size: 20px;
        text-align: center;
        margin: 0 0 4px;
      }
      .sub {
        text-align: center;
        margin: 0 0 12px;
        font-size: 14px;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 13px;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        border: 1px solid #444;
        padding: 4px 6px;
        text-align: center;
      }
      td.name {
        text-align: left;
      }
      tr {
        break-inside: avoid;
      }
      .signatures {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(45%, 1fr));
        gap: 10mm 8mm;
        margin-top: 12mm;
        font-size: 14px;
        break-inside: avoid;
      }
      .signatures div {
        border-bottom: 1px solid #000;
        padding-bottom: 2px;
        min-height: 10mm;
        display: flex;
        align-items: flex-end;
      }
      .note {
        font-size: 12px;
        margin-top: 6px;
      }
      @media print {
        :host {
          padding: 0;
          max-width: none;
        }
        .actions {
          display: none;
        }
        .sheet {
          padding: 0;
        }
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: Session = null;
  @property() path = location.pathname;
  @state() private ranking: Ranking | null = null;
  @state() private judges: Judge[] = [];
  @state() private marks: Mark[] = [];
  @state() private rounds: Round[] = [];
  @state() private eventScheme: Scheme | null = null;
  @state() private error: unknown = null;
  private requested = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // @page cannot be set from inside a shadow root.
    if (!document.getElementById(PRINT_STYLE_ID)) {
      const style = document.createElement('style');
      style.id = PRINT_STYLE_ID;
      style.textContent = '@page { size: A4 portrait; margin: 12mm 10mm; } @media print { body { background: #fff; } }';
      document.head.append(style);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.getElementById(PRINT_STYLE_ID)?.remove();
  }

  private get eventId(): number {
    return Number(/^\/print\/event\/(\d+)$/.exec(this.path)?.[1]);
  }

  private get judgeId(): number | null {
    const v = new URLSearchParams(location.search).get('judge');
    return v ? Number(v) : null;
  }

  /** Loads once the session is known: a judge's code and a staff sign-in reach the scheme differently. */
  protected override willUpdate(): void {
    if (this.session && !this.requested) {
      this.requested = true;
      void this.load();
    }
  }

  private async load() {
    const id = this.eventId;
    const round = new URLSearchParams(location.search).get('round');
    try {
      const [ranking, judges] = await Promise.all([
        api<Ranking>('GET', `/api/events/${id}/ranking${round ? `?roundId=${round}` : ''}`),
        api<Judge[]>('GET', `/api/events/${id}/judges`),
      ]);
      if (this.session?.kind === 'judge') {
        const panel = await api<{ scheme: Scheme; rounds: Round[] }>('GET', `/api/judge/panel?eventId=${id}`);
        this.eventScheme = panel.scheme;
        this.rounds = panel.rounds;
      } else {
        const event = await api<{ scheme: Scheme; rounds: Round[] }>('GET', `/api/events/${id}`);
        this.eventScheme = event.scheme;
        this.rounds = event.rounds;
      }
      if (this.judgeId) this.marks = await api<Mark[]>('GET', `/api/events/${id}/marks?roundId=${ranking.roundId}&judgeId=${this.judgeId}`);
      this.ranking = ranking;
      this.judges = judges;
    } catch (err) {
      this.error = err;
    }
  }

  private roundName(r: Ranking): string {
    return r.rounds.find((x) => x.id === r.roundId)?.name ?? '';
  }

  private renderResultSheet(r: Ranking) {
    const names = r.staffRows.some((row) => row.name);
    const std = r.staffRows.some((row) => row.standardised !== undefined);
    const supervisors = this.judges.filter((j) => j.role === 'supervisor');
    const chief = this.judges.find((j) => j.role === 'chief');
    return html`<article class="sheet" data-testid="result-sheet">
      <h1>${t('print.results.title', { event: r.eventName })}</h1>
      <p class="sub">${this.roundName(r)}${r.released ? '' : ` · ${t('print.provisional')}`}</p>
      <table>
        <thead>
          <tr>
            <th>${t('print.rank')}</th>
            <th>${t('print.number')}</th>
            ${names ? html`<th>${t('print.name')}</th><th>${t('print.delegation')}</th>` : nothing}
            ${r.parts.map((p) => html`<th>${p.name}</th>`)}
            <th>${t('print.total')}</th>
            ${std ? html`<th>${t('jq.std.score')}</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${r.staffRows.map(
            (row) => html`<tr>
              <td>${row.rank ?? '—'}${row.sharedRank ? '=' : ''}</td>
              <td>${row.number ?? '—'}</td>
              ${names ? html`<td class="name">${row.name ?? ''}</td><td class="name">${row.delegation ?? ''}</td>` : nothing}
              ${r.parts.map((p) => html`<td>${row.parts.find((x) => x.partId === p.id)?.score?.toFixed(2) ?? '—'}</td>`)}
              <td>${row.rank === null && row.status !== 'checked_in' && row.status !== 'registered' ? t(`print.status.${row.status}`) : row.total.toFixed(2)}</td>
              ${std ? html`<td data-testid="standardised">${row.standardised == null ? '—' : row.standardised.toFixed(2)}</td>` : nothing}
            </tr>`,
          )}
        </tbody>
      </table>
      <p class="note">${t('print.results.note', { n: r.staffRows.length })}</p>
      <div class="signatures" data-testid="signatures">
        <div>${t('print.sign.chief')}${chief ? `（${chief.name}）` : ''}：</div>
        ${supervisors.map((s) => html`<div>${t('print.sign.supervisor')}（${s.name}）：</div>`)}
        ${supervisors.length === 0 ? html`<div>${t('print.sign.supervisor')}：</div>` : nothing}
        <div>${t('print.sign.date')}：</div>
      </div>
    </article>`;
  }

  private renderJudgeSheet(r: Ranking, judge: Judge) {
    const round = this.rounds.find((x) => x.id === r.roundId);
    const scheme = round?.scheme ?? this.eventScheme;
    // The criteria this judge marked in the round, in scheme order.
    const marked = new Set(this.marks.map((m) => `${m.partId}/${m.criterionId}`));
    const columns = (scheme?.parts ?? []).flatMap((p) =>
      (p.criteria ?? []).filter((c) => marked.has(`${p.id}/${c.id}`)).map((c) => ({ key: `${p.id}/${c.id}`, part: p.name, name: c.name })),
    );
    const numbers = [...new Set(this.marks.map((m) => m.number).filter((n): n is number => n !== null))].sort((a, b) => a - b);
    const value = (n: number, key: string) => this.marks.find((m) => m.number === n && `${m.partId}/${m.criterionId}` === key)?.value;
    return html`<article class="sheet" data-testid="judge-sheet">
      <h1>${t('print.judge.title', { event: r.eventName })}</h1>
      <p class="sub">${this.roundName(r)} · ${t('print.judge.who', { name: judge.name, role: t(`print.role.${judge.role}`) })}</p>
      ${numbers.length === 0
        ? html`<p>${t('print.judge.none')}</p>`
        : html`<table>
            <thead>
              <tr>
                <th>${t('print.number')}</th>
                ${columns.map((c) => html`<th>${c.part}<br />${c.name}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${numbers.map((n) => html`<tr><td>${n}</td>${columns.map((c) => html`<td>${value(n, c.key) ?? ''}</td>`)}</tr>`)}
            </tbody>
          </table>`}
      <p class="note">${t('print.judge.note', { n: this.marks.length })}</p>
      <div class="signatures" data-testid="signatures">
        <div>${t('print.sign.judge')}（${judge.name}）：</div>
        <div>${t('print.sign.chief')}：</div>
        <div>${t('print.sign.date')}：</div>
      </div>
    </article>`;
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    if (!this.session) return html`<p class="card">${t('print.signIn')} <a href="/login">${t('app.signIn')}</a></p>`;
    const r = this.ranking;
    if (!r) return html`<p class="muted">${t('app.loading')}</p>`;
    const judge = this.judgeId ? this.judges.find((j) => j.id === this.judgeId) : undefined;
    return html`
      <div class="actions">
        <button class="primary" @click=${() => window.print()} data-testid="print">${t('print.print')}</button>
      </div>
      ${this.judgeId ? (judge ? this.renderJudgeSheet(r, judge) : html`<p class="card">${t('print.judge.unknown')}</p>`) : this.renderResultSheet(r)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-print-page': PrintPage;
  }
}
