import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { api } from '../../api/client.ts';
import { beijingDateZh } from '../../app/beijing-time.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { errorBanner } from '../../components/error-banner.ts';
import '../../i18n/results.ts';
import { sharedStyles } from '../../styles/shared.ts';

type Award = {
  prizeId: number;
  label: string;
  rank: number | null;
  name: string | null;
  delegation: string | null;
  eventName: string;
  competitionId: number;
  competitionName: string;
  organisers: string[];
  hosts: string[];
  releasedAt: string;
  certificateNumber: string;
};

const PRINT_STYLE_ID = 'sc-award-print';

/**
 * A printable award certificate (获奖证书), A4 landscape: the usual wording (兹授予…特发此证), the
 * issuing bodies each with a seal area, the date, the certificate number and a QR code that
 * opens the public results at this certificate, so anyone holding the paper can check it.
 */
@customElement('sc-award-page')
export class AwardPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        padding: 16px;
      }
      .actions {
        max-width: 297mm;
        margin: 0 auto 12px;
        display: flex;
        justify-content: flex-end;
      }
      /* Landscape A4 (297 × 210 mm); on screen it keeps the proportions at any width. */
      .sheet {
        width: min(100%, 297mm);
        aspect-ratio: 297 / 210;
        margin: 0 auto;
        background: #fffdf7;
        border: 10px double #b8860b;
        box-sizing: border-box;
        padding: 5% 7% 4%;
        display: flex;
        flex-direction: column;
        font-family: 'Noto Serif CJK SC', 'Songti SC', 'SimSun', serif;
        color: #3a2a10;
        container-type: inline-size;
        overflow: hidden;
      }
      h1 {
        text-align: center;
        font-size: 6cqw;
        letter-spacing: 0.4em;
        margin: 0 0 3cqw;
        color: #a3121f;
      }
      .wording {
        font-size: 2.6cqw;
        line-height: 2;
        text-indent: 2em;
        margin: 0;
      }
      .wording .name {
        font-weight: 700;
        font-size: 3.4cqw;
        border-bottom: 2px solid #3a2a10;
        padding: 0 0.4em;
      }
      .wording .prize {
        font-weight: 700;
        color: #a3121f;
      }
      .closing {
        font-size: 2.6cqw;
        text-indent: 2em;
        margin: 0;
      }
      .footer {
        margin-top: auto;
        display: flex;
        justify-content: space-between;
        align-items: flex-end;
        gap: 2cqw;
      }
      .qr {
        font-size: 1.2cqw;
      }
      .qr svg {
        width: 11cqw;
        height: auto;
        display: block;
      }
      .number {
        font-family: var(--sc-font);
        letter-spacing: 0.05em;
      }
      .bodies {
        display: flex;
        gap: 3cqw;
        align-items: flex-end;
        text-align: center;
        font-size: 1.9cqw;
      }
      /* Where each issuing body's seal goes: a dashed circle the printed name sits in. */
      .seal {
        width: 15cqw;
        height: 15cqw;
        border: 1px dashed #c9a96b;
        border-radius: 50%;
        display: flex;
        align-items: center;
        justify-content: center;
        padding: 1cqw;
        box-sizing: border-box;
      }
      .date {
        margin-top: 1cqw;
        font-size: 1.9cqw;
        text-align: right;
      }
      @media print {
        :host {
          padding: 0;
        }
        .actions {
          display: none;
        }
        .sheet {
          width: 297mm;
          height: 210mm;
          aspect-ratio: auto;
          border-width: 12px;
        }
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property() path = location.pathname;
  @state() private award: Award | null = null;
  @state() private qr = '';
  @state() private error: unknown = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // @page cannot be set from inside a shadow root.
    if (!document.getElementById(PRINT_STYLE_ID)) {
      const style = document.createElement('style');
      style.id = PRINT_STYLE_ID;
      style.textContent = '@page { size: A4 landscape; margin: 0; } @media print { body { background: #fff; } }';
      document.head.append(style);
    }
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.getElementById(PRINT_STYLE_ID)?.remove();
  }

  private async load() {
    const id = /^\/award\/(\d+)$/.exec(this.path)?.[1];
    try {
      this.award = await api<Award>('GET', `/api/public/prizes/${id}`);
      const { default: QRCode } = await import('qrcode');
      const url = `${location.origin}/results/${this.award.competitionId}?certificate=${encodeURIComponent(this.award.certificateNumber)}`;
      this.qr = await QRCode.toString(url, { type: 'svg', margin: 1 });
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const a = this.award;
    if (!a) return html`<p class="muted">${t('app.loading')}</p>`;
    const who = a.name ? (a.delegation ? `${a.delegation} ${a.name}` : a.name) : (a.delegation ?? '');
    return html`
      <div class="actions"><button class="primary" @click=${() => window.print()}>${t('award.print')}</button></div>
      <article class="sheet" data-testid="certificate">
        <h1>${t('award.title')}</h1>
        <p class="wording">
          ${t('award.grant')}<span class="name" data-testid="winner">${who}</span>${t('award.in', { competition: a.competitionName, event: a.eventName })}<span
            class="prize"
            >${a.label}</span
          >${t('award.end')}
        </p>
        <p class="closing">${t('award.closing')}</p>
        <div class="footer">
          <div class="qr">
            ${unsafeHTML(this.qr)}
            <div class="number" data-testid="certificate-number">${t('award.number', { number: a.certificateNumber })}</div>
            <div>${t('award.verify')}</div>
          </div>
          <div>
            <div class="bodies" data-testid="issuers">${a.organisers.map((o) => html`<div class="seal">${o}</div>`)}</div>
            <div class="date">${beijingDateZh(a.releasedAt)}</div>
            ${a.hosts.length ? html`<div class="date">${t('award.hosts', { hosts: a.hosts.join('、') })}</div>` : nothing}
          </div>
        </div>
      </article>
    `;
  }
}
