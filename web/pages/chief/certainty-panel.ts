import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CertaintyRow, EventCertainty } from '../../../server/contracts/certainty.ts';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/certainty.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { chiefStyles, errorText, fmt, RoundChosenEvent } from './chief-shared.ts';

type Filter = 'all' | 'open' | 'decided';

/**
 * Live certainty for the chief judge (晋级与获奖形势): per drawn number the total now, the lowest
 * and highest total it can still reach (a bar on one scale for the whole round), the marks still
 * to come, and whether its prize and its advancement are clinched, out of reach or still open
 * (GET /api/events/:id/certainty; server/domain/certainty.ts says why these are exact). Numbers
 * only. Re-read whenever the console's revision moves (the live stream's pulse).
 *
 * @event sc-chief-round - another round was chosen (RoundChosenEvent)
 */
@customElement('sc-chief-certainty')
export class ChiefCertainty extends LitElement {
  static override styles = [
    sharedStyles,
    chiefStyles,
    css`
      .rules {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        margin: 0 0 8px;
        color: var(--sc-muted);
        font-size: 14px;
      }
      .intro {
        font-size: 13px;
        color: var(--sc-muted);
        margin: 0 0 12px;
        max-width: 80ch;
      }
      .wrap {
        overflow: auto;
        max-height: calc(100vh - 320px);
        min-height: 200px;
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
        padding: 6px 8px;
        border-bottom: 1px solid var(--sc-line);
        text-align: left;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      thead th {
        position: sticky;
        top: 0;
        background: #f0f2f5;
        z-index: 1;
        font-size: 14px;
        font-weight: 600;
      }
      td.n {
        text-align: right;
      }
      td.number {
        font-weight: 700;
        text-align: center;
      }
      .range {
        display: grid;
        grid-template-columns: 8.5em minmax(80px, 1fr);
        align-items: center;
        gap: 8px;
        min-width: 190px;
      }
      .bar {
        position: relative;
        height: 10px;
        border-radius: 5px;
        background: #eef1f5;
      }
      .seg {
        position: absolute;
        top: 0;
        bottom: 0;
        border-radius: 5px;
        background: color-mix(in srgb, var(--sc-accent) 30%, transparent);
        min-width: 3px;
      }
      .now {
        position: absolute;
        top: -3px;
        bottom: -3px;
        width: 3px;
        margin-left: -1px;
        border-radius: 2px;
        background: var(--sc-accent);
      }
      tr.settled .seg {
        background: var(--sc-muted);
      }
      .sub {
        display: block;
        font-size: 12px;
        color: var(--sc-muted);
        white-space: normal;
      }
      tr.unranked td {
        color: var(--sc-muted);
      }
      .counts {
        font-size: 14px;
        color: var(--sc-muted);
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  @property({ type: Number }) roundId = 0;
  /** Bumped by the console whenever the live ranking moved: read again. */
  @property({ type: Number }) revision = 0;
  @state() private data: EventCertainty | null = null;
  @state() private error = '';
  @state() private filter: Filter = 'all';
  private loading = false;
  private again = false;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('eventId') || changed.has('roundId') || changed.has('revision')) void this.load();
  }

  /** One request at a time; a change while one is under way asks once more when it ends. */
  private async load(): Promise<void> {
    if (!this.eventId) return;
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    try {
      const q = this.roundId ? `?roundId=${this.roundId}` : '';
      this.data = await api<EventCertainty>('GET', `/api/events/${this.eventId}/certainty${q}`);
      this.error = '';
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.loading = false;
      if (this.again) {
        this.again = false;
        void this.load();
      }
    }
  }

  private label(tier: number | null): string {
    const d = this.data;
    return tier === null ? '' : (d?.prize?.tiers[tier - 1]?.label ?? String(tier));
  }

  /** Decided: nothing about the prize or advancement can change any more. */
  private decided(row: CertaintyRow): boolean {
    const prize = !row.prize || row.prize.state !== 'open';
    const advance = row.advancement === null || row.advancement !== 'open';
    return prize && advance;
  }

  private renderPrize(row: CertaintyRow) {
    const p = row.prize;
    if (!p) return nothing;
    if (!row.ranked) return html`<span class="pill" data-testid="prize-state">${t('certainty.notRanked')}</span>`;
    const mark = p.exact ? nothing : html`<span title=${t('certainty.prize.notExact')}> *</span>`;
    if (p.state === 'clinched') return html`<span class="pill ok" data-testid="prize-state">${t('certainty.prize.clinched', { label: this.label(p.guaranteedTier) })}</span>`;
    if (p.state === 'out_of_reach') return html`<span class="pill" data-testid="prize-state">${t('certainty.prize.out')}</span>`;
    const best = t('certainty.prize.bestOpen', { label: this.label(p.bestTier) });
    return p.guaranteedTier !== null
      ? html`<span class="pill ok" data-testid="prize-state">${t('certainty.prize.atLeast', { label: this.label(p.guaranteedTier) })}</span><span class="sub">${best}${mark}</span>`
      : html`<span class="pill warn" data-testid="prize-state">${t('certainty.advance.open')}</span><span class="sub">${best}${mark}</span>`;
  }

  private renderAdvance(row: CertaintyRow) {
    if (row.advancement === null) return nothing;
    const cls = row.advancement === 'clinched' ? 'ok' : row.advancement === 'open' ? 'warn' : '';
    return html`<span class="pill ${cls}" data-testid="advance-state">${t(`certainty.advance.${row.advancement}`)}</span>`;
  }

  /** The range on the round's scale; the total now as a tick inside it (a provisional total that counts unscored parts as 0 can sit below the range). */
  private renderRange(row: CertaintyRow, scale: number) {
    const at = (v: number) => `${Math.max(0, Math.min(100, (v / scale) * 100))}%`;
    return html`<div class="range" data-testid="range">
      <span>${row.min === row.max ? fmt(row.min) : html`${fmt(row.min)} – ${fmt(row.max)}`}</span>
      <div class="bar" aria-hidden="true">
        <div class="seg" style="left:${at(row.min)};width:calc(${at(row.max)} - ${at(row.min)})"></div>
        ${row.total >= row.min && row.total <= row.max ? html`<div class="now" style="left:${at(row.total)}"></div>` : nothing}
      </div>
    </div>`;
  }

  private renderRules(d: EventCertainty) {
    const parts = [];
    if (d.prize) {
      const tiers = d.prize.tiers
        .map((x) => t('certainty.tierPlaces', { label: x.label, places: x.places }) + (x.minScore !== null ? `（${t('certainty.minScore', { score: x.minScore })}）` : ''))
        .join('、');
      parts.push(html`<span>${t('certainty.prizeRule', { tiers, entrants: d.prize.entrants })}；${t(`certainty.ties.${d.prize.ties}`)}</span>`);
    }
    if (d.advancement) {
      const rule = d.advancement.rule.rule;
      parts.push(
        html`<span
          >${rule.kind === 'min_score' ? t('certainty.advancementScore', { score: rule.score }) : t('certainty.advancement', { places: d.advancement.places ?? 0 })}；${t(
            `certainty.tiesAtCut.${d.advancement.rule.tiesAtCut}`,
          )}</span
        >`,
      );
    }
    return parts.length ? html`<p class="rules" data-testid="certainty-rules">${parts}</p>` : nothing;
  }

  override render() {
    const d = this.data;
    if (!d) return html`<p class="empty">${this.error || t('app.loading')}</p>`;
    const rows = d.rows.filter((r) => (this.filter === 'all' ? true : this.filter === 'open' ? !this.decided(r) : this.decided(r)));
    // One scale for every bar of the round: the highest total anyone can still reach (100 on a weighted scheme).
    const scale = Math.max(1, ...d.rows.map((r) => r.max));
    const prizes = d.rows.filter((r) => r.prize?.guaranteedTier != null).length;
    const through = d.rows.filter((r) => r.advancement === 'clinched').length;
    const open = d.rows.filter((r) => r.ranked && !this.decided(r)).length;
    // Only what this round decides: prizes on the last round, advancement where a next round follows.
    const counts = [
      d.prize ? t('certainty.count.prizes', { n: prizes }) : null,
      d.advancement ? t('certainty.count.advance', { n: through }) : null,
      t('certainty.count.open', { n: open }),
    ].filter((x) => x !== null);
    const status = d.released ? t('certainty.released') : d.arriving ? t('certainty.arriving') : t('certainty.closed');
    return html`
      <div class="toolbar">
        <h2 class="grow">${t('certainty.title')}</h2>
        <span class="pill ${d.arriving ? 'warn' : 'ok'}" data-testid="certainty-status">${status}</span>
        ${d.rounds.length > 1
          ? html`<label
              >${t('chief.round')}
              <select @change=${(e: Event) => this.dispatchEvent(new RoundChosenEvent(Number((e.target as HTMLSelectElement).value)))}>
                ${d.rounds.map((r) => html`<option value=${r.id} ?selected=${r.id === d.roundId}>${r.name}</option>`)}
              </select></label
            >`
          : nothing}
      </div>
      <p class="intro">${t('certainty.intro')}</p>
      ${this.renderRules(d)}
      <div class="toolbar">
        <span class="counts grow" data-testid="certainty-counts">${counts.join(' · ')}</span>
        <label
          >${t('certainty.filter')}
          <select data-testid="certainty-filter" @change=${(e: Event) => (this.filter = (e.target as HTMLSelectElement).value as Filter)}>
            ${(['all', 'open', 'decided'] as const).map((f) => html`<option value=${f} ?selected=${this.filter === f}>${t(`certainty.filter.${f}`)}</option>`)}
          </select></label
        >
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${d.rows.length === 0
        ? html`<p class="empty">${t('certainty.none')}</p>`
        : html`<div class="wrap">
            <table>
              <thead>
                <tr>
                  <th>${t('certainty.rank')}</th>
                  <th>${t('certainty.number')}</th>
                  <th>${t('certainty.total')}</th>
                  <th>${t('certainty.range')}</th>
                  <th>${t('certainty.missing')}</th>
                  ${d.prize ? html`<th>${t('certainty.prize')}</th>` : nothing} ${d.advancement ? html`<th>${t('certainty.advance')}</th>` : nothing}
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) => html`<tr class="${r.settled ? 'settled' : ''} ${r.ranked ? '' : 'unranked'}" data-testid="certainty-row-${r.number ?? r.entryId}">
                    <td class="n">${r.rank ?? '—'}</td>
                    <td class="number">${r.number ?? '—'}</td>
                    <td class="n">${fmt(r.total)}${r.ranked ? nothing : html`<span class="sub">${t(`chief.status.${r.status}`)}</span>`}</td>
                    <td>${r.ranked ? this.renderRange(r, scale) : '—'}</td>
                    <td class="n">${r.missing > 0 ? t('certainty.missingCount', { count: r.missing }) : r.settled ? html`<span class="muted">${t('certainty.settled')}</span>` : '0'}</td>
                    ${d.prize ? html`<td>${this.renderPrize(r)}</td>` : nothing} ${d.advancement ? html`<td>${this.renderAdvance(r)}</td>` : nothing}
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-chief-certainty': ChiefCertainty;
  }
}
