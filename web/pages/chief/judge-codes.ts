import { LitElement, css, html, nothing } from 'lit';
import '../../i18n/print.ts';
import { customElement, property, state } from 'lit/decorators.js';
import type { EventJudge, IssuedCodes, JudgeCode } from '../../../server/contracts/judges.ts';
import { api } from '../../api/client.ts';
import '../../components/judge-slips.ts';
import { beijingMinute } from '../../app/beijing-time.ts';
import type { JudgeSlip } from '../../components/judge-slips.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { chiefStyles, ChiefChangedEvent, errorText, whenDay } from './chief-shared.ts';

/** A code issued in this visit, as a printable slip: the server keeps only a hash, so the page keeps these. */
export type IssuedCode = JudgeSlip;

/** Fired with the codes issued so far (the page keeps them while the chief moves between sections). */
export class CodesIssuedEvent extends Event {
  static readonly type = 'sc-chief-codes-issued';
  constructor(readonly issued: IssuedCode[]) {
    super(CodesIssuedEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * Judge codes: issue (a new code ends the old one and the judge's sessions) and revoke, one at a
 * time or the whole panel at once, with printable A4 slips (QR code of the sign-in link, code,
 * name, events and expiry in Beijing time) for every code issued here. Codes are shown only when
 * issued: the server keeps only their hashes. A judge who sits on several events has one code
 * for all of them.
 *
 * @event sc-chief-changed - a code was issued or revoked
 * @event sc-chief-codes-issued - the list of codes issued in this visit changed (CodesIssuedEvent)
 */
@customElement('sc-chief-codes')
export class ChiefCodes extends LitElement {
  static override styles = [
    sharedStyles,
    chiefStyles,
    css`
      td.actions {
        text-align: right;
      }
      .confirm {
        display: inline-flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
        justify-content: flex-end;
      }
      .others {
        font-size: 12px;
        color: var(--sc-muted);
      }
      sc-judge-slips {
        margin-top: 16px;
      }
      @media (max-width: 800px) {
        td.employer,
        th.employer {
          display: none;
        }
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  @property({ type: Number }) selfId = 0;
  @property() eventName = '';
  @property() competitionName = '';
  @property({ attribute: false }) judges: EventJudge[] = [];
  @property({ attribute: false }) issued: IssuedCode[] = [];
  @state() private busy: number | 'all' | null = null;
  @state() private confirming: { judgeId: number | 'all'; action: 'issue' | 'revoke' } | null = null;
  @state() private error = '';

  /** Merges newly issued slips into the list, in panel order, so printed slips follow the panel list. */
  private addSlips(slips: IssuedCode[]) {
    const order = new Map(this.judges.map((j, i) => [j.id, i]));
    const fresh = new Set(slips.map((s) => s.judgeId));
    const list = [...this.issued.filter((c) => !fresh.has(c.judgeId)), ...slips].sort((a, b) => (order.get(a.judgeId) ?? 0) - (order.get(b.judgeId) ?? 0));
    this.issued = list;
    this.dispatchEvent(new CodesIssuedEvent(list));
    void this.updateComplete.then(() => this.renderRoot.querySelector('sc-judge-slips')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  }

  private async issue(judge: EventJudge) {
    this.confirming = null;
    this.busy = judge.id;
    this.error = '';
    try {
      const code = await api<JudgeCode>('POST', `/api/judges/${judge.id}/code`);
      this.addSlips([
        {
          judgeId: judge.id,
          name: judge.name,
          employerName: judge.employerName,
          events: judge.events,
          code: code.code,
          link: code.link,
          expiresAt: code.expiresAt,
          expiresAtBeijing: beijingMinute(code.expiresAt),
        },
      ]);
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      this.error = `${judge.name}：${errorText(err)}`;
    } finally {
      this.busy = null;
    }
  }

  /** Issues the panel's codes in one request: those without one, or (after confirming) everyone's. */
  private async issueAll(onlyMissing: boolean) {
    this.confirming = null;
    this.busy = 'all';
    this.error = '';
    try {
      const res = await api<IssuedCodes>('POST', `/api/events/${this.eventId}/judge-codes`, { onlyMissing });
      this.addSlips(res.slips);
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = null;
    }
  }

  private async revoke(judge: EventJudge) {
    this.confirming = null;
    this.busy = judge.id;
    this.error = '';
    try {
      await api('DELETE', `/api/judges/${judge.id}/code`);
      this.issued = this.issued.filter((c) => c.judgeId !== judge.id);
      this.dispatchEvent(new CodesIssuedEvent(this.issued));
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      this.error = `${judge.name}：${errorText(err)}`;
    } finally {
      this.busy = null;
    }
  }

  private renderActions(j: EventJudge) {
    if (j.id === this.selfId) return html`<span class="muted">${t('chief.codes.self')}</span>`;
    const c = this.confirming;
    if (c?.judgeId === j.id)
      return html`<span class="confirm">
        <span>${c.action === 'revoke' ? t('chief.codes.confirmRevoke') : t('chief.codes.confirmReissue')}</span>
        <button class=${c.action === 'revoke' ? 'danger' : 'primary'} data-testid="confirm-${c.action}-${j.id}" @click=${() => (c.action === 'revoke' ? this.revoke(j) : this.issue(j))}>
          ${t('chief.confirm')}
        </button>
        <button @click=${() => (this.confirming = null)}>${t('chief.cancel')}</button>
      </span>`;
    return html`<span class="row-actions" style="justify-content:flex-end">
      <button
        class=${j.hasCode ? '' : 'primary'}
        data-testid="issue-${j.id}"
        ?disabled=${this.busy !== null}
        @click=${() => (j.hasCode ? (this.confirming = { judgeId: j.id, action: 'issue' }) : this.issue(j))}
      >
        ${j.hasCode ? t('chief.codes.reissue') : t('chief.codes.issue')}
      </button>
      ${j.hasCode
        ? html`<button class="danger" data-testid="revoke-${j.id}" ?disabled=${this.busy !== null} @click=${() => (this.confirming = { judgeId: j.id, action: 'revoke' })}>
            ${t('chief.codes.revoke')}
          </button>`
        : nothing}
    </span>`;
  }

  override render() {
    const others = this.judges.filter((j) => j.id !== this.selfId);
    const missing = others.filter((j) => !j.hasCode).length;
    return html`
      <div class="toolbar">
        <h2 class="grow" style="margin:0">${t('chief.codes.title')}</h2>
        ${missing > 0
          ? html`<button class="primary" ?disabled=${this.busy !== null} data-testid="issue-missing" @click=${() => this.issueAll(true)}>
              ${t('chief.codes.issueMissing', { n: missing })}
            </button>`
          : nothing}
        ${this.confirming?.judgeId === 'all'
          ? html`<span class="confirm">
              <span>${t('chief.codes.confirmAll', { n: others.length })}</span>
              <button class="primary" data-testid="confirm-issue-all" @click=${() => this.issueAll(false)}>${t('chief.confirm')}</button>
              <button @click=${() => (this.confirming = null)}>${t('chief.cancel')}</button>
            </span>`
          : html`<button ?disabled=${this.busy !== null || others.length === 0} data-testid="issue-all" @click=${() => (this.confirming = { judgeId: 'all', action: 'issue' })}>
              ${t('chief.codes.issueAll', { n: others.length })}
            </button>`}
      </div>
      <p class="muted">${t('chief.codes.hint')}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="card" style="padding:0">
        <table>
          <thead>
            <tr>
              <th>${t('chief.codes.name')}</th>
              <th>${t('chief.codes.role')}</th>
              <th class="employer">${t('chief.codes.employer')}</th>
              <th>${t('chief.codes.status')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${this.judges.map(
              (j) => html`<tr data-testid="judge-row-${j.id}">
                <td>
                  ${j.name}
                  ${j.events.length > 1
                    ? html`<div class="others">${t('chief.codes.alsoOn', { events: j.events.filter((e) => e.eventId !== this.eventId).map((e) => e.eventName).join('、') })}</div>`
                    : nothing}
                </td>
                <td>
                  ${t(`chief.role.${j.role}`)}
                  ${j.role === 'judge' || j.role === 'chief'
                    ? html`<div><a href="/print/event/${this.eventId}?judge=${j.id}" target="_blank" data-testid="print-judge-${j.id}">${t('print.links.judge')}</a></div>
                        <div><a href="/print/event/${this.eventId}/sheets?judge=${j.id}" target="_blank" data-testid="print-sheets-${j.id}">${t('print.links.judgeSheets')}</a></div>`
                    : nothing}
                </td>
                <td class="employer">${j.employerName ?? '—'}</td>
                <td>
                  ${j.hasCode
                    ? html`<span class="pill ok">${t('chief.codes.live')}</span><br /><span class="muted" style="font-size:12px">${t('chief.codes.expires', { time: whenDay(j.codeExpiresAt) })}</span>`
                    : html`<span class="pill">${t('chief.codes.noCode')}</span>`}
                </td>
                <td class="actions">${this.renderActions(j)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this.issued.length
        ? html`<sc-judge-slips .slips=${this.issued} .competitionName=${this.competitionName} .heading=${t('chief.codes.issuedTitle')}></sc-judge-slips>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-chief-codes': ChiefCodes;
  }
}
