import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/common.ts';
import '../../i18n/selections.ts';
import { sharedStyles } from '../../styles/shared.ts';

/** Fired by `sc-sel-reason` when the user answers: `reason` is the trimmed text, or null for cancel. */
export class ReasonEvent extends Event {
  static readonly type = 'sc-reason';
  constructor(readonly reason: string | null) {
    super(ReasonEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * `<sc-sel-reason>`: a confirmation that asks for the reason (withdrawing a candidate, revoking a
 * title). A modal <dialog> like `sc-confirm` (focus trapped, Esc cancels) with a text field. A
 * reason shorter than `minLength` is refused on the spot; the owner sends the reason and, when
 * the server refuses, sets `error` while the dialog stays open with the text as typed. The owner
 * closes it (open = false) once the action is done.
 *
 * @property open - shows the dialog while true
 * @property heading - the question, as the dialog's title
 * @property message - one line of explanation (what the action does)
 * @property label - the reason field's label
 * @property confirmLabel - the confirm button's text
 * @property minLength - the shortest reason taken (default 2, as the API asks)
 * @property busy - the action is under way: the buttons wait
 * @property error - a refusal to show under the field (the owner's; cleared when the text changes)
 * @event sc-reason - ReasonEvent with the reason on confirm, null on cancel
 */
@customElement('sc-sel-reason')
export class ReasonDialog extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        border: none;
        border-radius: 12px;
        padding: 24px;
        width: min(520px, calc(100vw - 32px));
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
        margin: 0 0 8px;
        line-height: 1.5;
      }
      textarea {
        width: 100%;
        box-sizing: border-box;
        min-height: 96px;
        padding: 8px 12px;
        line-height: 1.5;
        resize: vertical;
      }
      textarea[aria-invalid='true'] {
        border-color: var(--sc-danger);
        box-shadow: 0 0 0 1px var(--sc-danger);
      }
      .row {
        justify-content: flex-end;
        gap: 12px;
        margin-top: 20px;
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
  @property() label = '';
  @property() confirmLabel = '';
  @property({ type: Number }) minLength = 2;
  @property({ type: Boolean }) busy = false;
  @property() error = '';
  @state() private text = '';
  @state() private tooShort = false;
  @query('dialog') private dialog!: HTMLDialogElement;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('open') && this.open) {
      // A fresh question each time it opens.
      this.text = '';
      this.tooShort = false;
    }
    if (this.open && !this.dialog.open) this.dialog.showModal();
    if (!this.open && this.dialog.open) this.dialog.close();
  }

  private confirm() {
    const reason = this.text.trim();
    if (reason.length < this.minLength) {
      this.tooShort = true;
      return;
    }
    this.dispatchEvent(new ReasonEvent(reason));
  }

  private cancel() {
    if (this.busy) return;
    this.dispatchEvent(new ReasonEvent(null));
  }

  override render() {
    const err = this.tooShort ? t('sel.reason.tooShort', { n: this.minLength }) : this.error;
    return html`<dialog
      aria-labelledby="h"
      @cancel=${(e: Event) => {
        e.preventDefault();
        this.cancel();
      }}
    >
      <h2 id="h">${this.heading}</h2>
      ${this.message ? html`<p>${this.message}</p>` : nothing}
      <label for="reason">${this.label || t('sel.reason.label')}</label>
      <textarea
        id="reason"
        .value=${this.text}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${err ? 'err-reason' : nothing}
        data-testid="reason-text"
        @input=${(e: InputEvent) => {
          this.text = (e.target as HTMLTextAreaElement).value;
          this.tooShort = false;
          this.error = '';
        }}
      ></textarea>
      ${err ? html`<div class="field-error" id="err-reason" role="alert" data-testid="reason-error">${err}</div>` : nothing}
      <div class="row">
        <button type="button" ?disabled=${this.busy} data-testid="cancel" @click=${this.cancel}>${t('app.cancel')}</button>
        <button type="button" class="primary" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'} data-testid="confirm" @click=${this.confirm}>
          ${this.confirmLabel || t('app.confirm')}
        </button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-sel-reason': ReasonDialog;
  }
}
