import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { DrawResult, Entry } from '../../../server/contracts/entries.ts';
import { entryStatusLabel, errorBanner, fetchAll, OrgDataChangedEvent, orgStyles, type ScEvent } from './org-shared.ts';
import type { ConfirmEvent } from './org-widgets.ts';

/**
 * Drawing lots (抽签): one button, confirmed first (a new draw replaces every number), then the
 * number → entrant table. The server refuses once marks exist; its message shows in a banner.
 */
@customElement('sc-org-draw')
export class OrgDraw extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      td.no {
        font-size: 20px;
        font-weight: 700;
        width: 4em;
        font-variant-numeric: tabular-nums;
      }
      .startAt {
        width: 8em;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) event!: ScEvent;
  @state() private entries: Entry[] | null = null;
  @state() private startAt = '1';
  @state() private confirming = false;
  @state() private busy = false;
  @state() private error: unknown = null;
  @state() private result: DrawResult | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.entries = await fetchAll<Entry>(`/api/events/${this.event.id}/entries`);
    } catch (err) {
      this.error = err;
    }
  }

  private async draw(e: ConfirmEvent) {
    this.confirming = false;
    if (!e.confirmed) return;
    this.busy = true;
    this.error = null;
    try {
      const startAt = Number(this.startAt) || 1;
      this.result = await api<DrawResult>('POST', `/api/events/${this.event.id}/draw`, { startAt });
      await this.load();
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const list = this.entries;
    const drawn = (list ?? []).filter((e) => e.drawnNumber !== null).sort((a, b) => a.drawnNumber! - b.drawnNumber!);
    const undrawn = (list ?? []).filter((e) => e.drawnNumber === null);
    const eligible = (list ?? []).filter((e) => e.status === 'registered' || e.status === 'checked_in').length;
    const startOk = /^\d+$/.test(this.startAt) && Number(this.startAt) >= 1;
    return html`
      <section class="card">
        <h2>${t('org.draw.title')}</h2>
        <p class="muted" style="margin-top:0">${t('org.draw.intro')}</p>
        ${errorBanner(this.error)}
        ${this.result ? html`<div class="banner ok-banner" role="status" data-testid="draw-done">${t('org.draw.done', { n: Object.keys(this.result.mapping).length })}</div>` : nothing}
        <div class="row" style="align-items:flex-end">
          <div class="field">
            <label for="start">${t('org.draw.startAt')}</label>
            <input id="start" class="startAt" inputmode="numeric" .value=${this.startAt} aria-invalid=${startOk ? 'false' : 'true'} @input=${(e: Event) => (this.startAt = (e.target as HTMLInputElement).value)} />
          </div>
          <button class="primary" data-testid="draw" ?disabled=${this.busy || !startOk || eligible === 0} @click=${() => (this.confirming = true)}>
            ${drawn.length ? t('org.draw.redraw') : t('org.draw.draw')}
          </button>
          <span class="muted">${t('org.draw.eligible', { n: eligible })}</span>
        </div>
      </section>
      <section class="card" style="margin-top:16px">
        <h2>${t('org.draw.mapping')}</h2>
        ${!list
          ? html`<sc-loading></sc-loading>`
          : drawn.length === 0
            ? html`<p class="empty">${t('org.draw.notYet')}</p>`
            : html`<table data-testid="draw-table">
                <thead>
                  <tr>
                    <th>${t('org.entrants.number')}</th>
                    <th>${t('org.entrants.name')}</th>
                    <th>${t('org.entrants.delegation')}</th>
                    <th>${t('org.entrants.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${drawn.map(
                    (e) => html`<tr>
                      <td class="no">${e.drawnNumber}</td>
                      <td>${e.name}</td>
                      <td>${e.delegationName ?? e.employerName ?? '—'}</td>
                      <td><span class="chip st-${e.status}">${entryStatusLabel(e.status)}</span></td>
                    </tr>`,
                  )}
                </tbody>
              </table>`}
        ${undrawn.length ? html`<p class="muted">${t('org.draw.unnumbered', { n: undrawn.length, names: undrawn.map((e) => e.name).join('、') })}</p>` : nothing}
      </section>
      <sc-confirm
        .open=${this.confirming}
        heading=${drawn.length ? t('org.draw.redraw') : t('org.draw.draw')}
        message=${drawn.length ? t('org.draw.confirmRedraw', { n: eligible }) : t('org.draw.confirm', { n: eligible })}
        confirmLabel=${t('org.draw.draw')}
        @sc-confirm=${this.draw}
      ></sc-confirm>
    `;
  }
}
