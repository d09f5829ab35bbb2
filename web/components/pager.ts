import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LocaleController, t } from '../app/i18n.ts';
import '../i18n/common.ts';
import { sharedStyles } from '../styles/shared.ts';

/** Fired when the user asks for another page of a list: `page` is 1-based. */
export class PageChosenEvent extends Event {
  static readonly type = 'sc-page';
  constructor(readonly page: number) {
    super(PageChosenEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * `<sc-pager>`: where a paged list says where it is (第 2 / 5 页，共 230 条) and moves on, with
 * finger-sized 上一页 / 下一页 buttons.
 *
 * Properties:
 * - `page` (1-based), `pageSize`, `total`: the list as the API pages it (`Page<T>`).
 * - `hideSingle`: render nothing while everything fits on one page.
 *
 * Events: `sc-page` (PageChosenEvent) with the page asked for; the host loads it and sets `page`.
 */
@customElement('sc-pager')
export class Pager extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        gap: 8px;
        align-items: center;
        justify-content: flex-end;
        flex-wrap: wrap;
        margin-top: 12px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Number }) page = 1;
  @property({ type: Number }) pageSize = 50;
  @property({ type: Number }) total = 0;
  @property({ type: Boolean }) hideSingle = false;

  private go(page: number) {
    this.dispatchEvent(new PageChosenEvent(page));
  }

  override render() {
    const pages = Math.max(1, Math.ceil(this.total / Math.max(1, this.pageSize)));
    if (this.hideSingle && pages <= 1) return nothing;
    return html`<span class="muted" data-testid="page-of">${t('app.pager.of', { page: this.page, pages, total: this.total })}</span>
      <button ?disabled=${this.page <= 1} @click=${() => this.go(this.page - 1)} data-testid="page-prev">${t('app.pager.prev')}</button>
      <button ?disabled=${this.page >= pages} @click=${() => this.go(this.page + 1)} data-testid="page-next">${t('app.pager.next')}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-pager': Pager;
  }
}
