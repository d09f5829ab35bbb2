import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LocaleController, t } from '../app/i18n.ts';
import '../i18n/search-select.ts';
import { sharedStyles } from '../styles/shared.ts';

/** One choice of `sc-search-select`. */
export type SearchOption = {
  value: number | string;
  /** What is chosen: a person's name. */
  label: string;
  /** Said after it, and searched too: their organisation and role. */
  detail?: string;
  /** Shown but not choosable (already on the panel, already chosen). */
  disabled?: boolean;
  /** Why it is disabled, after the detail. */
  note?: string;
};

/** Fired by `sc-search-select` when an option is chosen (`value`) or the choice is cleared (`null`). */
export class PickEvent extends Event {
  static readonly type = 'sc-pick';
  constructor(readonly value: number | string | null) {
    super(PickEvent.type, { bubbles: true, composed: true });
  }
}

/** How many matches are listed at once; typing more narrows the rest. */
const SHOWN = 50;

/** Lower case, without spaces: 合肥 市 and 合肥市 match alike. */
const fold = (s: string) => s.toLowerCase().replace(/\s+/g, '');

/**
 * `<sc-search-select>`: a select to type into, for long lists (accounts by name and organisation).
 * Typing filters the options: every word typed must appear in an option's label or detail. A
 * finger-sized list opens under the input (arrow keys, Enter and Esc work too); the chosen option
 * shows in the input with a button to clear it. An ARIA combobox with a listbox.
 *
 * It keeps no value of its own: the owner sets `value` from the `sc-pick` event.
 *
 * @property options - the choices (SearchOption[])
 * @property value - the chosen option's value, or null
 * @property label - the field's label (it is inside this element, so it labels the input)
 * @property placeholder - the input's hint (default: type a name or organisation)
 * @property error - a problem shown under the input (the input is then marked invalid)
 * @property disabled - nothing can be chosen
 * @event sc-pick - PickEvent: `value` the option chosen, or null when the choice is cleared or typed over
 */
