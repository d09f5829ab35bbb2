import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { z } from 'zod';
import type { judgeEntrySchema } from '../../../server/contracts/marks.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/judge.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { borderBox } from './judge-styles.ts';

export type JudgeEntry = z.infer<typeof judgeEntrySchema>;

/** What the tablet itself knows about a contestant, beyond the server's list. */
export type LocalState = { queued: boolean; draft: boolean; refused: boolean };

export type TileState =
  | 'absent'
  | 'disqualified'
  | 'withdrawn'
  | 'not_checked_in'
  | 'recused'
  | 'queued'
  | 'refused'
  | 'correction_pending'
  | 'submitted'
  | 'partial'
  | 'draft'
  | 'not_started';

/**
 * One tile's state: what cannot be marked first, then what is on this tablet and not yet on the
 * server (a queued sheet, a refused one), then the server's word.
 */
export function tileState(entry: JudgeEntry, local: LocalState | undefined): TileState {
  if (entry.status === 'absent') return 'absent';
  if (entry.status === 'disqualified') return 'disqualified';
  if (entry.status === 'withdrawn') return 'withdrawn';
  if (entry.status === 'registered' || entry.status === 'reserve') return 'not_checked_in';
  // The judge works for this contestant's employer: they stand aside (回避); the server would refuse.
  if (entry.recused) return 'recused';
  if (local?.queued) return 'queued';
  if (local?.refused) return 'refused';
  if (entry.state === 'correction_pending') return 'correction_pending';
  if (entry.state === 'submitted') return 'submitted';
  if (entry.state === 'partial') return 'partial';
  if (local?.draft) return 'draft';
  return 'not_started';
}

/** Whether a tile state still needs this judge's marks. */
export function stillToMark(s: TileState): boolean {
  return s === 'not_started' || s === 'partial' || s === 'draft' || s === 'refused';
}

const MARKABLE = new Set<TileState>(['queued', 'refused', 'correction_pending', 'submitted', 'partial', 'draft', 'not_started']);
const ICON: Record<TileState, string> = {
  absent: '—',
  disqualified: '✕',
  withdrawn: '⨯',
  not_checked_in: '…',
  recused: '回',
  queued: '⇡',
  refused: '!',
  correction_pending: '↺',
  submitted: '✓',
  partial: '◐',
  draft: '✎',
  not_started: '○',
};

