import { beijingDateZh } from '../../app/beijing-time.ts';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
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
  releasedAt: string;
};

const PRINT_STYLE_ID = 'sc-award-print';

/**
 * A printable award certificate (获奖证书): one A4 page, the winner's name in Chinese, and a QR
 * code that opens the public results, so anyone can check the certificate.
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
        max-width: 210mm;
        margin: 0 auto 12px;
        display: flex;
        justify-content: flex-end;
      }
      .sheet {
        width: min(100%, 210mm);
        aspect-ratio: 210 / 297;
        margin: 0 auto;
        background: #fffdf7;
        border: 10px double #b8860b;
        box-sizing: border-box;
        padding: 9% 9% 6%;
        display: flex;
        flex-direction: column;
        align-items: center;
        text-align: center;
        font-family: 'Noto Serif CJK SC', 'Songti SC', 'SimSun', serif;
        color: #3a2a10;
      }
      h1 {
        font-size: clamp(28px, 7vw, 64px);
        letter-spacing: 0.3em;
        margin: 0 0 8%;
        color: #a3121f;
      }
      .name {
        font-size: clamp(24px, 5.5vw, 48px);
        font-weight: 700;
        border-bottom: 2px solid #3a2a10;
        padding: 0 1em 4px;
        margin-bottom: 5%;
      }
      .body {
        font-size: clamp(16px, 3vw, 26px);
        line-height: 1.8;
        text-wrap: balance;
      }
      .prize {
        font-size: clamp(30px, 7vw, 60px);
        font-weight: 700;
        color: #a3121f;
        margin: 5% 0;
      }
      .footer {
        margin-top: auto;
        width: 100%;
        display: flex;
        justify-content: space-between;
        align-items: flex-end;
        font-size: clamp(12px, 2.2vw, 20px);
      }
      .qr svg {
        width: clamp(72px, 16vw, 130px);
        height: auto;
        display: block;
      }
      .qr small {
        display: block;
        font-size: 12px;
      }
      @media print {
        :host {
          padding: 0;
        }
        .actions {
          display: none;
        }
        .sheet {
          width: 210mm;
          height: 297mm;
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
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    // @page cannot be set from inside a shadow root.
    if (!document.getElementById(PRINT_STYLE_ID)) {
      const style = document.createElement('style');
      style.id = PRINT_STYLE_ID;
      style.textContent = '@page { size: A4; margin: 0; } @media print { body { background: #fff; } }';
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
      this.qr = await QRCode.toString(`${location.origin}/results/${this.award.competitionId}`, { type: 'svg', margin: 1 });
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  override render() {
    if (this.error) return html`<p class="error">${t('app.error', { message: this.error })}</p>`;
    const a = this.award;
    if (!a) return html`<p class="muted">${t('app.loading')}</p>`;
    const date = beijingDateZh(a.releasedAt);
    return html`
      <div class="actions"><button class="primary" @click=${() => window.print()}>${t('award.print')}</button></div>
      <article class="sheet" data-testid="certificate">
        <h1>${t('award.title')}</h1>
        <div class="name">${a.name ?? a.delegation}</div>
        <div class="body">${a.delegation && a.name ? html`${a.delegation}<br />` : ''}${t('award.body', { competition: a.competitionName, event: a.eventName })}</div>
        <div class="prize">${a.label}</div>
        <div class="footer">
          <div class="qr">${unsafeHTML(this.qr)}<small>${t('award.verify')}</small></div>
          <div>${a.organisers.map((o) => html`<div>${o}</div>`)}<div>${date}</div></div>
        </div>
      </article>
    `;
  }
}
