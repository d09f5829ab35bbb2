import { LitElement, css, html, nothing, render, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { JudgeCode } from '../../../server/contracts/judges.ts';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { chiefStyles, ChiefChangedEvent, errorText, whenDay, type Judge } from './chief-shared.ts';

/** A code issued in this visit, with its sign-in link and QR code: the server keeps only a hash, so the page keeps these. */
export type IssuedCode = JudgeCode & { judgeId: number; name: string; role: Judge['role']; url: string; qr: string };

/** Fired with the codes issued so far (the page keeps them while the chief moves between sections). */
export class CodesIssuedEvent extends Event {
  static readonly type = 'sc-chief-codes-issued';
  constructor(readonly issued: IssuedCode[]) {
    super(CodesIssuedEvent.type, { bubbles: true, composed: true });
  }
}

/** Where a panel member signs in: scorers have their own page. */
function signInUrl(role: Judge['role'], code: string): string {
  const page = role === 'scorer' ? '/scorer' : role === 'chief' ? '/chief' : '/judge';
  return `${location.origin}${page}?code=${encodeURIComponent(code)}`;
}

/** A QR code of `text` as a data URL; the library is its own chunk, loaded on first use. */
async function qrDataUrl(text: string): Promise<string> {
  const mod = (await import('qrcode')) as unknown as { default?: typeof import('qrcode'); toDataURL?: typeof import('qrcode').toDataURL };
  const toDataURL = mod.toDataURL ?? mod.default!.toDataURL;
  return toDataURL(text, { margin: 1, width: 240, errorCorrectionLevel: 'M' });
}

const PRINT_ROOT = 'sc-print-root';

/**
 * Printing happens outside the app's shadow roots: the cards are rendered into a light-DOM root
 * under <body>, hidden on screen; the print style hides everything else, one card per judge.
 */
function syncPrintRoot(cards: TemplateResult | null): void {
  if (!document.getElementById('sc-print-style')) {
    const style = document.createElement('style');
    style.id = 'sc-print-style';
    style.textContent = `
      #${PRINT_ROOT} { display: none; }
      @media print {
        body > :not(#${PRINT_ROOT}) { display: none !important; }
        body { background: #fff; }
        #${PRINT_ROOT} { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; font-family: var(--sc-font); color: #000; }
        #${PRINT_ROOT} .card { break-inside: avoid; border: 1px dashed #666; border-radius: 4mm; padding: 6mm; text-align: center; }
        #${PRINT_ROOT} .event { font-size: 11pt; color: #333; }
        #${PRINT_ROOT} .who { font-size: 16pt; font-weight: 700; margin: 2mm 0; }
        #${PRINT_ROOT} .code { font: 700 22pt ui-monospace, monospace; letter-spacing: 0.15em; margin: 2mm 0; }
        #${PRINT_ROOT} img { width: 45mm; height: 45mm; }
        #${PRINT_ROOT} .small { font-size: 8pt; color: #333; word-break: break-all; }
      }`;
    document.head.append(style);
  }
  let root = document.getElementById(PRINT_ROOT);
  if (!cards) {
    root?.remove();
    return;
  }
  if (!root) {
    root = document.createElement('div');
    root.id = PRINT_ROOT;
    document.body.append(root);
  }
  render(cards, root);
}

/**
 * Judge codes: issue (a new code ends the old one and the judge's sessions) and revoke, with a
 * QR code of the sign-in link for each code issued here, to show on screen or print as cards.
 * Codes are shown only when issued: the server keeps only their hashes.
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
      .cards {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
        gap: 12px;
      }
      .code-card {
        text-align: center;
      }
      .code-card .who {
        font-size: 18px;
        font-weight: 600;
      }
      .code-card .code {
        font: 700 28px ui-monospace, 'SFMono-Regular', Menlo, monospace;
        letter-spacing: 0.12em;
        margin: 6px 0;
      }
      .code-card img {
        width: 180px;
        height: 180px;
        image-rendering: pixelated;
      }
      .code-card .small {
        font-size: 12px;
        color: var(--sc-muted);
        word-break: break-all;
      }
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
  @property({ attribute: false }) judges: Judge[] = [];
  @property({ attribute: false }) issued: IssuedCode[] = [];
  @state() private busy: number | null = null;
  @state() private confirming: { judgeId: number; action: 'issue' | 'revoke' } | null = null;
  @state() private error = '';

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    syncPrintRoot(null);
  }

  override updated(): void {
    syncPrintRoot(
      this.issued.length
        ? html`${this.issued.map(
            (c) => html`<div class="card">
              <div class="event">${this.eventName}</div>
              <div class="who">${c.name} · ${t(`chief.role.${c.role}`)}</div>
              <img src=${c.qr} alt="" />
              <div class="code">${c.code}</div>
              <div class="small">${c.url}</div>
              <div class="small">${t('chief.codes.expires', { time: whenDay(c.expiresAt) })}</div>
            </div>`,
          )}`
        : null,
    );
  }

  private setIssued(list: IssuedCode[]) {
    this.issued = list;
    this.dispatchEvent(new CodesIssuedEvent(list));
  }

  private async issue(judge: Judge) {
    this.confirming = null;
    this.busy = judge.id;
    this.error = '';
    try {
      const code = await api<JudgeCode>('POST', `/api/judges/${judge.id}/code`);
      const url = signInUrl(judge.role, code.code);
      const qr = await qrDataUrl(url);
      // In panel order, so printed cards come out in the order of the panel list.
      const order = new Map(this.judges.map((j, i) => [j.id, i]));
      this.setIssued(
        [...this.issued.filter((c) => c.judgeId !== judge.id), { ...code, judgeId: judge.id, name: judge.name, role: judge.role, url, qr }].sort(
          (a, b) => (order.get(a.judgeId) ?? 0) - (order.get(b.judgeId) ?? 0),
        ),
      );
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      this.error = `${judge.name}：${errorText(err)}`;
    } finally {
      this.busy = null;
    }
  }

  private async revoke(judge: Judge) {
    this.confirming = null;
    this.busy = judge.id;
    this.error = '';
    try {
      await api('DELETE', `/api/judges/${judge.id}/code`);
      this.setIssued(this.issued.filter((c) => c.judgeId !== judge.id));
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      this.error = `${judge.name}：${errorText(err)}`;
    } finally {
      this.busy = null;
    }
  }

  private async issueMissing() {
    for (const j of this.judges.filter((x) => !x.hasCode && x.id !== this.selfId)) await this.issue(j);
  }

  private renderActions(j: Judge) {
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
    const missing = this.judges.filter((j) => !j.hasCode && j.id !== this.selfId).length;
    return html`
      <div class="toolbar">
        <h2 class="grow" style="margin:0">${t('chief.codes.title')}</h2>
        ${missing > 0 ? html`<button ?disabled=${this.busy !== null} @click=${this.issueMissing}>${t('chief.codes.issueMissing', { n: missing })}</button>` : nothing}
        <button class="primary" ?disabled=${this.issued.length === 0} @click=${() => window.print()} data-testid="print-codes">${t('chief.codes.print')}</button>
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
                <td>${j.name}</td>
                <td>${t(`chief.role.${j.role}`)}</td>
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
        ? html`<h3>${t('chief.codes.issuedTitle')}</h3>
            <p class="muted">${t('chief.codes.issuedHint')}</p>
            <div class="cards">
              ${this.issued.map(
                (c) => html`<div class="card code-card" data-testid="code-card-${c.judgeId}">
                  <div class="who">${c.name}</div>
                  <div class="muted">${t(`chief.role.${c.role}`)}</div>
                  <img src=${c.qr} alt=${t('chief.codes.qrAlt', { name: c.name })} data-testid="qr-${c.judgeId}" />
                  <div class="code" data-testid="code-${c.judgeId}">${c.code}</div>
                  <div class="small">${c.url}</div>
                  <div class="small">${t('chief.codes.expires', { time: whenDay(c.expiresAt) })}</div>
                </div>`,
              )}
            </div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-chief-codes': ChiefCodes;
  }
}
