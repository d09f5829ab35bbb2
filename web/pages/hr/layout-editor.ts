import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/hr.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { PROVINCIAL_LAYOUT, type ExportColumnKey, type ExportLayout } from '../../../server/contracts/certificates.ts';
import { errorBanner, fieldErrorsOf, staffStyles } from '../people/staff-ui.ts';

const ALL_KEYS = PROVINCIAL_LAYOUT.columns.map((c) => c.key);
const MAX_COLUMNS = 30;

/**
 * The HR export's column layout: reorder, rename headers, add and remove columns, reset to the
 * provincial template, save. Read-only unless `editable`.
 */
@customElement('sc-hr-layout')
export class LayoutEditor extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
        margin: 0;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: 2.5em minmax(6em, 10em) minmax(0, 1fr) auto;
        line-height: 1.2;
        gap: 8px;
        align-items: center;
        padding: 6px 0;
        border-bottom: 1px solid var(--sc-line);
      }
      li input {
        width: 100%;
      }
      .n {
        color: var(--sc-muted);
        font-variant-numeric: tabular-nums;
        text-align: right;
      }
      .key {
        font-size: 14px;
        color: var(--sc-muted);
        overflow-wrap: anywhere;
      }
      .n {
        font-size: 14px;
      }
      .moves {
        display: flex;
        gap: 4px;
      }
      .moves button {
        padding: 0 10px;
      }
      .add {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: center;
        margin-top: 12px;
      }
      .add select {
        min-width: 12em;
      }
      @media (max-width: 800px) {
        li {
          grid-template-columns: 2em minmax(0, 1fr) auto;
        }
        .key {
          display: none;
        }
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  @property({ type: Boolean }) editable = false;
  @state() private columns: ExportLayout['columns'] = [];
  @state() private saved: string = '';
  @state() private adding: ExportColumnKey | '' = '';
  @state() private error: unknown = null;
  @state() private errors: Record<string, string> = {};
  @state() private message = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const layout = await api<ExportLayout>('GET', '/api/certificates/export-layout');
      this.columns = layout.columns;
      this.saved = JSON.stringify(layout.columns);
    } catch (err) {
      this.error = err;
    }
  }

  private get dirty(): boolean {
    return JSON.stringify(this.columns) !== this.saved;
  }

  private update_(next: ExportLayout['columns']) {
    this.columns = next;
    this.message = '';
  }

  private move(i: number, by: number) {
    const next = [...this.columns];
    const [col] = next.splice(i, 1);
    next.splice(i + by, 0, col!);
    this.update_(next);
  }

  private rename(i: number, header: string) {
    this.update_(this.columns.map((c, j) => (j === i ? { ...c, header } : c)));
  }

  private add() {
    if (!this.adding) return;
    this.update_([...this.columns, { key: this.adding, header: t(`hr.key.${this.adding}`) }]);
    this.adding = '';
  }

  private async save() {
    this.error = null;
    this.errors = {};
    const blank = this.columns.findIndex((c) => !c.header.trim());
    if (blank >= 0) {
      this.errors = { [`columns.${blank}.header`]: t('hr.lay.headerRequired') };
      return;
    }
    try {
      const layout = await api<ExportLayout>('PUT', '/api/certificates/export-layout', { columns: this.columns.map((c) => ({ ...c, header: c.header.trim() })) });
      this.columns = layout.columns;
      this.saved = JSON.stringify(layout.columns);
      this.message = t('hr.lay.saved');
      this.dispatchEvent(new Event('sc-layout-saved', { bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
      this.errors = fieldErrorsOf(err);
    }
  }

  override render() {
    const unused = ALL_KEYS.filter((k) => !this.columns.some((c) => c.key === k));
    const last = this.columns.length - 1;
    const ro = !this.editable;
    return html`<section class="card" data-testid="layout-editor">
      <h2>${t('hr.lay.title')}</h2>
      <p class="muted">${t('hr.lay.hint')}</p>
      ${errorBanner(this.error)}
      <ol>
        ${this.columns.map((c, i) => {
          const err = this.errors[`columns.${i}.header`];
          return html`<li>
            <span class="n">${i + 1}</span>
            <span class="key">${t(`hr.key.${c.key}`)}</span>
            <div>
              <input
                aria-label=${`${t('hr.lay.header')} ${i + 1}（${t(`hr.key.${c.key}`)}）`}
                .value=${c.header}
                maxlength="40"
                ?disabled=${ro}
                aria-invalid=${err ? 'true' : 'false'}
                @input=${(e: InputEvent) => this.rename(i, (e.target as HTMLInputElement).value)}
              />
              ${err ? html`<div class="field-error" role="alert">${err}</div>` : nothing}
            </div>
            ${ro
              ? html`<span></span>`
              : html`<div class="moves">
                  <button aria-label=${t('hr.lay.up')} title=${t('hr.lay.up')} ?disabled=${i === 0} @click=${() => this.move(i, -1)}>↑</button>
                  <button aria-label=${t('hr.lay.down')} title=${t('hr.lay.down')} ?disabled=${i === last} @click=${() => this.move(i, 1)}>↓</button>
                  <button
                    aria-label=${`${t('hr.lay.remove')} ${c.header}`}
                    title=${t('hr.lay.remove')}
                    ?disabled=${this.columns.length <= 1}
                    @click=${() => this.update_(this.columns.filter((_, j) => j !== i))}
                  >
                    ✕
                  </button>
                </div>`}
          </li>`;
        })}
      </ol>
      ${ro
        ? nothing
        : html`<div class="add">
              <label class="sr-only" for="add-key">${t('hr.lay.add')}</label>
              <select id="add-key" .value=${this.adding} @change=${(e: Event) => (this.adding = (e.target as HTMLSelectElement).value as ExportColumnKey)}>
                <option value="">${t('hr.lay.add')}…</option>
                ${unused.map((k) => html`<option value=${k}>${t(`hr.key.${k}`)}</option>`)}
              </select>
              <button ?disabled=${!this.adding || this.columns.length >= MAX_COLUMNS} @click=${this.add}>${t('hr.lay.addButton')}</button>
              <span class="spacer"></span>
              <button @click=${() => this.update_(PROVINCIAL_LAYOUT.columns.map((c) => ({ ...c })))} data-testid="layout-reset">${t('hr.lay.reset')}</button>
              <button class="primary" ?disabled=${!this.dirty} @click=${this.save} data-testid="layout-save">${t('ui.save')}</button>
            </div>
            ${this.message ? html`<p class="banner ok-banner" role="status">${this.message}</p>` : this.dirty ? html`<p class="muted">${t('hr.lay.unsaved')}</p>` : nothing}`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-hr-layout': LayoutEditor;
  }
}
