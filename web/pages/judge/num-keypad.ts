import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/judge.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { borderBox } from './judge-styles.ts';
import { formatValue, type EntryKey } from './values.ts';

/** A key of the on-screen keypad: an entry key, or confirm. */
export type KeypadKey = EntryKey | 'enter';

/** Fired (bubbling, composed) for each key pressed on the keypad. */
export class KeypadKeyEvent extends Event {
  static readonly type = 'keypad-key';
  constructor(readonly key: KeypadKey) {
    super(KeypadKeyEvent.type, { bubbles: true, composed: true });
  }
}

type KeyDef = { key: KeypadKey; label: string; aria?: string; cls?: string };

/**
 * `sc-num-keypad`: a numeric keypad sized for thumbs: 0–9, the decimal point, ⌫, −step and
 * +step, clear and confirm.
 *
 * The keys never take focus (they are touch affordances; the physical keyboard works on the
 * value field), so the field keeps focus and the judge's typing and tapping can be mixed.
 *
 * @event keypad-key - KeypadKeyEvent with the key pressed
 * @cssproperty --keypad-key-height - height of a key when the keypad is not sized by its container (default 64px)
 */
@customElement('sc-num-keypad')
export class NumKeypad extends LitElement {
  static override styles = [
    sharedStyles,
    borderBox,
    css`
      :host {
        display: block;
        height: calc(4 * var(--keypad-key-height, 64px) + 24px);
      }
      /* Rows share the keypad's height, so a container that sizes the keypad sizes the keys. */
      .grid {
        display: grid;
        height: 100%;
        grid-template-columns: repeat(4, minmax(0, 1fr));
        grid-template-rows: repeat(4, minmax(48px, 1fr));
        gap: 8px;
      }
      button {
        min-height: 48px;
        padding: 0;
        font-size: 26px;
        font-variant-numeric: tabular-nums;
        border-radius: 10px;
        user-select: none;
        -webkit-user-select: none;
      }
      button:active:not(:disabled) {
        background: #e8ecf2;
      }
      .fn {
        font-size: 20px;
        background: #eef1f5;
      }
      .enter {
        background: var(--sc-focus);
        border-color: var(--sc-focus);
        color: #fff;
        font-size: 20px;
      }
      .enter:active:not(:disabled) {
        background: #2358c4;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  /** The criterion's step, shown on the −step / +step keys. */
  @property({ type: Number }) step = 0.5;
  @property({ type: Boolean }) disabled = false;
  /**
   * The criterion takes grades below zero (−5 … +5): a ± key takes the place of the decimal point
   * (whole-number steps have no use for it) or else of clear.
   */
  @property({ type: Boolean }) negative = false;

  private keys(): KeyDef[] {
    const s = formatValue(this.step);
    const sign: KeyDef = { key: 'minus', label: '±', aria: t('judge.key.minus'), cls: 'fn' };
    const whole = Number.isInteger(this.step);
    return [
      { key: '7', label: '7' },
      { key: '8', label: '8' },
      { key: '9', label: '9' },
      { key: 'backspace', label: '⌫', aria: t('judge.key.backspace'), cls: 'fn' },
      { key: '4', label: '4' },
      { key: '5', label: '5' },
      { key: '6', label: '6' },
      { key: 'down', label: `−${s}`, aria: t('judge.key.down', { step: s }), cls: 'fn' },
      { key: '1', label: '1' },
      { key: '2', label: '2' },
      { key: '3', label: '3' },
      { key: 'up', label: `+${s}`, aria: t('judge.key.up', { step: s }), cls: 'fn' },
      this.negative && whole ? sign : { key: '.', label: '.', aria: t('judge.key.point') },
      { key: '0', label: '0' },
      this.negative && !whole ? sign : { key: 'clear', label: t('judge.key.clear'), cls: 'fn' },
      { key: 'enter', label: t('judge.key.enter'), cls: 'enter' },
    ];
  }

  override render() {
    return html`<div class="grid" role="group" aria-label=${t('judge.keypad')}>
      ${this.keys().map(
        (k) =>
          html`<button
            type="button"
            tabindex="-1"
            class=${k.cls ?? ''}
            data-key=${k.key}
            aria-label=${k.aria ?? k.label}
            ?disabled=${this.disabled}
            @pointerdown=${(e: PointerEvent) => e.preventDefault()}
            @click=${() => this.dispatchEvent(new KeypadKeyEvent(k.key))}
          >
            ${k.label}
          </button>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-num-keypad': NumKeypad;
  }
}
