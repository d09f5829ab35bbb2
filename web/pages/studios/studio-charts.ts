import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

/**
 * Charts for the studio dashboard, drawn with SVG and CSS (no chart library), large enough to
 * read on a meeting-room projector.
 */

export type BarItem = { label: string; value: number; href?: string; sub?: string };

/**
 * Horizontal bars: one row per item, label, bar and value.
 *
 * @cssproperty --bar-color - the bar colour (the accent by default)
 */
@customElement('sc-bar-list')
export class BarList extends LitElement {
  static override styles = css`
    :host {
      display: block;
      --bar-color: var(--sc-accent);
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: minmax(6em, max-content) 1fr auto;
      gap: 6px 12px;
      align-items: center;
    }
    li {
      display: contents;
    }
    .label {
      font-size: 15px;
      color: var(--sc-fg);
      overflow-wrap: anywhere;
    }
    .label a {
      color: var(--sc-focus);
      display: inline-flex;
      min-height: 44px;
      align-items: center;
    }
    .sub {
      display: block;
      color: var(--sc-muted);
      font-size: 12px;
    }
    .track {
      height: 22px;
      background: #eef1f5;
      border-radius: 6px;
      overflow: hidden;
      min-width: 40px;
    }
    .fill {
      height: 100%;
      background: var(--bar-color);
      border-radius: 6px;
    }
    .value {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
      text-align: right;
      min-width: 2.5em;
    }
    .empty {
      color: var(--sc-muted);
    }
  `;

  @property({ attribute: false }) items: BarItem[] = [];
  @property({ attribute: false }) format: (n: number) => string = (n) => String(n);
  @property() emptyText = '—';

  override render() {
    if (this.items.length === 0) return html`<p class="empty">${this.emptyText}</p>`;
    const max = Math.max(...this.items.map((i) => i.value), 1);
    return html`<ol>
      ${this.items.map(
        (i) => html`<li>
          <span class="label">${i.href ? html`<a href=${i.href}>${i.label}</a>` : i.label}${i.sub ? html`<span class="sub">${i.sub}</span>` : nothing}</span>
          <span class="track" role="presentation"><span class="fill" style="display:block;width:${(i.value / max) * 100}%"></span></span>
          <span class="value">${this.format(i.value)}</span>
        </li>`,
      )}
    </ol>`;
  }
}

export type ColumnSeries = { name: string; color: string; values: number[] };

/** Axis ticks: a readable step (1, 2, 2.5 or 5 × a power of ten), about four of them up to `max`. */
function axisTicks(max: number, integers: boolean): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  if (integers) step = Math.max(1, Math.ceil(step));
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

/**
 * Grouped columns per category (e.g. per year), one colour per series, with a value axis and
 * a legend. Drawn at the element's own width (measured), so text never scales down.
 */
@customElement('sc-column-chart')
export class ColumnChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    svg {
      display: block;
      width: 100%;
      overflow: visible;
    }
    text {
      font-family: var(--sc-font);
      fill: var(--sc-fg);
    }
    .axis {
      fill: var(--sc-muted);
      font-size: 12px;
    }
    .cat {
      font-size: 14px;
      font-weight: 600;
    }
    .val {
      font-size: 12px;
      font-variant-numeric: tabular-nums;
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      margin-top: 8px;
      font-size: 14px;
    }
    .legend span::before {
      content: '';
      display: inline-block;
      width: 12px;
      height: 12px;
      border-radius: 3px;
      margin-right: 6px;
      background: var(--c);
      vertical-align: -1px;
    }
  `;

  @property({ attribute: false }) categories: string[] = [];
  @property({ attribute: false }) series: ColumnSeries[] = [];
  @property({ attribute: false }) format: (n: number) => string = (n) => String(n);
  @property({ type: Number }) height = 240;
  @property() label = '';
  @state() private width = 480;
  private observer?: ResizeObserver;

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0 && Math.abs(w - this.width) > 2) this.width = w;
    });
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
  }

  override render() {
    const { width, height } = this;
    const left = 48;
    const bottom = 28;
    const top = 18;
    const plotW = Math.max(width - left - 4, 10);
    const plotH = height - bottom - top;
    const values = this.series.flatMap((s) => s.values);
    const ticks = axisTicks(Math.max(0, ...values), values.every((v) => Number.isInteger(v)));
    const max = ticks[ticks.length - 1]!;
    const groupW = plotW / Math.max(this.categories.length, 1);
    const barW = Math.min(36, (groupW * 0.8) / Math.max(this.series.length, 1));
    const y = (v: number) => top + plotH - (v / max) * plotH;
    return html`
      <svg viewBox="0 0 ${width} ${height}" height=${height} role="img" aria-label=${this.label}>
        <title>${this.label}</title>
        ${ticks.map(
          (v) => svg`<line x1=${left} x2=${width} y1=${y(v)} y2=${y(v)} stroke="#e3e7ed" />
            <text class="axis" x=${left - 6} y=${y(v) + 4} text-anchor="end">${this.format(v)}</text>`,
        )}
        ${this.categories.map((cat, ci) => {
          const x0 = left + ci * groupW + (groupW - barW * this.series.length) / 2;
          return svg`
            ${this.series.map((s, si) => {
              const v = s.values[ci] ?? 0;
              const x = x0 + si * barW;
              return svg`<rect x=${x + 1} y=${y(v)} width=${Math.max(barW - 2, 1)} height=${Math.max(top + plotH - y(v), 0)} rx="3" fill=${s.color}><title>${s.name} ${cat}: ${this.format(v)}</title></rect>
                ${v > 0 ? svg`<text class="val" x=${x + barW / 2} y=${y(v) - 4} text-anchor="middle">${this.format(v)}</text>` : nothing}`;
            })}
            <text class="cat" x=${left + ci * groupW + groupW / 2} y=${height - 8} text-anchor="middle">${cat}</text>`;
        })}
      </svg>
      ${this.series.length > 1
        ? html`<div class="legend">${this.series.map((s) => html`<span style="--c:${s.color}">${s.name}</span>`)}</div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-bar-list': BarList;
    'sc-column-chart': ColumnChart;
  }
}
