import { beijingMinute } from '../app/beijing-time.ts';
import { LitElement, css, html, nothing, render, unsafeCSS, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { JudgeSlip } from '../../server/contracts/judges.ts';
import { LocaleController, t } from '../app/i18n.ts';
import '../i18n/slips.ts';
import { sharedStyles } from '../styles/shared.ts';
import { publicOrigin } from '../app/public-origin.ts';

export type { JudgeSlip };

/** Slips on one printed A4 page: two columns of four. */
export const SLIPS_PER_PAGE = 8;


/** A QR code of `text` as a data URL; the library is its own chunk, loaded on first use. */
async function qrDataUrl(text: string): Promise<string> {
  const mod = (await import('qrcode')) as unknown as { default?: typeof import('qrcode'); toDataURL?: typeof import('qrcode').toDataURL };
  const toDataURL = mod.toDataURL ?? mod.default!.toDataURL;
  return toDataURL(text, { margin: 1, width: 240, errorCorrectionLevel: 'M' });
}

/** Fired when the user is done with the slips (the codes are then gone from the screen). */
export class SlipsClosedEvent extends Event {
  static readonly type = 'sc-slips-closed';
  constructor() {
    super(SlipsClosedEvent.type, { bubbles: true, composed: true });
  }
}

const PRINT_ROOT = 'sc-slips-print';

/** The slips' own look, shared by the screen preview (shadow DOM) and the printed copy (light DOM, scoped by a prefix). */
const SLIP_RULES: [string, string][] = [
  ['.sheet', 'display: grid; grid-template-columns: 1fr 1fr; gap: 0;'],
  [
    '.slip',
    `box-sizing: border-box; height: 69mm; border: 1px dashed #888; padding: 4mm 5mm; display: grid; grid-template-columns: 1fr 34mm;
     grid-template-rows: auto auto auto auto 1fr auto auto; column-gap: 4mm; color: #000; background: #fff; overflow: hidden;
     font-family: 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif;`,
  ],
  ['.slip .comp', 'grid-column: 1 / 3; font-size: 9pt; color: #444;'],
  ['.slip .who', 'font-size: 17pt; font-weight: 700; margin-top: 1mm;'],
  ['.slip .employer', 'font-size: 9pt; color: #444;'],
  ['.slip .events', 'font-size: 10pt; margin-top: 1mm;'],
  ['.slip .qr', 'grid-column: 2; grid-row: 2 / 7; width: 34mm; height: 34mm; align-self: center;'],
  ['.slip .code-label', 'font-size: 8pt; color: #444; margin-top: 2mm;'],
  ['.slip .code', "font: 700 20pt ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; letter-spacing: 0.12em;"],
  ['.slip .small', 'grid-column: 1 / 3; font-size: 8pt; color: #333; word-break: break-all;'],
];
const slipCss = (prefix = '') => SLIP_RULES.map(([selector, body]) => `${prefix}${selector} { ${body} }`).join('\n');

/**
 * `sc-judge-slips`: the judge codes just issued, as printable slips (QR code of the sign-in link,
 * the code, the judge's name, employer, events and roles, and the expiry in Beijing time), eight
 * to an A4 page. The codes exist only in the browser now (the server keeps hashes), so the page
 * says so and offers to print at once.
 *
 * Printing happens outside the app's shadow roots: the slips are also rendered into a light-DOM
 * root under <body>, hidden on screen; the print style hides everything else and sets A4 pages.
 *
 * @event sc-slips-closed - the user is done (SlipsClosedEvent)
 */
@customElement('sc-judge-slips')
export class JudgeSlips extends LitElement {
  static override styles = [
    sharedStyles,
    unsafeCSS(slipCss()),
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        margin-bottom: 8px;
      }
      .bar h2 {
        margin: 0;
        font-size: 20px;
        flex: 1;
      }
      .once {
        border: 1px solid #f5c28b;
        background: #fff8ef;
        border-radius: 10px;
        padding: 10px 12px;
        margin: 0 0 12px;
      }
      .paper {
        overflow-x: auto;
        background: #e9ecf0;
        padding: 12px;
        border-radius: 10px;
      }
      /* On screen an A4 page shrinks to the tablet's width; the printed copy is exact A4. */
      .page {
        width: 100%;
        max-width: 210mm;
        box-sizing: border-box;
        padding: 4mm;
        margin: 0 auto 12px;
        background: #fff;
        box-shadow: 0 1px 6px rgb(0 0 0 / 15%);
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  /** The slips to show, in print order. */
  @property({ attribute: false }) slips: JudgeSlip[] = [];
  /** The competition's name, printed on every slip. */
  @property() competitionName = '';
  @property() heading = '';
  /** Whether to offer "done" (a page that shows the slips on their own). */
  @property({ type: Boolean }) closable = false;
  @state() private qr = new Map<string, string>();
  /** Where the QR codes and printed links point (PUBLIC_URL, else this page's address). */
  @state() private origin = location.origin;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.getElementById(PRINT_ROOT)?.remove();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('slips')) void this.makeQrCodes();
  }

  override updated(): void {
    this.syncPrintRoot();
  }

  private async makeQrCodes() {
    const origin = await publicOrigin();
    const next = new Map(origin === this.origin ? this.qr : []);
    for (const s of this.slips) if (!next.has(s.code)) next.set(s.code, await qrDataUrl(`${origin}${s.link}`));
    this.origin = origin;
    this.qr = next;
  }

  private slip(s: JudgeSlip): TemplateResult {
    const qr = this.qr.get(s.code);
    return html`<div class="slip" data-testid="judge-slip-${s.judgeId}">
      <div class="comp">${this.competitionName}</div>
      <div class="who" data-testid="slip-name">${s.name}</div>
      <div class="employer">${s.employerName ?? ''}</div>
      <div class="events" data-testid="slip-events">${s.events.map((e) => `${e.eventName} · ${t(`slips.role.${e.role}`)}`).join('；')}</div>
      ${qr ? html`<img class="qr" src=${qr} alt=${t('slips.qrAlt', { name: s.name })} data-testid="slip-qr" />` : html`<span class="qr"></span>`}
      <div class="code-label">${t('slips.code')}</div>
      <div class="code" data-testid="slip-code">${s.code}</div>
      <div class="small" data-testid="slip-expiry">${t('slips.expires', { time: s.expiresAtBeijing || beijingMinute(s.expiresAt) })}</div>
      <div class="small">${t('slips.scan')} · ${this.origin}${s.link}</div>
    </div>`;
  }

  private pages(): JudgeSlip[][] {
    const out: JudgeSlip[][] = [];
    for (let i = 0; i < this.slips.length; i += SLIPS_PER_PAGE) out.push(this.slips.slice(i, i + SLIPS_PER_PAGE));
    return out;
  }

  /** The printed copy: one block per A4 page, under <body>, shown only when printing. */
  private syncPrintRoot(): void {
    if (!document.getElementById(`${PRINT_ROOT}-style`)) {
      const style = document.createElement('style');
      style.id = `${PRINT_ROOT}-style`;
      style.textContent = `
        #${PRINT_ROOT} { display: none; }
        @media print {
          @page { size: A4 portrait; margin: 10mm; }
          body > :not(#${PRINT_ROOT}) { display: none !important; }
          body { background: #fff; margin: 0; }
          #${PRINT_ROOT} { display: block; }
          #${PRINT_ROOT} .page { break-after: page; }
          #${PRINT_ROOT} .page:last-child { break-after: auto; }
          #${PRINT_ROOT} .slip { break-inside: avoid; }
          ${slipCss(`#${PRINT_ROOT} `)}
        }`;
      document.head.append(style);
    }
    let root = document.getElementById(PRINT_ROOT);
    if (this.slips.length === 0) {
      root?.remove();
      return;
    }
    if (!root) {
      root = document.createElement('div');
      root.id = PRINT_ROOT;
      document.body.append(root);
    }
    render(html`${this.pages().map((page) => html`<div class="page"><div class="sheet">${page.map((s) => this.slip(s))}</div></div>`)}`, root);
  }

  override render() {
    return html`
      <div class="bar">
        <h2>${this.heading || t('slips.title')}</h2>
        <span class="muted">${t('slips.count', { n: this.slips.length })}</span>
        <button class="primary" ?disabled=${this.slips.length === 0} data-testid="print-slips" @click=${() => window.print()}>${t('slips.print')}</button>
        ${this.closable ? html`<button data-testid="close-slips" @click=${() => this.dispatchEvent(new SlipsClosedEvent())}>${t('slips.back')}</button>` : nothing}
      </div>
      ${this.slips.length === 0
        ? html`<p class="muted">${t('slips.none')}</p>`
        : html`<p class="once" role="note">${t('slips.once')}</p>
            <div class="paper" data-testid="slips">
              ${this.pages().map((page) => html`<div class="page"><div class="sheet">${page.map((s) => this.slip(s))}</div></div>`)}
            </div>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-judge-slips': JudgeSlips;
  }
}
