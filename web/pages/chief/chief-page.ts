import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';

/** Placeholder until this area is built. */
@customElement('sc-chief-page')
export class ChiefPage extends LitElement {
  override render() {
    return html`<p>…</p>`;
  }
}
