import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { sharedStyles } from '../styles/shared.ts';

const PRINT_STYLE_ID = 'sc-certificate-print';

/**
 * A printable certificate on A4 landscape (an award certificate, a craftsman's title certificate):
 * the heading, the usual wording 兹授予 <name> … <honour>。, a closing line, the issuing bodies each
 * with a seal area, the date, the certificate number and a QR code that opens the public record of
 * it, so anyone holding the paper can check it. A print button above it; on paper only the sheet.
 *
 * Properties: `heading`; the wording in parts `lead`, `name`, `middle`, `honour`, `end`; `closing`;
 * `issuers` (names, one seal area each); `date`; `notes` (small lines under the date); `number`
 * (the printed number line); `verifyUrl` (what the QR code opens) and `verifyText`; `printLabel`.
 * No events.
 */
@customElement('sc-certificate-sheet')
export class CertificateSheet extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
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
      /* A name or a prize ("一等奖") never breaks across lines; the sentence wraps around them. */
      .wording .name,
      .wording .prize {
        white-space: nowrap;
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
  @property() heading = '';
  @property() lead = '';
  @property() name = '';
  @property() middle = '';
  @property() honour = '';
  @property() end = '';
  @property() closing = '';
  @property({ attribute: false }) issuers: string[] = [];
  @property() date = '';
  @property({ attribute: false }) notes: string[] = [];
  @property() number = '';
  @property() verifyUrl = '';
  @property() verifyText = '';
  @property() printLabel = '';
  @state() private qr = '';

  override connectedCallback(): void {
    super.connectedCallback();
    // @page cannot be set from inside a shadow root.
    if (!document.getElementById(PRINT_STYLE_ID)) {
      const style = document.createElement('style');
      style.id = PRINT_STYLE_ID;
      style.textContent = '@page { size: A4 landscape; margin: 0; } @media print { body { background: #fff; } }';
      document.head.append(style);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.getElementById(PRINT_STYLE_ID)?.remove();
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('verifyUrl') && this.verifyUrl) void this.drawQr(this.verifyUrl);
  }

  private async drawQr(url: string) {
    // The QR library is loaded only where a certificate is shown.
    const { default: QRCode } = await import('qrcode');
    this.qr = await QRCode.toString(url, { type: 'svg', margin: 1 });
  }

  override render() {
    return html`
      <div class="actions"><button class="primary" @click=${() => window.print()}>${this.printLabel}</button></div>
      <article class="sheet" data-testid="certificate">
        <h1>${this.heading}</h1>
        <p class="wording">
          ${this.lead}<span class="name" data-testid="winner">${this.name}</span>${this.middle}<span class="prize">${this.honour}</span>${this.end}
        </p>
        <p class="closing">${this.closing}</p>
        <div class="footer">
          <div class="qr">
            ${unsafeHTML(this.qr)}
            <div class="number" data-testid="certificate-number">${this.number}</div>
            <div>${this.verifyText}</div>
          </div>
          <div>
            <div class="bodies" data-testid="issuers">${this.issuers.map((o) => html`<div class="seal">${o}</div>`)}</div>
            <div class="date">${this.date}</div>
            ${this.notes.map((n) => html`<div class="date">${n}</div>`)}
          </div>
        </div>
      </article>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-certificate-sheet': CertificateSheet;
  }
}