/** Fired when the judge taps a contestant. */
export class OpenContestantEvent extends Event {
  static readonly type = 'open-contestant';
  constructor(readonly number: number) {
    super(OpenContestantEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * `sc-contestant-list`: the contestants by drawn number as big touch tiles, each with its
 * marking state; absent, disqualified and not-checked-in contestants, and those the judge stands
 * aside from (recused), are greyed and cannot be opened. A filter shows only those still to mark.
 *
 * @event open-contestant - OpenContestantEvent with the drawn number
 */
@customElement('sc-contestant-list')
export class ContestantList extends LitElement {
  static override styles = [
    sharedStyles,
    borderBox,
    css`
      :host {
        display: block;
        padding: 12px 16px 24px;
      }
      .tools {
        display: flex;
        align-items: center;
        gap: 10px;
        flex-wrap: wrap;
        margin-bottom: 12px;
      }
      .seg {
        display: inline-flex;
        border: 1px solid var(--sc-line);
        border-radius: 10px;
        overflow: hidden;
      }
      .seg button {
        border: none;
        border-radius: 0;
        min-height: 48px;
        font-size: 17px;
      }
      .seg button[aria-pressed='true'] {
        background: var(--sc-fg);
        color: #fff;
      }
      .progress {
        margin-left: auto;
        color: var(--sc-muted);
        font-size: 16px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(128px, 1fr));
        gap: 12px;
      }
      .tile {
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        gap: 4px;
        min-height: 104px;
        padding: 8px;
        border-radius: 14px;
        border: 2px solid var(--sc-line);
        background: var(--sc-card);
        font: inherit;
        color: var(--sc-fg);
      }
      .tile .no {
        font-size: 36px;
        font-weight: 700;
        line-height: 1.1;
        font-variant-numeric: tabular-nums;
      }
      .tile .st {
        font-size: 15px;
        display: flex;
        gap: 4px;
        align-items: center;
        white-space: nowrap;
      }
      .tile .st .i {
        font-weight: 700;
      }
      .tile[data-state='submitted'] {
        background: #e7f6ec;
        border-color: #a6dcb5;
      }
      .tile[data-state='submitted'] .st {
        color: var(--sc-ok);
      }
      .tile[data-state='partial'],
      .tile[data-state='draft'] {
        border-color: #f0b46b;
      }
      .tile[data-state='partial'] .st,
      .tile[data-state='draft'] .st {
        color: var(--sc-warn);
      }
      .tile[data-state='draft'] {
        border-style: dashed;
      }
      .tile[data-state='queued'] {
        background: #fff4e5;
        border-color: var(--sc-warn);
      }
      .tile[data-state='queued'] .st {
        color: var(--sc-warn);
        font-weight: 600;
      }
      .tile[data-state='refused'] {
        background: #fdecea;
        border-color: var(--sc-danger);
      }
      .tile[data-state='refused'] .st {
        color: var(--sc-danger);
        font-weight: 600;
      }
      .tile[data-state='correction_pending'] {
        background: #eef4ff;
        border-color: #9db8f5;
      }
      .tile[data-state='correction_pending'] .st {
        color: #1d4ed8;
      }
      .tile.off {
        background: #eceef1;
        border-color: #e0e3e8;
        color: #8a93a0;
        cursor: not-allowed;
        opacity: 1;
      }
      .tile.off .no {
        text-decoration: line-through;
        text-decoration-thickness: 2px;
      }
      .tile[data-state='recused'] {
        background: #fff8ef;
        border: 2px dashed #e0a35c;
        color: #8a5a1c;
      }
      .tile[data-state='recused'] .no {
        text-decoration: none;
      }
      .empty {
        padding: 32px 0;
        text-align: center;
        color: var(--sc-muted);
        font-size: 18px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) entries: JudgeEntry[] = [];
  /** Per drawn number, what only this tablet knows. */
  @property({ attribute: false }) local: Map<number, LocalState> = new Map();
  @state() private filter: 'todo' | 'all' = 'all';

  private label(s: TileState, e: JudgeEntry): string {
    if (s === 'partial') return t('judge.state.partialOf', { marked: e.marked, criteria: e.criteria });
    return t(`judge.state.${s}`);
  }

  override render() {
    const rows = this.entries.map((e) => ({ e, s: tileState(e, this.local.get(e.number)) }));
    const todo = rows.filter((r) => stillToMark(r.s));
    const shown = this.filter === 'todo' ? todo : rows;
    const done = rows.filter((r) => r.s === 'submitted' || r.s === 'correction_pending' || r.s === 'queued').length;
    const markable = rows.filter((r) => MARKABLE.has(r.s)).length;
    return html`
      <div class="tools">
        <div class="seg" role="group" aria-label=${t('judge.filter')}>
          <button type="button" aria-pressed=${this.filter === 'todo'} data-testid="filter-todo" @click=${() => (this.filter = 'todo')}>
            ${t('judge.filter.todo', { count: todo.length })}
          </button>
          <button type="button" aria-pressed=${this.filter === 'all'} data-testid="filter-all" @click=${() => (this.filter = 'all')}>
            ${t('judge.filter.all', { count: rows.length })}
          </button>
        </div>
        <span class="progress" data-testid="progress">${t('judge.progress', { done, total: markable })}</span>
      </div>
      ${shown.length === 0
        ? html`<p class="empty" data-testid="all-done">${t('judge.allDone')}</p>`
        : html`<div class="grid" data-testid="tiles">
            ${repeat(
              shown,
              (r) => r.e.number,
              ({ e, s }) => {
                const off = !MARKABLE.has(s);
                return html`<button
                  type="button"
                  class="tile ${off ? 'off' : ''}"
                  data-number=${e.number}
                  data-state=${s}
                  aria-disabled=${off ? 'true' : 'false'}
                  aria-label=${t('judge.tileLabel', { number: e.number, state: this.label(s, e) })}
                  @click=${() => {
                    if (!off) this.dispatchEvent(new OpenContestantEvent(e.number));
                  }}
                >
                  <span class="no">${e.number}</span>
                  <span class="st"><span class="i" aria-hidden="true">${ICON[s]}</span>${this.label(s, e)}</span>
                  ${e.name ? html`<span class="st">${e.name}</span>` : nothing}
                </button>`;
              },
            )}
          </div>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-contestant-list': ContestantList;
  }
}
