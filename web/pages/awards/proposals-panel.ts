import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/awards.ts';
import '../../i18n/release-rules.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, levelText, query, staffStyles } from '../people/staff-ui.ts';
import { AwardsChangedEvent, type GenerateResult, type Proposal, type ScEvent } from './awards-types.ts';

type Status = '' | 'proposed' | 'approved' | 'rejected';

/**
 * Title proposals: generated from an event's released results by the active title rules, then
 * signed by both sides — the union (administrators, organisers) and the HR bureau (HR
 * officers) — or rejected with a reason. Lists the event's proposals, or all in scope (the HR
 * bureau, which runs no competitions, signs here).
 *
 * @property status - the status filter it opens with ('' all, 'proposed' waiting …); the list's own select changes it
 */
@customElement('sc-aw-proposals')
export class ProposalsPanel extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
        margin: 0;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: end;
      }
      .bar label {
        margin-top: 0;
      }
      .list {
        display: grid;
        gap: 0;
      }
      .proposal {
        display: grid;
        grid-template-columns: minmax(7em, 1fr) minmax(0, 3fr) auto;
        gap: 8px 16px;
        padding: 12px 0;
        border-bottom: 1px solid var(--sc-line);
        align-items: start;
      }
      .proposal:last-child {
        border-bottom: none;
      }
      .who a {
        font-weight: 600;
        display: inline-flex;
        min-height: 44px;
        align-items: center;
      }
      .what .title {
        font-weight: 600;
      }
      .reason {
        color: var(--sc-muted);
        font-size: 14px;
        margin-top: 4px;
        overflow-wrap: anywhere;
      }
      .signs {
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
        margin-top: 6px;
      }
      ul.changes {
        list-style: none;
        padding: 0;
        margin: 0 0 8px;
      }
      ul.changes li {
        padding: 6px 0;
        border-bottom: 1px solid var(--sc-line);
      }
      .acts {
        display: flex;
        flex-direction: column;
        gap: 6px;
        align-items: stretch;
        min-width: 9em;
      }
      .reject {
        grid-column: 1 / -1;
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      .reject input {
        flex: 1 1 240px;
      }
      @media (max-width: 800px) {
        .proposal {
          grid-template-columns: minmax(0, 1fr) auto;
        }
        .what {
          grid-column: 1 / -1;
          grid-row: 2;
        }
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  @property({ attribute: false }) event: ScEvent | null = null;
  @property() staffRole = '';
  @property({ type: Boolean }) canGenerate = false;
  @property({ type: Number }) revision = 0;

  @state() private proposals: Proposal[] | null = null;
  @property() status: Status = '';
  @state() private scope: 'event' | 'all' = 'event';
  @state() private generated: GenerateResult | null = null;
  @state() private rejecting = new Map<number, string>();
  @state() private error: unknown = null;
  @state() private notice = '';
  @state() private busy = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('event') || changed.has('revision') || changed.has('status')) void this.load();
  }

  /** Which side the caller signs for. */
  private get side(): 'union' | 'hr' | null {
    return this.staffRole === 'hr_officer' ? 'hr' : this.staffRole === 'admin' || this.staffRole === 'organiser' ? 'union' : null;
  }

  private async load() {
    try {
      const eventId = this.event && this.scope === 'event' ? this.event.id : null;
      this.proposals = await api<Proposal[]>('GET', `/api/proposals${query({ status: this.status, eventId })}`);
    } catch (err) {
      this.error = err;
    }
  }

  private async generate() {
    if (!this.event) return;
    this.busy = true;
    this.error = null;
    try {
      this.generated = await api<GenerateResult>('POST', `/api/events/${this.event.id}/proposals/generate`);
      await this.load();
      this.notice = t('aw.po.generated', { n: this.generated.created });
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private replace(p: Proposal) {
    this.proposals = (this.proposals ?? []).map((x) => (x.id === p.id ? p : x));
  }

  private async sign(p: Proposal) {
    this.error = null;
    try {
      const after = await api<Proposal>('POST', `/api/proposals/${p.id}/sign`);
      this.replace(after);
      this.notice = after.status === 'approved' ? t(`aw.po.approved.${after.kind}`) : t('aw.po.signed');
      this.dispatchEvent(new AwardsChangedEvent());
    } catch (err) {
      this.error = err;
    }
  }

  private async reject(p: Proposal) {
    const reason = (this.rejecting.get(p.id) ?? '').trim();
    if (reason.length < 2) return;
    this.error = null;
    try {
      this.replace(await api<Proposal>('POST', `/api/proposals/${p.id}/reject`, { reason }));
      const next = new Map(this.rejecting);
      next.delete(p.id);
      this.rejecting = next;
    } catch (err) {
      this.error = err;
    }
  }

  private setRejecting(id: number, text: string | null) {
    const next = new Map(this.rejecting);
    if (text === null) next.delete(id);
    else next.set(id, text);
    this.rejecting = next;
  }

  private what(p: Proposal) {
    if (p.kind === 'promotion') return t('aw.po.levelUp', { from: levelText(p.fromLevel), to: levelText(p.toLevel) });
    return p.titleName ?? '';
  }

  private renderProposal(p: Proposal) {
    const side = this.side;
    const mineSigned = side === 'hr' ? p.hrSigned : side === 'union' ? p.unionSigned : true;
    const statusCls = p.status === 'approved' ? 'ok' : p.status === 'rejected' ? 'bad' : 'warn';
    const rejectText = this.rejecting.get(p.id);
    return html`<div class="proposal" data-testid="proposal" data-id=${p.id}>
      <div class="who">
        <a href="/people/${p.personId}">${p.personName}</a>
        <div class="muted" style="font-size:14px">${p.eventName} · ${p.year}</div>
      </div>
      <div class="what">
        <span class="badge accent">${t(`aw.po.kind.${p.kind}`)}</span>
        <span class="title">${this.what(p)}</span>
        <div class="reason">${p.reason}</div>
        ${p.rejectReason
          ? html`<div class="reason error" data-testid="reject-reason">${p.rejectedBy ? t(`aw.po.rejectedBy.${p.rejectedBy}`) : t('aw.po.rejectReason')}：${p.rejectReason}</div>`
          : nothing}
        <div class="signs">
          <span class="badge ${p.unionSigned ? 'ok' : ''}">${p.unionSigned ? '✓' : '○'} ${t('aw.po.union')}</span>
          <span class="badge ${p.hrSigned ? 'ok' : ''}">${p.hrSigned ? '✓' : '○'} ${t('aw.po.hr')}</span>
          <span class="badge ${statusCls}" data-testid="proposal-status">${t(`aw.po.status.${p.status}`)}</span>
        </div>
      </div>
      <div class="acts">
        ${p.status === 'proposed' && side && !mineSigned
          ? html`<button class="primary" @click=${() => this.sign(p)} data-testid="sign">${side === 'hr' ? t('aw.po.signHr') : t('aw.po.signUnion')}</button>`
          : nothing}
        ${p.status === 'proposed' && side && rejectText === undefined
          ? html`<button @click=${() => this.setRejecting(p.id, '')}>${t('aw.po.reject')}</button>`
          : nothing}
      </div>
      ${rejectText !== undefined
        ? html`<div class="reject">
            <input aria-label=${t('aw.po.rejectReason')} placeholder=${t('aw.po.rejectReason')} .value=${rejectText} @input=${(e: InputEvent) => this.setRejecting(p.id, (e.target as HTMLInputElement).value)} />
            <button @click=${() => this.setRejecting(p.id, null)}>${t('ui.cancel')}</button>
            <button class="primary" ?disabled=${rejectText.trim().length < 2} @click=${() => this.reject(p)}>${t('aw.po.rejectSubmit')}</button>
          </div>`
        : nothing}
    </div>`;
  }

  /**
   * What the last run changed: added, updated and withdrawn proposals, and the signed ones it kept
   * although the rules now give something else (a signature is never discarded).
   */
  private renderChanges(g: GenerateResult) {
    if (g.changes.length === 0) return html`<p class="muted" data-testid="changes-none">${t('aw.changes.none', { n: g.unchanged })}</p>`;
    const levels = (c: { fromLevel: number | null; toLevel: number | null } | null) =>
      c && c.toLevel ? ` ${levelText(c.fromLevel)} → ${levelText(c.toLevel)}` : '';
    return html`<div data-testid="changes">
      <h3>${t('aw.changes.title')}</h3>
      <ul class="changes">
        ${g.changes.map(
          (c) => html`<li data-change=${c.change}>
            <span class="badge ${c.change === 'added' ? 'ok' : c.change === 'withdrawn' ? 'bad' : 'warn'}">${t(`aw.change.${c.change}`)}</span>
            <strong>${c.personName}</strong> ${c.titleName ?? t(`aw.po.kind.${c.kind}`)}${levels(c.after ?? c.before)}
            ${c.change === 'kept_signed' ? html`<div class="reason">${t('aw.change.keptNote')}</div>` : nothing}
          </li>`,
        )}
      </ul>
      ${g.unchanged ? html`<p class="muted">${t('aw.changes.unchanged', { n: g.unchanged })}</p>` : nothing}
    </div>`;
  }

  override render() {
    const list = this.proposals;
    const g = this.generated;
    return html`
      ${this.notice ? html`<div class="banner ok-banner" role="status" data-testid="proposal-notice">${this.notice}</div>` : nothing} ${errorBanner(this.error)}
      <div class="stack">
        ${this.event && this.canGenerate
          ? html`<section class="card">
              <p class="muted" style="margin-top:0">${t('aw.po.generateHint')}</p>
              <button class="primary" ?disabled=${this.busy || !this.event.releasedAt} @click=${this.generate} data-testid="generate">${t('aw.po.generate')}</button>
              ${g ? this.renderChanges(g) : nothing}
              ${g && g.skipped.length
                ? html`<details>
                    <summary>${t('aw.po.skipped', { n: g.skipped.length })}</summary>
                    <ul>
                      ${g.skipped.map((s) => html`<li>${s.reason}</li>`)}
                    </ul>
                  </details>`
                : nothing}
            </section>`
          : nothing}
        <section class="card">
          <div class="bar">
            <div>
              <label for="po-status">${t('aw.po.filter')}</label>
              <select
                id="po-status"
                @change=${(e: Event) => {
                  this.status = (e.target as HTMLSelectElement).value as Status;
                  void this.load();
                }}
              >
                ${(['', 'proposed', 'approved', 'rejected'] as const).map((s) => html`<option value=${s} ?selected=${this.status === s}>${s ? t(`aw.po.status.${s}`) : t('aw.po.all')}</option>`)}
              </select>
            </div>
            ${this.event
              ? html`<div>
                  <label for="po-scope">${t('aw.po.scope')}</label>
                  <select
                    id="po-scope"
                    @change=${(e: Event) => {
                      this.scope = (e.target as HTMLSelectElement).value as 'event' | 'all';
                      void this.load();
                    }}
                  >
                    <option value="event" ?selected=${this.scope === 'event'}>${t('aw.po.scope.event')}</option>
                    <option value="all" ?selected=${this.scope === 'all'}>${t('aw.po.scope.all')}</option>
                  </select>
                </div>`
              : nothing}
          </div>
          <p class="muted">${t('aw.po.signHint')}</p>
          ${!list
            ? html`<p class="muted">${t('app.loading')}</p>`
            : list.length === 0
              ? html`<p class="empty">${t('aw.po.none')}</p>`
              : html`<div class="list" data-testid="proposals">${list.map((p) => this.renderProposal(p))}</div>`}
        </section>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-aw-proposals': ProposalsPanel;
  }
}