@customElement('sc-search-select')
export class SearchSelect extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      .wrap {
        position: relative;
      }
      .box {
        display: flex;
        gap: 6px;
        align-items: stretch;
      }
      input {
        flex: 1 1 auto;
        min-width: 0;
        width: 100%;
      }
      .clear {
        flex: 0 0 auto;
        padding: 0 12px;
        font-size: 20px;
        line-height: 1;
      }
      ul {
        position: absolute;
        z-index: 30;
        left: 0;
        right: 0;
        top: calc(100% + 4px);
        margin: 0;
        padding: 4px 0;
        list-style: none;
        max-height: min(320px, 50vh);
        overflow-y: auto;
        background: #fff;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
        box-shadow: 0 8px 24px rgba(0, 0, 0, 0.16);
      }
      li {
        min-height: 44px;
        padding: 6px 12px;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 2px 10px;
        cursor: pointer;
        line-height: 1.35;
      }
      li[aria-selected='true'] {
        background: #eaf1fb;
      }
      li[aria-disabled='true'] {
        color: var(--sc-muted);
        cursor: default;
      }
      li .label {
        font-weight: 600;
      }
      li .detail {
        color: var(--sc-muted);
        font-size: 14px;
      }
      li[aria-disabled='true'] .label {
        font-weight: 400;
      }
      li.info {
        color: var(--sc-muted);
        font-size: 14px;
        cursor: default;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) options: SearchOption[] = [];
  @property({ attribute: false }) value: number | string | null = null;
  @property() label = '';
  @property() placeholder = '';
  @property() error = '';
  @property({ type: Boolean }) disabled = false;

  @state() private query = '';
  /** The user is typing a search (the input shows the query, not the chosen option). */
  @state() private editing = false;
  @state() private open = false;
  @state() private active = -1;

  private get chosen(): SearchOption | undefined {
    return this.value === null ? undefined : this.options.find((o) => o.value === this.value);
  }

  private text(o: SearchOption): string {
    return o.detail ? `${o.label} · ${o.detail}` : o.label;
  }

  private filtered(): SearchOption[] {
    const words = this.editing ? this.query.split(/\s+/).map(fold).filter(Boolean) : [];
    if (!words.length) return this.options;
    return this.options.filter((o) => {
      const hay = fold(`${o.label} ${o.detail ?? ''}`);
      return words.every((w) => hay.includes(w));
    });
  }

  private pick(o: SearchOption | null) {
    if (o?.disabled) return;
    this.editing = false;
    this.query = '';
    this.open = false;
    this.active = -1;
    this.dispatchEvent(new PickEvent(o ? o.value : null));
  }

  private onInput(e: InputEvent) {
    this.query = (e.target as HTMLInputElement).value;
    this.editing = true;
    this.open = true;
    this.active = -1;
    if (this.value !== null) this.dispatchEvent(new PickEvent(null));
  }

  private onKey(e: KeyboardEvent) {
    const shown = this.filtered().slice(0, SHOWN);
    const step = (from: number, by: number) => {
      for (let i = from + by; i >= 0 && i < shown.length; i += by) if (!shown[i]!.disabled) return i;
      return from;
    };
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      this.open = true;
      this.active = step(this.active, 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      this.active = step(this.active, -1);
    } else if (e.key === 'Enter') {
      // Enter chooses, never submits the form around it while the list is open.
      if (this.open) e.preventDefault();
      const only = shown.filter((o) => !o.disabled);
      const o = shown[this.active] ?? (only.length === 1 ? only[0] : undefined);
      if (this.open && o) this.pick(o);
    } else if (e.key === 'Escape' && this.open) {
      e.preventDefault();
      e.stopPropagation();
      this.open = false;
    }
  }

  private onFocusOut(e: FocusEvent) {
    if (e.relatedTarget instanceof Node && this.shadowRoot?.contains(e.relatedTarget)) return;
    this.open = false;
    this.editing = false;
  }

  override render() {
    const chosen = this.chosen;
    const shown = this.open ? this.filtered() : [];
    const listed = shown.slice(0, SHOWN);
    const display = this.editing || !chosen ? this.query : this.text(chosen);
    return html`<div class="wrap" @focusout=${this.onFocusOut}>
      ${this.label ? html`<label for="q">${this.label}</label>` : nothing}
      <div class="box">
        <input
          id="q"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-controls="list"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-activedescendant=${this.active >= 0 ? `o${this.active}` : nothing}
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? 'err' : nothing}
          placeholder=${this.placeholder || t('pick.placeholder')}
          .value=${display}
          ?disabled=${this.disabled}
          @input=${this.onInput}
          @keydown=${this.onKey}
          @focus=${() => (this.open = true)}
          @click=${() => (this.open = true)}
        />
        ${chosen && !this.disabled
          ? html`<button type="button" class="clear" aria-label=${t('pick.clear')} title=${t('pick.clear')} data-testid="pick-clear" @click=${() => this.pick(null)}>×</button>`
          : nothing}
      </div>
      ${this.open
        ? html`<ul id="list" role="listbox" aria-label=${this.label || nothing}>
            ${listed.map(
              (o, i) => html`<li
                id="o${i}"
                role="option"
                aria-selected=${i === this.active || o.value === this.value ? 'true' : 'false'}
                aria-disabled=${o.disabled ? 'true' : 'false'}
                data-testid="pick-option"
                data-value=${String(o.value)}
                @mousedown=${(e: Event) => e.preventDefault()}
                @click=${() => this.pick(o)}
              >
                <span class="label">${o.label}</span>${o.detail || o.note ? html`<span class="detail">${[o.detail, o.note].filter(Boolean).join(' · ')}</span>` : nothing}
              </li>`,
            )}
            ${shown.length === 0 ? html`<li class="info" role="presentation">${t('pick.none')}</li>` : nothing}
            ${shown.length > SHOWN ? html`<li class="info" role="presentation">${t('pick.more', { n: shown.length - SHOWN })}</li>` : nothing}
          </ul>`
        : nothing}
      ${this.error ? html`<div class="field-error" id="err" role="alert">${this.error}</div>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-search-select': SearchSelect;
  }
}
