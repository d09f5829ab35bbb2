import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { COMPETITION_STATUSES } from '../../../server/contracts/competitions.ts';
import type { Dashboard } from '../../../server/contracts/dashboard.ts';
import { dateRange, errorBanner, gradeLabel, levelLabel, orgStyles, statusLabel } from './org-shared.ts';

const GRADE_COLOURS: Record<string, string> = { A: '#c8102e', B: '#2f6fec', C: '#1a7f37' };

/**
 * The overview of the staff member's organisation subtree: headline numbers, competitions by
 * grade (SVG columns) and by status (CSS bars), and the competitions under way.
 */
@customElement('sc-org-dashboard')
export class OrgDashboard extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 12px;
      }
      .head h1 {
        margin: 0;
        flex: 1 1 260px;
      }
      .head label {
        margin: 0;
      }
      a.stat.link {
        display: block;
        text-decoration: none;
        color: inherit;
      }
      a.stat.link:hover .value {
        text-decoration: underline;
      }
      .drill a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        margin-right: 12px;
      }
      section.card + section.card,
      .charts + section.card {
        margin-top: 16px;
      }
      .cards {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(128px, 1fr));
        gap: 12px;
        margin-bottom: 16px;
      }
      .stat {
        background: var(--sc-card);
        border: 1px solid var(--sc-line);
        border-radius: 12px;
        padding: 14px 16px;
      }
      .stat .value {
        font-size: 30px;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        line-height: 1.2;
      }
      .stat .label {
        color: var(--sc-muted);
        font-size: 14px;
      }
      .stat .sub {
        font-size: 13px;
        color: var(--sc-muted);
        margin-top: 2px;
      }
      .charts {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr);
        gap: 12px;
        margin-bottom: 16px;
      }
      @media (max-width: 600px) {
        .charts {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      svg {
        width: 100%;
        max-width: 380px;
        max-height: 220px;
        height: auto;
        display: block;
        margin: 0 auto;
      }
      .hbar {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr) 2.5em;
        column-gap: 12px;
        gap: 8px;
        align-items: center;
        min-height: 30px;
        font-size: 14px;
      }
      .hbar .track {
        background: #eef1f5;
        border-radius: 4px;
        height: 16px;
        overflow: hidden;
      }
      .hbar .fill {
        height: 100%;
        background: var(--sc-focus);
        border-radius: 4px;
      }
      .hbar .fill.running {
        background: var(--sc-ok);
      }
      .hbar .n {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      ul.active {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.active li {
        border-top: 1px solid var(--sc-line);
        padding: 10px 0;
      }
      ul.active li:first-child {
        border-top: none;
      }
      ul.active a.name {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        font-weight: 600;
        font-size: 17px;
        color: var(--sc-fg);
      }
      .meta + .meta {
        margin-top: 4px;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 14px;
        color: var(--sc-muted);
        font-size: 14px;
        align-items: center;
      }
      .mini {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .mini .track {
        width: 80px;
        height: 8px;
        background: #eef1f5;
        border-radius: 4px;
        overflow: hidden;
      }
      .mini .fill {
        height: 100%;
        background: var(--sc-ok);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Boolean }) canManage = false;
  @state() private data: Dashboard | null = null;
  @state() private year: number | null = null;
  @state() private error: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.error = null;
      this.data = await api<Dashboard>('GET', `/api/dashboard${this.year ? `?year=${this.year}` : ''}`);
    } catch (err) {
      this.error = err;
    }
  }

  private stat(label: string, value: number, sub?: string, testid?: string) {
    return html`<div class="stat" data-testid=${testid ?? nothing}>
      <div class="value">${value.toLocaleString()}</div>
      <div class="label">${label}</div>
      ${sub ? html`<div class="sub">${sub}</div>` : nothing}
    </div>`;
  }

  /** Competitions by grade as SVG columns (the numbers are written on them for colour-blind readers). */
  private gradeChart(d: Dashboard) {
    const grades = ['A', 'B', 'C'] as const;
    const max = Math.max(1, ...grades.map((g) => d.competitions.byGrade[g]));
    const w = 240;
    const h = 170;
    const base = 140;
    const colW = 48;
    const summary = grades.map((g) => `${gradeLabel(g)} ${d.competitions.byGrade[g]}`).join('，');
    return svg`<svg viewBox="0 0 ${w} ${h}" role="img" aria-label=${`${t('org.dash.byGrade')}：${summary}`}>
      <line x1="10" x2=${w - 10} y1=${base} y2=${base} stroke="#d5dbe3" />
      ${grades.map((g, i) => {
        const n = d.competitions.byGrade[g];
        const bh = Math.round((n / max) * 110);
        const x = 24 + i * 72;
        return svg`<rect x=${x} y=${base - bh} width=${colW} height=${bh} rx="4" fill=${GRADE_COLOURS[g]!} />
          <text x=${x + colW / 2} y=${base - bh - 6} text-anchor="middle" font-size="16" font-weight="700" fill="#1c2430">${n}</text>
          <text x=${x + colW / 2} y=${base + 20} text-anchor="middle" font-size="14" fill="#5b6675">${gradeLabel(g)}</text>`;
      })}
    </svg>`;
  }

  /** The query that narrows a drill-down to the year shown. */
  private yearQuery(prefix: '?' | '&'): string {
    return this.year ? `${prefix}year=${this.year}` : '';
  }

  /** Where the year's competitions led: each figure opens the list behind it. */
  private outcomes(d: Dashboard) {
    const o = d.outcomes;
    const titles = o.titles.reduce((s, x) => s + x.count, 0);
    const link = (href: string, label: string, value: number, testid: string, sub?: string) =>
      html`<a class="stat link" href=${href} data-testid=${testid}>
        <div class="value">${value.toLocaleString()}</div>
        <div class="label">${label}</div>
        ${sub ? html`<div class="sub">${sub}</div>` : nothing}
      </a>`;
    return html`<section class="card" data-testid="outcomes">
      <h2>${t('org.dash.outcomes')}</h2>
      <div class="cards">
        ${link(`/results`, t('org.dash.finalists'), o.finalists, 'stat-finalists')}
        ${link(`/awards`, t('org.dash.prizeWinners'), o.prizeWinners, 'stat-winners', o.prizeMoneyYuan ? t('org.dash.prizeMoney', { n: o.prizeMoneyYuan.toLocaleString() }) : undefined)}
        ${link(`/awards`, t('org.dash.titles'), titles, 'stat-titles', o.titles.map((x) => `${x.name} ${x.count}`).join(' / ') || undefined)}
        ${link(`/awards`, t('org.dash.promotions'), o.promotions, 'stat-promotions')}
        ${link(`/awards`, t('org.dash.proposalsWaiting'), o.proposalsWaiting, 'stat-waiting')}
        ${link(`/hr`, t('org.dash.certificates'), d.certificates.issued, 'stat-certificates', d.certificates.pending ? t('org.dash.certificatesPending', { n: d.certificates.pending }) : undefined)}
        ${link(
          `/awards/selections`,
          t('org.dash.craftsmen', { year: d.selections.year }),
          d.selections.named,
          'stat-craftsmen',
          t('org.dash.craftsmenSub', { candidates: d.selections.candidates, paid: d.selections.paid.toLocaleString() }),
        )}
      </div>
      ${d.certificates.byLevel.length
        ? html`<p class="drill" data-testid="cert-levels">
            ${t('org.dash.byLevel')}：${d.certificates.byLevel.map(
              (l) => html`<a href="/hr?level=${l.level}">${levelLabel(l.level)} ${l.count}</a> `,
            )}
          </p>`
        : nothing}
      ${d.certificates.byOccupation.length
        ? html`<p class="drill" data-testid="cert-occupations">
            ${t('org.dash.byOccupation')}：${d.certificates.byOccupation.map(
              (x) => html`<a href="/hr?occupationCode=${encodeURIComponent(x.occupationCode)}">${x.occupationName} ${x.count}</a> `,
            )}
          </p>`
        : nothing}
    </section>`;
  }

  private statusChart(d: Dashboard) {
    const max = Math.max(1, ...COMPETITION_STATUSES.map((s) => d.competitions.byStatus[s]));
    return html`${COMPETITION_STATUSES.map((s) => {
      const n = d.competitions.byStatus[s];
      return html`<div class="hbar">
        <span>${statusLabel(s)}</span>
        <span class="track" aria-hidden="true"><span class="fill ${s === 'running' ? 'running' : ''}" style="display:block;width:${(n / max) * 100}%"></span></span>
        <span class="n">${n}</span>
      </div>`;
    })}`;
  }

  override render() {
    const d = this.data;
    return html`
      <div class="head">
        <h1>${d ? t('org.dash.title', { org: d.organisation.name }) : t('org.nav.dashboard')}</h1>
        <label for="year" class="sr-only">${t('org.filter.year')}</label>
        <select
          id="year"
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.year = v ? Number(v) : null;
            void this.load();
          }}
        >
          <option value="">${t('org.filter.allYears')}</option>
          ${(d?.years ?? []).map((y) => html`<option value=${y.year} ?selected=${this.year === y.year}>${t('org.yearN', { year: y.year })}</option>`)}
        </select>
        ${this.canManage ? html`<a class="btn primary" href="/org/competitions/new">${t('org.comp.new')}</a>` : nothing}
      </div>
      ${errorBanner(this.error)}
      ${d
        ? html`
            <div class="cards">
              ${this.stat(t('org.dash.competitions'), d.competitions.total, undefined, 'stat-competitions')}
              ${this.stat(t('org.dash.events'), d.events)}
              ${this.stat(t('org.dash.entrants'), d.entrants.total, t('org.dash.checkedIn', { n: d.entrants.checkedIn }), 'stat-entrants')}
              ${this.stat(t('org.dash.judges'), d.judges)} ${this.stat(t('org.dash.marks'), d.marksIn)}
            </div>
            <div class="charts">
              <section class="card">
                <h2>${t('org.dash.byGrade')}</h2>
                ${this.gradeChart(d)}
                <p class="drill">
                  ${(['A', 'B', 'C'] as const).map(
                    (g) => html`<a href="/org/competitions?grade=${g}${this.yearQuery('&')}" data-testid="grade-${g}">${gradeLabel(g)} ${d.competitions.byGrade[g]} →</a> `,
                  )}
                </p>
              </section>
              <section class="card">
                <h2>${t('org.dash.byStatus')}</h2>
                ${this.statusChart(d)}
              </section>
            </div>
            ${this.outcomes(d)}
            <section class="card">
              <h2>${t('org.dash.active')}</h2>
              ${d.active.length === 0
                ? html`<p class="empty">${t('org.dash.noActive')}</p>`
                : html`<ul class="active" data-testid="active-list">
                    ${d.active.map(
                      (c) => html`<li>
                        <a class="name" href="/org/competitions/${c.id}">${c.name}</a>
                        <div class="meta">
                          <span class="chip grade-${c.grade}">${gradeLabel(c.grade)}</span>
                          <span class="chip st-${c.status}">${statusLabel(c.status)}</span>
                          <span>${dateRange(c.startDate, c.endDate)}</span>
                          ${c.venue ? html`<span>${c.venue}</span>` : nothing}
                        </div>
                        <div class="meta">
                          <span>${t('org.dash.eventsN', { n: c.events })}</span>
                          <span class="mini" title=${t('org.dash.checkedInOf', { n: c.checkedIn, total: c.entrants })}>
                            ${t('org.dash.checkedInOf', { n: c.checkedIn, total: c.entrants })}
                            <span class="track" aria-hidden="true"
                              ><span class="fill" style="display:block;width:${c.entrants ? (c.checkedIn / c.entrants) * 100 : 0}%"></span
                            ></span>
                          </span>
                          <span>${t('org.dash.judgesN', { n: c.judges })}</span>
                          <span>${t('org.dash.marksN', { n: c.marksIn })}</span>
                        </div>
                      </li>`,
                    )}
                  </ul>`}
            </section>
          `
        : this.error
          ? nothing
          : html`<sc-loading></sc-loading>`}
    `;
  }
}
