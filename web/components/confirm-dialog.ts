import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { LocaleController, t } from '../app/i18n.ts';
import '../i18n/common.ts';
import { sharedStyles } from '../styles/shared.ts';

/** Fired by `sc-confirm` when the user answers. */
export class ConfirmEvent extends Event {
  static readonly type = 'sc-confirm';
  constructor(readonly confirmed: boolean) {
    super(ConfirmEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * A modal question with confirm and cancel (native <dialog>: focus is trapped, Esc cancels).
 *
 * @property open - shows the dialog while true
 * @property heading - the question, as the dialog's title
 * @property message - one line of explanation
 * @property warnings - things the user should know before confirming, shown highlighted (e.g. sheets not yet sent)
 * @property confirmLabel - the confirm button's text (default 确定)
 * @event sc-confirm - ConfirmEvent, `confirmed` true for the confirm button
 */
@customElement('sc-confirm')
export class ConfirmDialog extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        border: none;
        border-radius: 12px;
        padding: 24px;
        max-width: min(480px, calc(100vw - 32px));
        box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
      }
      dialog::backdrop {
        background: rgba(15, 22, 35, 0.45);
      }
      h2 {
        margin: 0 0 8px;
        font-size: 20px;
      }
      p {
        margin: 0 0 20px;
        line-height: 1.5;
      }
      ul.warnings {
        margin: 0 0 20px;
        padding: 10px 14px 10px 30px;
        border-radius: 8px;
        background: #fff4e5;
        color: #8a4b00;
        line-height: 1.5;
      }
      .row {
        display: flex;
        gap: 12px;
        justify-content: flex-end;
        flex-wrap: wrap;
      }
      .row button {
        min-height: 48px;
        min-width: 96px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Boolean }) open = false;
  @property() heading = '';
  @property() message = '';
  @property({ attribute: false }) warnings: string[] = [];
  @property() confirmLabel = '';
  @query('dialog') private dialog!: HTMLDialogElement;

  override updated(): void {
    if (this.open && !this.dialog.open) this.dialog.showModal();
    if (!this.open && this.dialog.open) this.dialog.close();
  }

  private answer(confirmed: boolean) {
    this.dialog.close();
    this.dispatchEvent(new ConfirmEvent(confirmed));
  }

  override render() {
    return html`<dialog
      aria-labelledby="h"
      @cancel=${(e: Event) => {
        e.preventDefault();
        this.answer(false);
      }}
    >
      <h2 id="h">${this.heading}</h2>
      ${this.message ? html`<p>${this.message}</p>` : nothing}
      ${this.warnings.length ? html`<ul class="warnings" data-testid="confirm-warnings">${this.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
      <div class="row">
        <button type="button" data-testid="cancel" @click=${() => this.answer(false)}>${t('app.cancel')}</button>
        <button type="button" class="primary" data-testid="confirm" @click=${() => this.answer(true)}>${this.confirmLabel || t('app.confirm')}</button>
      </div>
    </dialog>`;
  }
}
