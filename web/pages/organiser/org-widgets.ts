import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';

/** Fired by `sc-tag-input` with the whole new list. */
export class TagsChangedEvent extends Event {
  static readonly type = 'sc-tags-changed';
  constructor(readonly tags: string[]) {
    super(TagsChangedEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * A list of names typed one at a time (主办 / 承办 bodies): Enter or the add button adds one,
 * each chip has a remove button.
 *
 * @event sc-tags-changed - TagsChangedEvent with the new list
 */
@customElement('sc-tag-input')
export class TagInput extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      * {
        box-sizing: border-box;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin-bottom: 6px;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 2px;
        background: #eef1f5;
        border-radius: 8px;
        padding-left: 12px;
        max-width: 100%;
      }
      .chip span {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .chip button {
        border: none;
        background: transparent;
        font-size: 20px;
        padding: 0 12px;
      }
      .add {
        display: flex;
        gap: 8px;
      }
      .add input {
        flex: 1;
        min-width: 0;
      }
      :host([invalid]) input {
        border-color: var(--sc-danger);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Array }) tags: string[] = [];
  /** Accessible name of the text box. */
  @property() label = '';
  @property() placeholder = '';
  @property({ type: Boolean, reflect: true }) invalid = false;
  @query('input') private input!: HTMLInputElement;

  private add() {
    const value = this.input.value.trim();
    if (!value) return;
    if (!this.tags.includes(value)) this.dispatchEvent(new TagsChangedEvent([...this.tags, value]));
    this.input.value = '';
    this.input.focus();
  }

  private removeTag(i: number) {
    this.dispatchEvent(new TagsChangedEvent(this.tags.filter((_, j) => j !== i)));
  }

  /** Text typed but not yet added is added when the form is saved. */
  commitPending(): string[] {
    const value = this.input?.value.trim();
    if (value && !this.tags.includes(value)) {
      this.input.value = '';
      return [...this.tags, value];
    }
    return this.tags;
  }

  override render() {
    return html`
      ${this.tags.length
        ? html`<div class="chips">
            ${this.tags.map(
              (tag, i) =>
                html`<span class="chip"><span>${tag}</span
                  ><button type="button" aria-label=${t('org.tags.remove', { name: tag })} @click=${() => this.removeTag(i)}>×</button></span>`,
            )}
          </div>`
        : nothing}
      <div class="add">
        <input
          aria-label=${this.label}
          placeholder=${this.placeholder}
          aria-invalid=${this.invalid ? 'true' : 'false'}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              this.add();
            }
          }}
        />
        <button type="button" @click=${this.add}>${t('org.tags.add')}</button>
      </div>
    `;
  }
}

// The confirm dialog is shared by every area: web/components/confirm-dialog.ts.
export { ConfirmDialog, ConfirmEvent } from '../../components/confirm-dialog.ts';

/**
 * A progress bar with a label (role=progressbar, so its value is announced).
 */
@customElement('sc-progress')
export class ProgressBar extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .track {
      height: 14px;
      border-radius: 7px;
      background: #e4e8ee;
      overflow: hidden;
    }
    .bar {
      height: 100%;
      background: var(--sc-focus);
      transition: width 0.2s ease-out;
    }
    :host([done]) .bar {
      background: var(--sc-ok);
    }
    .label {
      display: flex;
      justify-content: space-between;
      font-size: 14px;
      color: var(--sc-muted);
      margin-bottom: 4px;
      font-variant-numeric: tabular-nums;
    }
  `;
  @property({ type: Number }) value = 0;
  @property() label = '';
  @property({ type: Boolean, reflect: true }) done = false;

  override render() {
    const pct = Math.max(0, Math.min(100, Math.round(this.value)));
    return html`<div class="label"><span>${this.label}</span><span data-testid="progress-value">${pct} %</span></div>
      <div class="track" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct} aria-label=${this.label}>
        <div class="bar" style="width:${pct}%"></div>
      </div>`;
  }
}

@customElement('sc-loading')
export class Loading extends LitElement {
  private readonly locale = new LocaleController(this);
  @state() private show = false;
  private timer = 0;
  override connectedCallback(): void {
    super.connectedCallback();
    // Only after a moment: a fast answer should not flash a spinner.
    this.timer = window.setTimeout(() => (this.show = true), 200);
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }
  override render() {
    return this.show ? html`<p style="color:var(--sc-muted);padding:16px 0" aria-live="polite">${t('app.loading')}</p>` : nothing;
  }
}
