import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';

type Competition = { id: number; name: string; grade: string; year: number };
type LiveRow = { number: number | null; delegation: string | null; rank: number | null; provisional: boolean; total: number; name?: string };
type EventRanking = { eventId: number; eventName: string; rows: LiveRow[] };

/**
 * The start page until the full web app lands: links to the API documentation and a live
 * ranking board per competition, fed by the public Server-Sent Events stream.
 */
@customElement('sc-app')
export class ScApp extends LitElement {
  static override styles = css`
    :host { display: block; max-width: 1100px; margin: 0 auto; padding: 24px 16px; }
    h1 { font-size: 28px; margin: 0 0 4px; }
    p { color: var(--sc-muted); }
    a { color: var(--sc-accent); }
    select { font: inherit; min-height: 44px; padding: 0 12px; }
    section { background: var(--sc-card); border: 1px solid var(--sc-line); border-radius: 8px; margin: 16px 0; padding: 12px 16px; }
    table { width: 100%; border-collapse: collapse; font-size: 18px; }
    th, td { text-align: left; padding: 8px; border-bottom: 1px solid var(--sc-line); }
    td.num { font-variant-numeric: tabular-nums; text-align: right; }
    .prov { color: var(--sc-muted); font-size: 14px; }
  `;

  @state() private competitions: Competition[] = [];
  @state() private selected: number | null = null;
  @state() private events: EventRanking[] = [];
  private source: EventSource | null = null;

  override async connectedCallback() {
    super.connectedCallback();
    const res = await fetch('/api/public/competitions');
    if (res.ok) this.competitions = await res.json();
    const first = this.competitions[0];
    if (first) this.watch(first.id);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.source?.close();
  }

  private watch(id: number) {
    this.selected = id;
    this.source?.close();
    // EventSource reconnects by itself and sends Last-Event-ID, so no update is missed.
    this.source = new EventSource(`/api/public/competitions/${id}/live`);
    this.source.addEventListener('snapshot', (e) => {
      this.events = JSON.parse((e as MessageEvent).data).events;
    });
    this.source.addEventListener('ranking', (e) => {
      const msg = JSON.parse((e as MessageEvent).data) as { eventId: number; rows: LiveRow[]; ranks: [number, number | null, boolean][] };
      this.events = this.events.map((ev) => {
        if (ev.eventId !== msg.eventId) return ev;
        const byNumber = new Map(ev.rows.map((r) => [r.number, r]));
        for (const r of msg.rows) byNumber.set(r.number, r);
        // Rows that only moved arrive as [number, rank, shared].
        for (const [number, rank] of msg.ranks) {
          const row = byNumber.get(number);
          if (row) byNumber.set(number, { ...row, rank });
        }
        const rows = [...byNumber.values()].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || (a.number ?? 0) - (b.number ?? 0));
        return { ...ev, rows };
      });
    });
  }

  override render() {
    return html`
      <h1>职工技能竞赛管理系统</h1>
      <p>实时排名 · <a href="/docs">API 文档 (OpenAPI)</a></p>
      <select aria-label="竞赛" @change=${(e: Event) => this.watch(Number((e.target as HTMLSelectElement).value))}>
        ${this.competitions.map((c) => html`<option value=${c.id} ?selected=${c.id === this.selected}>${c.name}（${c.grade}级）</option>`)}
      </select>
      ${this.events.map(
        (ev) => html`<section>
          <h2>${ev.eventName}</h2>
          <table>
            <thead><tr><th>名次</th><th>检录号</th><th>代表队</th><th>姓名</th><th class="num">总分</th></tr></thead>
            <tbody>
              ${ev.rows.map(
                (r) => html`<tr>
                  <td>${r.rank ?? '—'}${r.provisional ? html` <span class="prov">暂定</span>` : ''}</td>
                  <td>${r.number ?? '—'}</td>
                  <td>${r.delegation ?? ''}</td>
                  <td>${r.name ?? '***'}</td>
                  <td class="num">${r.total.toFixed(2)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </section>`,
      )}
    `;
  }
}
