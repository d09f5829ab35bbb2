import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { RankingStream, type EventRanking, type LiveRow } from '../../api/live.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/judging.ts';
import '../../i18n/certainty.ts';

const ROTATE_MS = 15_000;
/** How often a screen in results mode asks again for prizes (they are awarded after release). */
const PRIZES_REFRESH_MS = 60_000;

type Prize = { label: string; tier: number };
type PublishedResults = { events: { eventId: number; rows: { number: number | null; prize: (Prize & { id: number }) | null }[] }[] };

/**
 * The venue screen for a projector: one event's live ranking in large type, or a whole
 * competition's events in turn. Before release it shows drawn numbers and scores only (the
 * server sends no name and, unless a team contest opts in, no delegation), so those columns are
 * left out; names and delegations appear after release. Rows glide to their new place when the
 * order changes (FLIP). Reconnects by itself after a dropped connection.
 *
 * Where the event shows certainty (its `showCertaintyOnScreen` setting), a number whose advancement
 * or prize no later mark can take away carries 已确定晋级 / 已锁定奖项 under its total (the server
 * sends them in `clinched`, before release only).
 *
 * Entries awaiting their first mark show 待评分 and no rank. Once an event's results are released
 * the screen is in results mode (成绩公布): names, and the prizes awarded, fetched from the
 * published results and asked again every minute while it shows them.
 */
