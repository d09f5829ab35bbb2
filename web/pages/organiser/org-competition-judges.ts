import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { IssuedCodes, Judge } from '../../../server/contracts/judges.ts';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../components/judge-slips.ts';
import { beijingMinute } from '../../app/beijing-time.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, orgStyles, type Competition } from './org-shared.ts';
import type { ConfirmEvent } from './org-widgets.ts';

/**
 * A competition's judges (/org/competitions/:id/judges): every judge once, with the events they
 * sit on and their role in each, and their codes issued all at once as printable A4 slips.
 */
@customElement('sc-org-competition-judges')
export class OrgCompetitionJudges extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 12px;
      }
      .toolbar h1 {
        margin: 0;
        flex: 1 1 280px;
        font-size: 22px;
      }
      .sub {
        font-size: 13px;
        color: var(--sc-muted);
      }
      ul.events {
        margin: 0;
        padding: 0;
        list-style: none;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) competition!: Competition;
  @property({ type: Boolean }) canManage = false;
  @state() private judges: Judge[] | null = null;
  @state() private error: unknown = null;
  @state() private busy = false;
  @state() private confirm: { onlyMissing: boolean } | null = null;
  @state() private slips: IssuedCodes | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.judges = await api<Judge[]>('GET', `/api/competitions/${this.competition.id}/judges`);
    } catch (err) {
      this.error = err;
    }
  }

  private async onConfirm(e: ConfirmEvent) {
    const c = this.confirm;
    this.confirm = null;
    if (!e.confirmed || !c) return;
    this.busy = true;
    this.error = null;
    try {
      this.slips = await api<IssuedCodes>('POST', `/api/competitions/${this.competition.id}/judge-codes`, { onlyMissing: c.onlyMissing });
      await this.load();
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const c = this.competition;
    if (this.slips)
      return html`<section class="card">
        <sc-judge-slips
          closable
          .slips=${this.slips.slips}
          .competitionName=${this.slips.competitionName}
          .heading=${t('org.compJudges.slips', { name: c.name })}
          @sc-slips-closed=${() => (this.slips = null)}
        ></sc-judge-slips>
      </section>`;
    const judges = this.judges ?? [];
    const missing = judges.filter((j) => !j.hasCode).length;
    const n = this.confirm?.onlyMissing ? missing : judges.length;
    return html`
      <div class="toolbar">
        <h1>${t('org.compJudges.title', { name: c.name })}</h1>
        ${this.canManage && judges.length > 0
          ? html`${missing > 0 && missing < judges.length
                ? html`<button ?disabled=${this.busy} data-testid="bulk-missing" @click=${() => (this.confirm = { onlyMissing: true })}>${t('org.compJudges.bulkMissing', { n: missing })}</button>`
                : nothing}
              <button class="primary" ?disabled=${this.busy} data-testid="bulk-codes" @click=${() => (this.confirm = { onlyMissing: false })}>${t('org.compJudges.bulk')}</button>`
          : nothing}
      </div>
      <p class="muted">${t('org.compJudges.intro')}</p>
      ${errorBanner(this.error)}
      <section class="card">
        ${!this.judges
          ? html`<sc-loading></sc-loading>`
          : judges.length === 0
            ? html`<p class="empty">${t('org.judges.none')}</p>`
            : html`<table data-testid="competition-judges">
                <thead>
                  <tr>
                    <th>${t('org.judges.name')}</th>
                    <th>${t('org.compJudges.events')}</th>
                    <th>${t('org.judges.code')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${judges.map(
                    (j) => html`<tr data-judge=${j.id}>
                      <td>${j.name}<div class="sub">${j.employerName ?? t('org.judges.noEmployer')}</div></td>
                      <td>
                        <ul class="events">
                          ${j.events.map(
                            (e) => html`<li><a href="/org/competitions/${c.id}/events/${e.eventId}/judges">${e.eventName}</a> · ${t(`org.judges.role.${e.role}`)}</li>`,
                          )}
                        </ul>
                      </td>
                      <td>
                        ${j.hasCode
                          ? html`<span class="chip st-running">${t('org.judges.hasCode')}</span>
                              ${j.codeExpiresAt ? html`<div class="sub">${t('org.judges.until', { date: beijingMinute(j.codeExpiresAt) })}</div>` : nothing}`
                          : html`<span class="chip">${t('org.judges.noCode')}</span>`}
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>`}
      </section>
      <sc-confirm
        .open=${this.confirm !== null}
        heading=${t('org.compJudges.bulk')}
        message=${this.confirm?.onlyMissing ? t('org.compJudges.bulkMissingConfirm', { n }) : t('org.compJudges.bulkConfirm', { n })}
        confirmLabel=${t('org.judges.bulkGo')}
        @sc-confirm=${this.onConfirm}
      ></sc-confirm>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-org-competition-judges': OrgCompetitionJudges;
  }
}
