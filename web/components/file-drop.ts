import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { XLSX_CONTENT_TYPE } from '../../server/contracts/sheet-types.ts';
import { sharedStyles } from '../styles/shared.ts';

/** Fired when a file is chosen or dropped: `file` is the one to check or import. */
export class FileChosenEvent extends Event {
  static readonly type = 'sc-file';
  constructor(readonly file: File) {
    super(FileChosenEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * `<sc-file-drop>`: where a spreadsheet is picked for an import — a dashed zone that takes a
 * dropped file, with a visible, finger-sized button for the file picker (tablets have no drag).
 *
 * Properties:
 * - `hint`: the line above the button (what files are taken).
 * - `label`: the button's text.
 * - `accept`: the picker's filter (default .xlsx and .csv).
 * - `file`: the chosen file, its name and size shown under the button (null: none yet).
 * - `disabled`: while an upload runs.
 * - `inputTestId`: `data-testid` of the file input, for browser tests.
 *
 * Events: `sc-file` (FileChosenEvent) with the file. Slot: status lines under the file name.
 */
@customElement('sc-file-drop')
export class FileDrop extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .drop {
        border: 2px dashed var(--sc-line);
        border-radius: 12px;
        padding: 20px;
        text-align: center;
        background: #fafbfc;
      }
      .drop.over {
        border-color: var(--sc-focus);
        background: #eef4ff;
      }
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
      label.btn {
        display: inline-flex;
        align-items: center;
        margin: 8px 0 0;
        color: #fff;
      }
      label.btn:focus-within {
        outline: 3px solid var(--sc-focus);
        outline-offset: 2px;
      }
      .file {
        font-weight: 600;
        margin-top: 8px;
        overflow-wrap: anywhere;
      }
    `,
  ];
  @property() hint = '';
  @property() label = '';
  @property() accept = `.xlsx,.csv,${XLSX_CONTENT_TYPE},text/csv`;
  @property({ attribute: false }) file: File | null = null;
  @property({ type: Boolean }) disabled = false;
  @property() inputTestId = 'file-input';
  @state() private over = false;

  private choose(file: File | undefined) {
    if (file && !this.disabled) this.dispatchEvent(new FileChosenEvent(file));
  }

  override render() {
    return html`<div
      class="drop ${this.over ? 'over' : ''}"
      @dragover=${(e: DragEvent) => {
        e.preventDefault();
        this.over = true;
      }}
      @dragleave=${() => (this.over = false)}
      @drop=${(e: DragEvent) => {
        e.preventDefault();
        this.over = false;
        this.choose(e.dataTransfer?.files[0]);
      }}
    >
      <div class="muted">${this.hint}</div>
      <label class="btn primary">
        ${this.label}
        <input
          type="file"
          accept=${this.accept}
          data-testid=${this.inputTestId}
          ?disabled=${this.disabled}
          @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            this.choose(input.files?.[0]);
            input.value = '';
          }}
        />
      </label>
      ${this.file
        ? html`<div class="file" data-testid="file-name">${this.file.name}（${Math.max(1, Math.round(this.file.size / 1024))} KB）</div>`
        : nothing}
      <slot></slot>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-file-drop': FileDrop;
  }
}
