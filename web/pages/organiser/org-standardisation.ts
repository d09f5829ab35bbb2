import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CompetitionStandardised, StandardisationSetting } from '../../../server/contracts/judging.ts';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { errorBanner } from '../../components/error-banner.ts';
import '../../i18n/judging.ts';
import { sharedStyles } from '../../styles/shared.ts';

/**
 * A competition's standardised scores (标准分, mean 500, SD 100 per event): the organiser's option
 * (on, on the venue screen after release, best of the competition) and the ranking across events
 * by them. Read by every staff member in scope; changed by organisers.
 */
@customElement('sc-org-standardisation')
export class OrgStandardisation extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      h2 {
        font-size: 18px;
        margin: 0 0 4px;
      }
      .options label {
        display: flex;
        align-items: center;
        gap: 10px;
        min-height: 44px;
        margin: 0;
        color: var(--sc-fg);
        cursor: pointer;
      }
      .options input {
        width: 22px;
        height: 22px;
      }
      .best {
        background: #fff8e6;
        border: 1px solid #f1d48a;
        border-radius: 10px;
        padding: 8px 12px;
        margin: 12px 0;
      }
      .note {
        font-size: 14px;
      }
      .scroll-x {
        overflow-x: auto;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Number }) competitionId = 0;
  @property({ type: Boolean }) canManage = false;
  @state() private data: CompetitionStandardised | null = null;
  @state() private draft: StandardisationSetting = { enabled: false, showOnScreen: false, bestOfCompetition: false };
  @state() private error: unknown = null;
  @state() private busy = false;
  @state() private saved = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.data = await api<CompetitionStandardised>('GET', `/api/competitions/${this.competitionId}/standardised`);
      this.draft = { ...this.data.setting };
    } catch (err) {
      this.error = err;
    }
  }

  private async save() {
    this.busy = true;
    this.error = null;
    this.saved = false;
    try {
      await api('PUT', `/api/competitions/${this.competitionId}/standardisation`, this.draft);
      await this.load();
      this.saved = true;
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private option(key: keyof StandardisationSetting, label: string, disabled = false) {
    return html`<label
      ><input
        type="checkbox"
        data-testid="std-${key}"
        .checked=${this.draft[key]}
        ?disabled=${!this.canManage || this.busy || disabled}
        @change=${(e: Event) => {
          this.draft = { ...this.draft, [key]: (e.target as HTMLInputElement).checked };
          this.saved = false;
        }}
      />${label}</label
    >`;
  }

  override render() {
    const d = this.data;
    const changed = d && JSON.stringify(d.setting) !== JSON.stringify(this.draft);
    return html`<section class="card" data-testid="standardisation">
      <h2>${t('jq.std.title')}</h2>
      <p class="muted note">${t('jq.std.hint')}</p>
      ${errorBanner(this.error)}
      <div class="options">
        ${this.option('enabled', t('jq.std.enabled'))} ${this.option('showOnScreen', t('jq.std.onScreen'), !this.draft.enabled)}
        ${this.option('bestOfCompetition', t('jq.std.best'), !this.draft.enabled)}
      </div>
      ${this.canManage
        ? html`<div class="row" style="margin-top:8px">
            <button class="primary" data-testid="std-save" ?disabled=${this.busy || !changed} @click=${this.save}>${t('jq.std.save')}</button>
            ${this.saved && !changed ? html`<span class="muted" role="status">${t('jq.std.saved')}</span>` : nothing}
          </div>`
        : nothing}
      ${d && d.setting.enabled ? this.renderRanking(d) : nothing}
    </section>`;
  }

  private renderRanking(d: CompetitionStandardised) {
    return html`
      ${d.best.length
        ? html`<div class="best" data-testid="std-best">
            <b>${t('jq.std.bestLabel')}</b>：${d.best
              .map((b) => `${b.eventName} ${b.name ?? `${t('jq.std.number')} ${b.number ?? '—'}`} · ${b.standardised.toFixed(2)}`)
              .join('；')}
          </div>`
        : nothing}
      <h2 style="margin-top:12px">${t('jq.std.ranking')}</h2>
      ${d.events.some((e) => e.spread === 'single' || e.spread === 'none')
        ? html`<p class="muted note">
            ${d.events
              .filter((e) => e.spread === 'single' || e.spread === 'none')
              .map((e) => `${e.eventName}：${t(`jq.std.spread.${e.spread}`)}`)
              .join('；')}
          </p>`
        : nothing}
      ${d.ranking.length === 0
        ? html`<p class="muted">${t('jq.std.none')}</p>`
        : html`<div class="scroll-x">
            <table data-testid="std-ranking">
              <thead>
                <tr>
                  <th class="num">${t('jq.std.rank')}</th>
                  <th>${t('jq.std.event')}</th>
                  <th class="num">${t('jq.std.number')}</th>
                  <th>${t('jq.std.name')}</th>
                  <th class="num">${t('jq.std.total')}</th>
                  <th class="num">${t('jq.std.score')}</th>
                </tr>
              </thead>
              <tbody>
                ${d.ranking.slice(0, 30).map(
                  (r) => html`<tr>
                    <td class="num">${r.rank}</td>
                    <td>${r.eventName}</td>
                    <td class="num">${r.number ?? '—'}</td>
                    <td>${r.name ?? '—'}</td>
                    <td class="num">${r.total.toFixed(2)}</td>
                    <td class="num"><b>${r.standardised.toFixed(2)}</b></td>
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
    'sc-org-standardisation': OrgStandardisation;
  }
}
