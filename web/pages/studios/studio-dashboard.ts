import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { navigate } from '../../app/navigation.ts';
import { sharedStyles } from '../../styles/shared.ts';
import './studio-charts.ts';
import { errorBanner, fmt, kindLabel, levelLabel, studioStyles, type StudioDashboard, type StudioFiguresReport } from './studios-shared.ts';


/**
 * What a county union shows in a meeting: studios by kind, level and area; results, patents
 * and economic benefit per year; funding per year; re-confirmations due and the latest decisions.
 * `?org=` drills down into an area (a township, or a county for a city union).
 */
@customElement('sc-studio-dashboard')
export class StudioDashboardView extends LitElement {
  static override styles = [
    sharedStyles,
    studioStyles,
    css`
      .charts {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 16px;
        margin-top: 16px;
      }
      .charts .wide {
        grid-column: 1 / -1;
      }
      @media (max-width: 900px) {
        .charts {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      h2 {
        font-size: 17px;
      }
      .kind-bars {
        --bar-color: #2f6fec;
      }
      .area-bars {
        --bar-color: #1a7f37;
      }
      ul.plain {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ul.plain li {
        display: flex;
        gap: 8px;
        align-items: center;
        min-height: 44px;
        border-bottom: 1px solid var(--sc-line);
      }
      ul.plain li .date {
        color: var(--sc-muted);
        font-variant-numeric: tabular-nums;
        font-size: 14px;
        white-space: nowrap;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @state() private data: StudioDashboard | null = null;
  @state() private figures: StudioFiguresReport | null = null;
  @state() private error: unknown = null;
  private orgId: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
  }

  private onPopState = () => void this.load();

  private async load() {
    this.orgId = new URLSearchParams(location.search).get('org');
    try {
      const q = this.orgId ? `?orgId=${encodeURIComponent(this.orgId)}` : '';
      [this.data, this.figures] = await Promise.all([api<StudioDashboard>('GET', `/api/studio-dashboard${q}`), api<StudioFiguresReport>('GET', `/api/studio-figures${q}`)]);
      this.error = null;
    } catch (err) {
      this.error = err;
    }
  }

  /** Totals per organisation subtree: the chosen organisation and each one directly under it. */
  private renderSubtree() {
    const f = this.figures;
    if (!f || f.subtree.length === 0) return nothing;
    const lines = f.subtree.filter((l) => l.org.id === f.org.id || l.parentId === f.org.id);
    return html`<section class="card wide" data-testid="subtree-totals">
      <h2>${t('st.dash.subtree')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>${t('st.dash.area')}</th>
              <th class="num">${t('st.dash.studios')}</th>
              <th class="num">${t('st.fig.results')}</th>
              <th class="num">${t('st.fig.patents')}</th>
              <th class="num hide-narrow">${t('st.fig.breakthroughs')}</th>
              <th class="num">${t('st.dash.benefitWan')}</th>
              <th class="num">${t('st.fig.apprentices')}</th>
            </tr>
          </thead>
          <tbody>
            ${lines.map(
              (l) => html`<tr style=${l.org.id === f.org.id ? 'font-weight:700' : ''}>
                <td>${l.org.id === f.org.id ? t('st.dash.allOf', { org: l.org.name }) : l.org.name}</td>
                <td class="num">${l.studios}</td>
                <td class="num">${fmt(l.total.innovationResults)}</td>
                <td class="num">${fmt(l.total.patents.total)}</td>
                <td class="num hide-narrow">${fmt(l.total.technicalBreakthroughs)}</td>
                <td class="num">${fmt(Math.round(l.total.economicBenefitYuan / 100) / 100)}</td>
                <td class="num">${fmt(l.total.apprenticesTrained)}（${fmt(l.total.apprenticesPromoted)}）</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const d = this.data;
    if (!d) return html`<p class="empty">${t('app.loading')}</p>`;
    const years = d.years.map((y) => String(y.year));
    return html`
      <div class="row">
        <h1 style="margin:0" data-testid="dashboard-title">${t('st.dash.title', { org: d.org.name })}</h1>
        <span class="spacer"></span>
        ${this.orgId ? html`<a href="/studios/dashboard" @click=${(e: Event) => (e.preventDefault(), navigate('/studios/dashboard'))}>${t('st.dash.back')}</a>` : nothing}
      </div>
      <div class="tiles" style="margin-top:12px" data-testid="tiles">
        <div class="tile"><div class="value">${d.studios.inRegistry}</div><div class="label">${t('st.dash.inRegistry')}</div></div>
        <div class="tile"><div class="value">${d.studios.applying}</div><div class="label">${t('st.dash.applying')}</div></div>
        <div class="tile"><div class="value">${fmt(d.total.innovationResults)}</div><div class="label">${t('st.fig.results')}</div></div>
        <div class="tile"><div class="value">${fmt(d.total.patents.total)}</div><div class="label">${t('st.dash.patentsOf', { n: d.total.patents.invention })}</div></div>
        <div class="tile"><div class="value">${fmt(Math.round(d.total.economicBenefitYuan / 10_000))}</div><div class="label">${t('st.dash.benefitWan')}</div></div>
        <div class="tile"><div class="value">${fmt(d.total.apprenticesTrained)}</div><div class="label">${t('st.dash.apprenticesOf', { n: d.total.apprenticesPromoted })}</div></div>
      </div>
      <div class="charts">
        <section class="card" data-testid="chart-kind">
          <h2>${t('st.dash.byKind')}</h2>
          <sc-bar-list class="kind-bars" .items=${d.byKind.map((k) => ({ label: kindLabel(k.kind), value: k.count }))}></sc-bar-list>
        </section>
        <section class="card" data-testid="chart-level">
          <h2>${t('st.dash.byLevel')}</h2>
          <sc-bar-list .items=${d.byLevel.map((l) => ({ label: levelLabel(l.level), value: l.count }))}></sc-bar-list>
        </section>
        <section class="card wide" data-testid="chart-area">
          <h2>${t('st.dash.byArea')}</h2>
          <sc-bar-list
            class="area-bars"
            .emptyText=${t('st.dash.noStudios')}
            .items=${d.byArea.map((a) => ({ label: a.org.name, value: a.inRegistry, sub: t('st.dash.areaSub', { total: a.total }), href: `/studios/dashboard?org=${a.org.id}` }))}
          ></sc-bar-list>
        </section>
        ${this.renderSubtree()}
        <section class="card wide" data-testid="chart-years">
          <h2>${t('st.chart.resultsPatents')}</h2>
          ${years.length === 0
            ? html`<p class="empty">${t('st.ach.none')}</p>`
            : html`<sc-column-chart
                .label=${t('st.chart.resultsPatents')}
                .categories=${years}
                .series=${[
                  { name: t('st.fig.results'), color: '#2f6fec', values: d.years.map((y) => y.figures.innovationResults) },
                  { name: t('st.patent.invention'), color: '#c8102e', values: d.years.map((y) => y.figures.patents.invention) },
                  { name: t('st.patent.utility_model'), color: '#f08a24', values: d.years.map((y) => y.figures.patents.utilityModel) },
                  { name: t('st.patent.design'), color: '#8e59c4', values: d.years.map((y) => y.figures.patents.design) },
                  { name: t('st.fig.breakthroughs'), color: '#1a7f37', values: d.years.map((y) => y.figures.technicalBreakthroughs) },
                ]}
                height="260"
              ></sc-column-chart>`}
        </section>
        <section class="card" data-testid="chart-benefit">
          <h2>${t('st.chart.benefit')}</h2>
          <sc-column-chart
            .label=${t('st.chart.benefit')}
            .categories=${years}
            .series=${[{ name: t('st.dash.benefitWan'), color: '#c8102e', values: d.years.map((y) => Math.round(y.figures.economicBenefitYuan / 100) / 100) }]}
            .format=${(n: number) => fmt(n)}
          ></sc-column-chart>
        </section>
        <section class="card" data-testid="chart-apprentices">
          <h2>${t('st.chart.apprentices')}</h2>
          <sc-column-chart
            .label=${t('st.chart.apprentices')}
            .categories=${years}
            .series=${[
              { name: t('st.ach.trained'), color: '#2f6fec', values: d.years.map((y) => y.figures.apprenticesTrained) },
              { name: t('st.ach.promoted'), color: '#1a7f37', values: d.years.map((y) => y.figures.apprenticesPromoted) },
            ]}
          ></sc-column-chart>
        </section>
        <section class="card" data-testid="chart-funding">
          <h2>${t('st.chart.funding')}</h2>
          <sc-column-chart
            .label=${t('st.chart.funding')}
            .categories=${d.fundingByYear.map((f) => String(f.year))}
            .series=${[{ name: t('st.chart.funding'), color: '#e0a100', values: d.fundingByYear.map((f) => Math.round(f.amountYuan / 100) / 100) }]}
          ></sc-column-chart>
        </section>
        <section class="card">
          <h2>${t('st.dash.due')}</h2>
          ${d.due.length === 0
            ? html`<p class="empty">${t('st.dash.noneDue')}</p>`
            : html`<ul class="plain">
                ${d.due.map(
                  (x) => html`<li>
                    <a href="/studios/${x.studio.id}" style="flex:1">${x.studio.name}</a>
                    <span class="badge warn">${t(`st.term.${x.termStatus}`)}</span><span class="date">${x.termEndsOn ?? ''}</span>
                  </li>`,
                )}
              </ul>`}
          <h2 style="margin-top:16px">${t('st.dash.recent')}</h2>
          <ul class="plain">
            ${d.recentSteps.map(
              (x) => html`<li>
                <span class="date">${x.date}</span>
                <span style="flex:1;min-width:0"><a href="/studios/${x.studio.id}">${x.studio.name}</a> · ${x.decision}</span>
              </li>`,
            )}
          </ul>
        </section>
      </div>
    `;
  }
}
