import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';

export type CheckOption = { id: number; label: string; hint?: string };

/** Fired by `sc-check-list` when the ticked set changes. */
export class CheckListChangedEvent extends Event {
  static readonly type = 'sc-check-changed';
  constructor(readonly selected: number[]) {
    super(CheckListChangedEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * A list of options to tick, each a finger-sized row (44 px), e.g. the bodies co-organising a
 * competition or its encryption officers.
 *
 * @event sc-check-changed - CheckListChangedEvent with the ticked ids, in the options' order
 * @cssproperty --sc-check-columns - how many columns (default: as many as fit 260 px)
 */
@customElement('sc-check-list')
export class CheckList extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: var(--sc-check-columns, repeat(auto-fill, minmax(260px, 1fr)));
      gap: 4px 16px;
    }
    label {
      display: flex;
      align-items: center;
      gap: 10px;
      min-height: 44px;
      cursor: pointer;
    }
    input {
      width: 22px;
      height: 22px;
      flex: none;
      margin: 0;
    }
    .hint {
      color: var(--sc-muted, #5b6472);
      font-size: 13px;
    }
    .empty {
      color: var(--sc-muted, #5b6472);
      margin: 8px 0;
    }
  `;
  @property({ attribute: false }) options: CheckOption[] = [];
  @property({ attribute: false }) selected: number[] = [];
  /** Shown when there is nothing to choose from. */
  @property() empty = '';
  /** The accessible name of the group. */
  @property() label = '';

  private toggle(id: number, on: boolean) {
    const set = new Set(this.selected);
    if (on) set.add(id);
    else set.delete(id);
    this.selected = this.options.map((o) => o.id).filter((x) => set.has(x));
    this.dispatchEvent(new CheckListChangedEvent(this.selected));
  }

  override render() {
    if (this.options.length === 0) return this.empty ? html`<p class="empty">${this.empty}</p>` : nothing;
    return html`<ul role="group" aria-label=${this.label}>
      ${this.options.map(
        (o) => html`<li>
          <label>
            <input type="checkbox" value=${o.id} .checked=${this.selected.includes(o.id)} @change=${(e: Event) => this.toggle(o.id, (e.target as HTMLInputElement).checked)} />
            <span>${o.label}${o.hint ? html` <span class="hint">${o.hint}</span>` : nothing}</span>
          </label>
        </li>`,
      )}
    </ul>`;
  }
}
