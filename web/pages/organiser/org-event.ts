import { LitElement, css, html, nothing } from 'lit';
import '../../i18n/print.ts';
import { customElement, property } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../components/objective-grid.ts';
import '../../components/element-grid.ts';
import { sharedStyles } from '../../styles/shared.ts';
import './org-checkin.ts';
import './org-difficulty.ts';
import './org-draw.ts';
import './org-entrants.ts';
import './org-event-form.ts';
import './org-import.ts';
import './org-judges.ts';
import './org-rounds.ts';
import { levelLabel, occupationText, orgStyles, type Competition, type ScEvent } from './org-shared.ts';
import type { EventTab } from './organiser-page.ts';

const TABS: EventTab[] = ['entrants', 'import', 'checkin', 'draw', 'judges', 'rounds', 'difficulty', 'elements', 'scores', 'edit'];
/** Tabs that change things: hidden from read-only roles. */
const MANAGE_TABS: EventTab[] = ['import', 'checkin', 'draw', 'edit'];

/** One event (赛项) with its tabs: entrants, import, check-in, draw, judges, rounds, objective scores, scheme. */
@customElement('sc-org-event')
export class OrgEvent extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 4px 16px;
        margin-bottom: 8px;
      }
      .head h1 {
        margin: 0;
      }
      .meta {
        color: var(--sc-muted);
        font-size: 14px;
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
      }
      nav.tabs {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        border-bottom: 2px solid var(--sc-line);
        margin: 8px 0 16px;
      }
      nav.tabs a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        padding: 0 14px;
        color: var(--sc-fg);
        text-decoration: none;
        border-bottom: 3px solid transparent;
        margin-bottom: -2px;
      }
      nav.tabs a[aria-current='page'] {
        border-bottom-color: var(--sc-accent);
        font-weight: 600;
      }
      .warn {
        color: var(--sc-warn);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) competition!: Competition;
  @property({ attribute: false }) event!: ScEvent;
  @property() tab: EventTab = 'entrants';
  @property({ type: Boolean }) canManage = false;
  /** Organisers, and the competition's encryption officer (加密裁判), who keeps the draw. */
  @property({ type: Boolean }) canDraw = false;

  private renderTab(tab: EventTab) {
    const c = this.competition;
    const e = this.event;
    const m = this.canManage;
    switch (tab) {
      case 'entrants':
        return html`<sc-org-entrants .competition=${c} .event=${e} .canManage=${m}></sc-org-entrants>`;
      case 'import':
        return html`<sc-org-import .competition=${c} .event=${e}></sc-org-import>`;
      case 'checkin':
        return html`<sc-org-checkin .event=${e}></sc-org-checkin>`;
      case 'draw':
        return html`<sc-org-draw .event=${e}></sc-org-draw>`;
      case 'judges':
        return html`<sc-org-judges .competition=${c} .event=${e} .canManage=${m}></sc-org-judges>`;
      case 'rounds':
        return html`<sc-org-rounds .event=${e} .canManage=${m} schemeHref=${`/org/competitions/${c.id}/events/${e.id}/edit`}></sc-org-rounds>`;
      case 'difficulty':
        return html`<sc-org-difficulty .event=${e} .canManage=${m}></sc-org-difficulty>`;
      case 'elements':
        // Organisers enter base values; declaring an element void is the chief judge's, on the console.
        return html`<sc-element-grid .eventId=${e.id} ?canEnter=${m}></sc-element-grid>`;
      case 'scores':
        return html`<p>
            <a class="btn" href="/print/event/${e.id}" target="_blank" data-testid="print-results">${t('print.links.results')}</a>
            ${m ? html`<a class="btn" href="/print/event/${e.id}/sheets" target="_blank" data-testid="print-sheets">${t('print.links.sheets')}</a>` : nothing}
          </p>
          <sc-objective-grid .eventId=${e.id}></sc-objective-grid>`;
      case 'edit':
        return html`<sc-org-event-form .competition=${c} .event=${e}></sc-org-event-form>`;
    }
  }

  override render() {
    const c = this.competition;
    const e = this.event;
    const base = `/org/competitions/${c.id}/events/${e.id}`;
    // The difficulty grid only where some part declares a difficulty coefficient.
    const usesDifficulty = e.scheme.parts.some((p) => p.usesDifficulty);
    // The base-value grid only where some part scores by element (issue 13).
    const hasElements = e.scheme.parts.some((p) => p.marking !== 'objective' && (p.aggregateBy === 'element' || p.usesBaseValues));
    const tabs = TABS.filter(
      (tab) =>
        (this.canManage || !MANAGE_TABS.includes(tab) || (tab === 'draw' && this.canDraw)) &&
        (tab !== 'difficulty' || usesDifficulty) &&
        (tab !== 'elements' || hasElements),
    );
    const tab = tabs.includes(this.tab) ? this.tab : 'entrants';
    return html`
      <div class="head">
        <h1>${e.name}</h1>
        <div class="meta">
          <span>${occupationText(e)}</span>
          ${e.targetLevel ? html`<span>${levelLabel(e.targetLevel)}</span>` : nothing}
          <span>${t('org.event.entrantsN', { n: e.entrantCount })}</span>
          <span
            >${e.scheme.parts.map((p) => (e.scheme.totaling === 'weighted' ? `${p.name} ${p.weight}%` : p.name)).join(' + ')}</span
          >
        </div>
      </div>
      ${e.belowMinimum ? html`<p class="warn" style="margin:0 0 8px">${t('org.event.belowMinimum', { n: e.minEntrants })}</p>` : nothing}
      <nav class="tabs" aria-label=${t('org.event.tabs')}>
        ${tabs.map((x) => html`<a href=${x === 'entrants' ? base : `${base}/${x}`} aria-current=${x === tab ? 'page' : 'false'} data-tab=${x}>${t(`org.tab.${x}`)}</a>`)}
      </nav>
      ${this.renderTab(tab)}
    `;
  }
}