@customElement('sc-screen-page')
export class ScreenPage extends LitElement {
  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
      background: #0f1623;
      color: #f4f6fa;
      font-family: var(--sc-font);
      padding: 2vh 2.5vw;
      box-sizing: border-box;
      overflow: hidden;
    }
    header {
      display: flex;
      align-items: baseline;
      gap: 2vw;
      margin-bottom: 1.5vh;
    }
    /* Sizes follow the screen's height (1080p, 4K alike), so the table reads the same from the back of a hall. */
    h1 {
      font-size: max(22px, 3.6vh);
      margin: 0;
      flex: 1;
    }
    .event {
      font-size: max(18px, 3vh);
      color: #ffd166;
    }
    .status {
      font-size: max(14px, 2vh);
      color: #8fd694;
    }
    .status.off {
      color: #ff8b8b;
    }
    .table {
      font-size: max(16px, 3.4vh);
      font-variant-numeric: tabular-nums;
    }
    /* Each row is its own grid with the same columns, so a whole row can glide (FLIP). */
    .row {
      display: grid;
      grid-template-columns: var(--cols);
      position: relative;
    }
    .note {
      font-size: max(12px, 1.8vh);
      color: #9fb0c8;
    }
    .cell {
      padding: 0.6vh 0.6vw;
      border-bottom: 1px solid #263245;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
      background: #0f1623;
    }
    .head .cell {
      color: #9fb0c8;
      font-size: 0.7em;
    }
    .num {
      text-align: right;
    }
    .rank1 .cell {
      color: #ffd166;
    }
    .prov {
      font-size: 0.55em;
      color: #9fb0c8;
      margin-left: 0.4em;
    }
    /* Names and delegations wrap onto a second line at a break rather than being cut mid-word. */
    .cell.wrap {
      white-space: normal;
      line-height: 1.15;
      display: -webkit-box;
      -webkit-line-clamp: 2;
      -webkit-box-orient: vertical;
    }
    /* The total with its 暂定 note under it, never cut off. */
    .total {
      display: flex;
      flex-direction: column;
      align-items: flex-end;
      justify-content: center;
    }
    .total .prov {
      margin: 0;
      white-space: nowrap;
    }
    .unranked .cell {
      color: #6c7a90;
    }
    /* 已确定晋级 / 已锁定奖项 under the total, where the event shows what is certain (numbers only). */
    .clinched {
      font-size: 0.55em;
      font-weight: 700;
      line-height: 1.3;
      padding: 0 0.45em;
      margin-top: 0.15em;
      border-radius: 0.4em;
      white-space: nowrap;
      color: #0f1623;
    }
    .clinched.is-advancement {
      background: #8fd694;
    }
    .clinched.is-prize {
      background: #ffd166;
    }
    .mode {
      font-size: max(14px, 2.4vh);
      padding: 0.3vh 0.8vw;
      border-radius: 0.6vh;
      background: #ffd166;
      color: #0f1623;
      font-weight: 700;
    }
    .prize {
      color: #ffd166;
      font-weight: 700;
    }
    .parts {
      display: grid;
      grid-template-columns: repeat(var(--parts, 1), 1fr);
      gap: 0.6vw;
    }
    .pager {
      margin-top: 1vh;
      color: #6c7a90;
      font-size: max(12px, 1.8vh);
    }
  `;

  private readonly locale = new LocaleController(this);
  @property() path = location.pathname;
  @state() private eventIndex = 0;
  @state() private page = 0;
  private stream = new RankingStream(this, this.streamUrl());
  private timer: number | undefined;
  private positions = new Map<string, number>();
  /** Prizes of released events by event id, then drawn number. */
  @state() private prizes = new Map<number, Map<number, Prize>>();
  /** When each competition's published results were last asked for. */
  private prizesAskedAt = new Map<number, number>();

  private streamUrl(): string {
    const [, , kind, id] = this.path.split('/');
    return kind === 'event' ? `/api/public/events/${id}/live` : `/api/public/competitions/${id}/live`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = window.setInterval(() => this.advance(), ROTATE_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('path') && changed.get('path') !== undefined) this.stream.setUrl(this.streamUrl());
    // Remember where each row was, to animate it from there after the update.
    this.positions.clear();
    for (const el of this.renderRoot.querySelectorAll<HTMLElement>('[data-key]')) this.positions.set(el.dataset.key!, el.getBoundingClientRect().top);
  }

  /** Results mode: the prizes of the competition's released events, asked for at most once a minute. */
  private loadPrizes(ev: EventRanking): void {
    const asked = this.prizesAskedAt.get(ev.competitionId);
    if (asked !== undefined && Date.now() - asked < PRIZES_REFRESH_MS) return;
    this.prizesAskedAt.set(ev.competitionId, Date.now());
    fetch(`/api/public/competitions/${ev.competitionId}/results`)
      .then((res) => (res.ok ? (res.json() as Promise<PublishedResults>) : null))
      .then((results) => {
        if (!results) return;
        const next = new Map(this.prizes);
        for (const e of results.events) {
          const byNumber = new Map<number, Prize>();
          for (const r of e.rows) if (r.prize && r.number != null) byNumber.set(r.number, { label: r.prize.label, tier: r.prize.tier });
          next.set(e.eventId, byNumber);
        }
        this.prizes = next;
      })
      .catch(() => undefined); // offline: the ranking stays on screen; asked again later
  }

  override updated(): void {
    const ev = this.current();
    if (ev?.released) this.loadPrizes(ev);
    for (const el of this.renderRoot.querySelectorAll<HTMLElement>('[data-key]')) {
      const before = this.positions.get(el.dataset.key!);
      if (before === undefined) continue;
      const delta = before - el.getBoundingClientRect().top;
      if (Math.abs(delta) > 1) el.animate([{ transform: `translateY(${delta}px)` }, { transform: 'none' }], { duration: 600, easing: 'ease-out' });
    }
  }

  /** As many rows as fill the screen below the header (a row is about 5.6 % of the height). */
  private rowsPerPage(): number {
    return Math.max(5, Math.floor((window.innerHeight * 0.8) / Math.max(30, window.innerHeight * 0.056)));
  }

  /** Next page of rows, then the next event. */
  private advance(): void {
    const ev = this.current();
    if (ev && (this.page + 1) * this.rowsPerPage() < ev.rows.length) {
      this.page++;
      return;
    }
    this.page = 0;
    if (this.stream.events.length > 1) this.eventIndex = (this.eventIndex + 1) % this.stream.events.length;
  }

  private current(): EventRanking | undefined {
    return this.stream.events[this.eventIndex % Math.max(1, this.stream.events.length)];
  }

  private judgesIn(ev: EventRanking, row: LiveRow): string {
    const panel = ev.parts.filter((p) => p.marking !== 'objective');
    if (panel.length === 0) return '';
    // Marks in and marks expected (the panel minus judges recused from this entry), of the part least advanced.
    const parts = panel.map((p) => row.parts.find((x) => x.partId === p.id));
    const inCount = Math.min(...parts.map((x) => x?.marksIn ?? 0));
    const expected = Math.max(...parts.map((x, i) => x?.expected ?? panel[i]!.expectedMarks));
    return `${inCount}/${expected}`;
  }

  /** Which identity columns the event shows: names after release; delegations after release or by the event's opt-in. */
  private columns(ev: EventRanking): { delegation: boolean; name: boolean; prize: boolean; std: boolean; template: string } {
    const delegation = ev.released || ev.rows.some((r) => r.delegation != null);
    const name = ev.released;
    const prize = ev.released && (this.prizes.get(ev.eventId)?.size ?? 0) > 0;
    // Standardised scores come only after release, and only where the organiser put them on the screen.
    const std = ev.rows.some((r) => r.standardised !== undefined);
    const parts = `${ev.parts.length * 1.1}fr`;
    const template = [
      '7%',
      '9%',
      ...(delegation ? ['minmax(0, 1.4fr)'] : []),
      ...(name ? ['minmax(0, 0.8fr)'] : []),
      parts,
      'minmax(5.5em, 15%)',
      ...(std ? ['minmax(4.5em, 12%)'] : []),
      ...(prize ? ['minmax(4em, 11%)'] : []),
    ].join(' ');
    return { delegation, name, prize, std, template };
  }

  private renderCell(ev: EventRanking, row: LiveRow) {
    const cls = row.rank === null ? 'unranked' : row.rank === 1 ? 'rank1' : '';
    // Unranked rows show their state instead of a total; a withdrawn entry ranked on its parts done shows both.
    const state = row.status === 'absent' || row.status === 'disqualified' || row.status === 'withdrawn' ? t(`screen.${row.status}`) : '';
    const awaiting = row.rank === null && (row.status === 'registered' || row.status === 'checked_in');
    const status = row.rank === null ? (awaiting ? t('screen.awaiting') : state) : '';
    const cols = this.columns(ev);
    const prize = row.number != null ? this.prizes.get(ev.eventId)?.get(row.number) : undefined;
    return html`<div class="row ${cls}" data-key="r${row.number}">
      <div class="cell" data-testid="rank">${row.rank ?? '—'}</div>
      <div class="cell" data-testid="number">${row.number ?? '—'}</div>
      ${cols.delegation ? html`<div class="cell wrap" data-testid="delegation">${row.delegation ?? ''}</div>` : ''}
      ${cols.name ? html`<div class="cell wrap" data-testid="name">${row.name ?? ''}</div>` : ''}
      <div class="cell parts" style="--parts:${ev.parts.length}">
        ${ev.parts.map((p) => html`<span class="num">${row.parts.find((x) => x.partId === p.id)?.score?.toFixed(2) ?? '—'}</span>`)}
      </div>
      <div class="cell num total" data-testid="total">
        ${status || row.total.toFixed(2)}${state && !status ? html`<span class="prov">${state}</span>` : ''}${row.provisional && row.rank !== null ? html`<span class="prov">${t('screen.provisional')} ${this.judgesIn(ev, row)}</span>` : ''}${(row.clinched ?? []).map(
          (c) => html`<span class="clinched is-${c}" data-testid="clinched-${c}">${t(`screen.clinched.${c}`)}</span>`,
        )}
      </div>
      ${cols.std ? html`<div class="cell num" data-testid="standardised">${row.standardised == null ? '—' : row.standardised.toFixed(2)}</div>` : ''}
      ${cols.prize ? html`<div class="cell wrap prize" data-testid="prize">${prize?.label ?? ''}</div>` : ''}
    </div>`;
  }

  override render() {
    const ev = this.current();
    const per = this.rowsPerPage();
    const rows = ev ? ev.rows.slice(this.page * per, (this.page + 1) * per) : [];
    const pages = ev ? Math.max(1, Math.ceil(ev.rows.length / per)) : 1;
    return html`
      <header>
        <h1>${this.stream.title}</h1>
        ${ev && ev.eventName !== this.stream.title ? html`<span class="event">${ev.eventName}</span>` : ''}
        ${ev && !ev.released ? html`<span class="note" data-testid="anonymous-note">${t('screen.anonymous')}</span>` : ''}
        ${ev?.released ? html`<span class="mode" data-testid="results-mode">${t('screen.results')}</span>` : ''}
        <span class="status ${this.stream.connected ? '' : 'off'}" data-testid="live-status">
          ● ${this.stream.connected ? t('screen.live') : t('screen.reconnecting')}
        </span>
      </header>
      ${ev
        ? html`<div class="table" role="table" style="--cols:${this.columns(ev).template}">
            <div class="row head">
              <div class="cell">${t('screen.rank')}</div>
              <div class="cell">${t('screen.number')}</div>
              ${this.columns(ev).delegation ? html`<div class="cell">${t('screen.delegation')}</div>` : ''}
              ${this.columns(ev).name ? html`<div class="cell">${t('screen.name')}</div>` : ''}
              <div class="cell parts" style="--parts:${ev.parts.length}">${ev.parts.map((p) => html`<span class="num">${p.name}</span>`)}</div>
              <div class="cell num">${t('screen.total')}</div>
              ${this.columns(ev).std ? html`<div class="cell num">${t('jq.std.score')}</div>` : ''}
              ${this.columns(ev).prize ? html`<div class="cell">${t('screen.prize')}</div>` : ''}
            </div>
            ${repeat(rows, (r) => r.number, (r) => this.renderCell(ev, r))}
          </div>
          ${pages > 1 || this.stream.events.length > 1
            ? html`<div class="pager">${this.page + 1} / ${pages} · ${this.eventIndex + 1} / ${this.stream.events.length}</div>`
            : ''}`
        : html`<p>${t('app.loading')}</p>`}
    `;
  }
}
