import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Criterion, Part, Scheme } from '../../../server/contracts/scheme.ts';
import { isGraded, isGradedPart } from '../../app/scheme-display.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/judge.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { borderBox } from './judge-styles.ts';
import { draftKey, sheetKey, type Draft, type DraftStore, type QueuedSheet, type ServerReason, type SheetRefusal } from './judge-store.ts';
import { KeypadKeyEvent, type KeypadKey } from './num-keypad.ts';
import './num-keypad.ts';
import { allowsNegative, applyKey, checkEntry, formatValue, partMark, prefixRefusal, sumValues, type EntryKey, type Refusal } from './values.ts';

/** A part the judge marks (rubric or deduction), with its criteria. */
type MarkedPart = Part & { marking: 'rubric' | 'deduction' };
type Item = { part: MarkedPart; criterion: Criterion };

/** An item's key on the sheet: part and criterion (two parts may share a criterion id). */
const keyOf = (it: Item) => sheetKey(it.part.id, it.criterion.id);

/** The marks of a submitted sheet, without keys (the outbox gives each its key). */
export type SheetMarks = { partId: string; criterionId: string; value: number }[];

/** Fired when the judge confirms the review: the complete parts' new marks, to be queued. */
export class SheetSubmitEvent extends Event {
  static readonly type = 'sheet-submit';
  constructor(
    readonly number: number,
    readonly roundId: number,
    readonly marks: SheetMarks,
    /** When the judge signed the sheet off on the review screen (this tablet's clock). */
    readonly signedOffAt: string,
  ) {
    super(SheetSubmitEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired when the judge leaves the sheet (back to the list). The draft is already saved. */
export class SheetCloseEvent extends Event {
  static readonly type = 'sheet-close';
  constructor() {
    super(SheetCloseEvent.type, { bubbles: true, composed: true });
  }
}

/** Fired when the judge asks to see the marks already stored for this contestant. */
export class ShowStoredMarksEvent extends Event {
  static readonly type = 'show-stored-marks';
  constructor(readonly number: number) {
    super(ShowStoredMarksEvent.type, { bubbles: true, composed: true });
  }
}

/** The parts a judge marks: objective parts (exam results) are entered by the chief judge. */
export function markedParts(scheme: Pick<Scheme, 'parts'>): MarkedPart[] {
  return scheme.parts.filter((p): p is MarkedPart => p.marking === 'rubric' || p.marking === 'deduction');
}

/** Words for a refused value or key. Deductions are "at most N off", other criteria "at most N". */
export function refusalText(r: Refusal, marking: 'rubric' | 'deduction' = 'rubric'): string {
  switch (r.kind) {
    case 'max':
      return t(marking === 'deduction' ? 'judge.rule.maxDeduction' : 'judge.rule.max', { max: formatValue(r.max) });
    case 'step':
      return t('judge.rule.step', { step: formatValue(r.step) });
    case 'min':
      return r.min ? t('judge.rule.minValue', { min: formatValue(r.min) }) : t('judge.rule.min');
    case 'empty':
      return t('judge.rule.empty');
  }
}

/** The server's reason in the judge's language where the code is known, its own words otherwise. */
export function serverReasonText(r: ServerReason, item?: Item): string {
  if (item && r.code === 'mark_out_of_range')
    return /at least/.test(r.message) ? refusalText({ kind: 'min', min: item.criterion.min ?? 0 }) : refusalText({ kind: 'max', max: item.criterion.max }, item.part.marking);
  if (item && r.code === 'mark_off_step') return refusalText({ kind: 'step', step: item.criterion.step });
  const key = `judge.server.${r.code}`;
  const text = t(key);
  return text === key ? r.message : text;
}

/** The soft check asks 确认？ for a value further than this share of the criterion's maximum from the judge's own median… */
const SOFT_CHECK_SHARE_OF_MAX = 0.25;
/** …once the judge has marked this many other contestants on the criterion. */
const SOFT_CHECK_MIN_MARKS = 3;

/**
 * `sc-marking-sheet`: one contestant's marking sheet. One criterion after another (rubric and
 * deduction parts), typed on the on-screen keypad or the keyboard; a value that is over the
 * maximum or off the step is refused at the keystroke, with the reason in place. Running totals
 * per part and overall; a review screen lists every value before the sheet is submitted.
 *
 * Every keystroke is saved as a draft (per judge, round and contestant) through `drafts`, and a
 * saved draft is restored when the sheet opens again, with any reasons the server gave.
 *
 * Criteria in `locked` (marks the server already has) are shown, not typed; a sheet in the
 * outbox (`queued`) is shown read-only until it has been sent.
 *
 * @event sheet-submit - SheetSubmitEvent with the marks of every complete part
 * @event sheet-close - SheetCloseEvent when the judge goes back to the list
 * @event show-stored-marks - ShowStoredMarksEvent to see (and correct) marks already stored
 */
@customElement('sc-marking-sheet')
export class MarkingSheet extends LitElement {
  static override styles = [
    sharedStyles,
    borderBox,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
        min-height: 0;
        background: var(--sc-bg);
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 10px;
        padding: 8px 12px;
        background: var(--sc-card);
        border-bottom: 1px solid var(--sc-line);
        flex-wrap: wrap;
      }
      .bar h2 {
        margin: 0;
        font-size: 22px;
        white-space: nowrap;
      }
      .bar .total {
        margin-left: auto;
        font-size: 18px;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .bar .total b {
        font-size: 24px;
      }
      .banner {
        margin: 6px 12px 0;
        padding: 6px 12px;
        border-radius: 8px;
        font-size: 15px;
      }
      .banner.refused {
        display: flex;
        align-items: center;
        gap: 6px 12px;
        flex-wrap: wrap;
      }
      .banner .text {
        flex: 1 1 20em;
      }
      .banner .discard {
        min-height: 44px;
        font-size: 15px;
        color: var(--sc-danger);
        border-color: #f5c2bd;
      }
      .banner.refused {
        background: #fdecea;
        color: var(--sc-danger);
        border: 1px solid #f5c2bd;
      }
      .banner.info {
        background: #eef4ff;
        color: #1d4ed8;
        border: 1px solid #c7d7fe;
      }
      .banner.queued {
        background: #fff4e5;
        color: var(--sc-warn);
        border: 1px solid #f7d4a8;
      }
      .body {
        flex: 1;
        min-height: 0;
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(360px, 430px);
      }
      .list {
        overflow-y: auto;
        padding: 8px 12px 16px;
        min-height: 0;
      }
      .part {
        margin-top: 10px;
      }
      .part-head {
        display: flex;
        align-items: baseline;
        gap: 8px;
        padding: 6px 2px;
        font-weight: 600;
      }
      .part-head .name {
        flex: 1;
        min-width: 0;
      }
      .part-head .sum {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .tag {
        display: inline-block;
        font-size: 13px;
        font-weight: 600;
        padding: 1px 8px;
        border-radius: 999px;
        background: #fff4e5;
        color: var(--sc-warn);
        border: 1px solid #f7d4a8;
        white-space: nowrap;
        vertical-align: middle;
      }
      .items .item {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        align-items: center;
        gap: 8px;
        width: 100%;
        min-height: 52px;
        margin-top: 6px;
        padding: 6px 14px;
        text-align: left;
        font-size: 17px;
        border-radius: 8px;
        border: 1px solid var(--sc-line);
        background: var(--sc-card);
      }
      .items .item.locked,
      .items .item.void {
        background: #f0f2f5;
        color: var(--sc-muted);
      }
      .items button.current {
        border: 2px solid var(--sc-focus);
        background: #f3f7ff;
      }
      .items button.bad {
        border-color: var(--sc-danger);
      }
      .items .val {
        font-variant-numeric: tabular-nums;
        font-size: 20px;
        font-weight: 600;
        white-space: nowrap;
      }
      .items .val small {
        font-weight: 400;
        font-size: 14px;
        color: var(--sc-muted);
      }
      .items .empty {
        color: var(--sc-muted);
        font-weight: 400;
      }
      .items .empty.invalid {
        color: var(--sc-danger);
        font-weight: 700;
      }
      .items .sub {
        display: block;
        font-size: 13px;
        color: var(--sc-muted);
      }
      .items .sub.error {
        color: var(--sc-danger);
      }
      .entry {
        display: flex;
        flex-direction: column;
        gap: 10px;
        padding: 12px 14px 14px;
        background: var(--sc-card);
        border-left: 1px solid var(--sc-line);
        min-height: 0;
      }
      /* The keypad takes the room left in the panel, so banners never push the buttons off-screen. */
      .entry sc-num-keypad {
        flex: 1 1 auto;
        min-height: 216px;
        max-height: 320px;
      }
      .current-info {
        display: grid;
        gap: 4px;
      }
      .crit-part {
        font-size: 14px;
        color: var(--sc-muted);
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
      .crit-name {
        font-size: 21px;
        font-weight: 600;
        line-height: 1.25;
      }
      .crit-rule {
        font-size: 15px;
        color: var(--sc-muted);
      }
      .value {
        display: flex;
        align-items: baseline;
        justify-content: flex-end;
        gap: 8px;
        min-height: 68px;
        padding: 6px 16px;
        border: 2px solid var(--sc-line);
        border-radius: 12px;
        background: #fff;
        font-size: 44px;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
        cursor: text;
      }
      .value:focus {
        outline: none;
        border-color: var(--sc-focus);
        box-shadow: 0 0 0 3px #c9dafc;
      }
      .value.refused {
        border-color: var(--sc-danger);
        animation: shake 0.25s;
      }
      .value.invalid {
        border-color: var(--sc-danger);
        color: var(--sc-danger);
      }
      .value .minus {
        color: var(--sc-warn);
      }
      .value .of {
        font-size: 20px;
        font-weight: 400;
        color: var(--sc-muted);
      }
      .value .placeholder {
        color: #b8c0cc;
      }
      .value .caret {
        width: 2px;
        height: 40px;
        align-self: center;
        background: var(--sc-focus);
        animation: blink 1s steps(1) infinite;
      }
      .value:not(:focus) .caret {
        visibility: hidden;
      }
      @keyframes blink {
        50% {
          opacity: 0;
        }
      }
      @keyframes shake {
        25% {
          transform: translateX(-6px);
        }
        75% {
          transform: translateX(6px);
        }
      }
      .reason {
        min-height: 24px;
        font-size: 17px;
        font-weight: 600;
        color: var(--sc-danger);
      }
      .reason.soft {
        color: var(--sc-warn);
      }
      .nav {
        display: grid;
        grid-template-columns: 1fr 1.4fr;
        gap: 8px;
      }
      .nav button {
        min-height: 56px;
        font-size: 18px;
      }
      .locked-note {
        font-size: 15px;
        color: var(--sc-ok);
      }
      /* Review screen */
      .review {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        padding: 8px 12px 16px;
      }
      .review table {
        background: var(--sc-card);
        border-radius: 10px;
        margin-bottom: 6px;
        table-layout: fixed;
      }
      .review th,
      .review td {
        padding: 9px 10px;
        font-size: 17px;
      }
      .review th {
        font-size: 14px;
        color: var(--sc-muted);
        font-weight: 400;
      }
      .review td.num,
      .review th.num {
        width: 8.5em;
        white-space: nowrap;
      }
      .review tfoot td {
        font-weight: 600;
        border-bottom: none;
      }
      .review .missing {
        color: var(--sc-danger);
      }
      .review h3 {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        margin: 14px 0 6px;
        font-size: 18px;
      }
      .pstate {
        font-size: 13px;
        padding: 2px 10px;
        border-radius: 999px;
        font-weight: 600;
      }
      .pstate.send {
        background: #e7f6ec;
        color: var(--sc-ok);
      }
      .pstate.stored {
        background: #eef1f5;
        color: var(--sc-muted);
      }
      .pstate.incomplete {
        background: #fdecea;
        color: var(--sc-danger);
      }
      .pstate.none {
        background: #eef1f5;
        color: var(--sc-muted);
      }
      .review-foot {
        display: flex;
        gap: 10px;
        align-items: center;
        flex-wrap: wrap;
        padding: 10px 12px;
        background: var(--sc-card);
        border-top: 1px solid var(--sc-line);
      }
      .review-foot .sign-off {
        min-height: 56px;
        border: 2px dashed var(--sc-warn);
        color: var(--sc-fg);
        font-weight: 600;
      }
      .review-foot .sign-off.signed {
        border: 2px solid var(--sc-ok);
        background: #e8f6ec;
        color: #1d6b34;
      }
      .review-foot .grand {
        flex: 1;
        font-size: 18px;
        min-width: 12em;
      }
      .review-foot .grand b {
        font-size: 26px;
        font-variant-numeric: tabular-nums;
      }
      .review-foot button {
        min-height: 60px;
        font-size: 19px;
        padding: 0 22px;
      }
      @media (orientation: portrait) {
        .body {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: minmax(0, 1fr) auto;
        }
        .entry {
          border-left: none;
          border-top: 1px solid var(--sc-line);
          display: grid;
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
          column-gap: 14px;
          row-gap: 8px;
        }
        .entry .current-info {
          grid-column: 1;
        }
        .entry .value-wrap {
          grid-column: 2;
          align-self: end;
        }
        .entry sc-num-keypad,
        .entry .nav,
        .entry .locked-note {
          grid-column: 1 / -1;
        }
        .entry sc-num-keypad {
          height: calc(4 * 66px + 24px);
          max-height: none;
        }
      }
    `,
  ];

  private readonly locale = new LocaleController(this);

  @property({ attribute: false }) scheme: Pick<Scheme, 'parts'> = { parts: [] };
  @property({ type: Number }) number = 0;
  @property({ type: Number }) roundId = 0;
  @property({ type: Number }) judgeId = 0;
  /** Where drafts are kept (IndexedDB in the app). */
  @property({ attribute: false }) drafts: DraftStore | null = null;
  /** Marks the server already stored for this contestant, by sheetKey (part/criterion): shown, not typed. */
  @property({ attribute: false }) locked: Record<string, number> = {};
  /** The contestant's sheet while it waits in the outbox: shown read-only. */
  @property({ attribute: false }) queued: QueuedSheet | null = null;
  /** Bumped by the page to reload the draft for the same contestant (after the outbox changed it). */
  @property({ type: Number }) epoch = 0;
  /**
   * This judge's own values for other contestants in the round, by sheetKey: a value far from
   * them asks 确认？ once before it is taken (a soft check, never a refusal).
   */
  @property({ attribute: false }) ownValues: Record<string, number[]> = {};
  /**
   * Elements the chief judge declared void for this contestant (\`partId:criterionId\`, as the
   * server's JudgeEntry.voided): shown struck through, never typed, not waited for.
   */
  @property({ attribute: false }) voided: readonly string[] = [];

  @state() private values: Record<string, string> = {};
  @state() private current: string | null = null;
  @state() private view: 'entry' | 'review' = 'entry';
  /** Why the last key or confirm was refused (cleared by the next accepted key). */
  @state() private keyRefusal: Refusal | null = null;
  @state() private serverRefusal: SheetRefusal | undefined;
  @state() private restored = false;
  @state() private loaded = false;
  /** When the judge signed off the sheet shown on the review screen; any change to a value takes it back. */
  @state() private signedOffAt: string | null = null;
  /** A value far from the judge's own marks waiting for a second 确定 (the soft check). */
  @state() private softWarning: { key: string; value: number; median: number } | null = null;
  private saving: Promise<void> = Promise.resolve();

  @query('.value') private valueEl?: HTMLElement;

  /** Resolves when every draft write so far has been committed (for tests and for leaving the sheet). */
  get saved(): Promise<void> {
    return this.saving;
  }

  private isVoid(part: MarkedPart, criterion: Criterion): boolean {
    return this.voided.includes(`${part.id}:${criterion.id}`);
  }

  /** What the judge marks: every criterion of their parts but the void ones. */
  private items(): Item[] {
    return markedParts(this.scheme).flatMap((part) => part.criteria.filter((c) => !this.isVoid(part, c)).map((criterion) => ({ part, criterion })));
  }

  private item(key: string | null): Item | undefined {
    return this.items().find((i) => keyOf(i) === key);
  }

  /** The server's reason for an item (refusals from before keys had the part name the bare criterion). */
  private refusalFor(it: Item): ServerReason | undefined {
    return this.serverRefusal?.criteria[keyOf(it)] ?? this.serverRefusal?.criteria[it.criterion.id];
  }

  private isLocked(id: string): boolean {
    return this.locked[id] !== undefined || this.queued !== null;
  }

  /** The value the sheet counts for a criterion: stored, queued, or a valid typed entry. */
  private countedValue(it: Item): number | null {
    const stored = this.locked[keyOf(it)];
    if (stored !== undefined) return stored;
    const q = this.queued?.marks.find((m) => m.partId === it.part.id && m.criterionId === it.criterion.id);
    if (q) return q.value;
    const checked = checkEntry(this.values[keyOf(it)] ?? '', it.criterion);
    return checked.ok ? checked.value : null;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('number') || changed.has('roundId') || changed.has('judgeId') || changed.has('drafts') || changed.has('epoch')) void this.loadDraft();
    // An element declared void while the sheet is open: if the cursor was on it, it moves on to the
    // next one still to type (what was typed there stays in the draft, should the ruling be withdrawn).
    else if (changed.has('voided') && this.loaded && this.current && !this.items().some((i) => keyOf(i) === this.current)) {
      const editable = this.items().filter((i) => !this.isLocked(keyOf(i)));
      const next = editable.find((i) => this.countedValue(i) === null) ?? editable[0];
      this.current = next ? keyOf(next) : null;
    }
  }

  private key(): string {
    return draftKey(this.judgeId, this.roundId, this.number);
  }

  private async loadDraft(): Promise<void> {
    this.loaded = false;
    const key = this.key();
    const draft = this.drafts && this.number ? await this.drafts.get(key) : undefined;
    if (key !== this.key()) return; // another contestant was opened meanwhile
    this.values = this.withSheetKeys(draft?.values ?? {});
    this.serverRefusal = draft?.refusal;
    this.restored = !!draft && !draft.refusal && Object.values(draft.values).some((v) => v !== '');
    this.view = 'entry';
    this.keyRefusal = null;
    const editable = this.items().filter((i) => !this.isLocked(keyOf(i)));
    const current = draft?.current && !draft.current.includes('/') ? editable.find((i) => i.criterion.id === draft.current) : editable.find((i) => keyOf(i) === draft?.current);
    const next = current ?? editable.find((i) => this.countedValue(i) === null) ?? editable[0];
    this.current = next ? keyOf(next) : null;
    this.loaded = true;
    await this.updateComplete;
    this.focusValue();
  }

  /** A draft's values by sheetKey; a draft from before keys had the part names bare criterion ids. */
  private withSheetKeys(values: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      if (k.includes('/')) out[k] = v;
      else {
        const it = this.items().find((i) => i.criterion.id === k);
        if (it) out[keyOf(it)] ??= v;
      }
    }
    return out;
  }

  private focusValue(): void {
    this.valueEl?.focus({ preventScroll: true });
    this.renderRoot.querySelector('.items button.current')?.scrollIntoView({ block: 'nearest' });
  }

  private persist(): void {
    if (!this.drafts || !this.number) return;
    const draft: Draft = {
      key: this.key(),
      judgeId: this.judgeId,
      roundId: this.roundId,
      number: this.number,
      values: this.values,
      current: this.current,
      updatedAt: Date.now(),
      ...(this.serverRefusal ? { refusal: this.serverRefusal } : {}),
    };
    const drafts = this.drafts;
    // Chained, so an older write can never land after a newer one.
    this.saving = this.saving.then(() => drafts.put(draft)).catch((e: unknown) => console.error('draft not saved', e));
  }

  /** Applies a key from the keypad or the keyboard to the current criterion. */
  press(key: KeypadKey): void {
    if (key === 'enter') return this.confirm();
    const it = this.item(this.current);
    if (!it || this.isLocked(keyOf(it))) return;
    const id = keyOf(it);
    const result = applyKey(this.values[id] ?? '', key as EntryKey, it.criterion);
    this.softWarning = null;
    this.signedOffAt = null;
    if (!result.ok) {
      // A digit that makes the value impossible is kept, in red with the reason (see textRefusal),
      // so the judge sees what they typed; 确定 is refused until it is fixed.
      if (result.text !== undefined) {
        this.values = { ...this.values, [id]: result.text };
        this.persist();
      }
      return this.refuse(result.refusal);
    }
    this.keyRefusal = null;
    this.values = { ...this.values, [id]: result.text };
    this.restored = false;
    if (this.refusalFor(it)) {
      const criteria = { ...this.serverRefusal!.criteria };
      delete criteria[id];
      delete criteria[it.criterion.id];
      this.serverRefusal = { ...this.serverRefusal!, criteria };
    }
    this.persist();
  }

  /**
   * The median of the judge's own marks on this criterion when `value` is far from it, else null.
   * Far: more than a quarter of the criterion's maximum (and two steps) away, once the judge has
   * marked at least three other contestants on it.
   */
  private farFromOwn(it: Item, value: number): number | null {
    const own = [...(this.ownValues[keyOf(it)] ?? [])].sort((a, b) => a - b);
    if (own.length < SOFT_CHECK_MIN_MARKS) return null;
    const mid = own.length / 2;
    const median = own.length % 2 ? own[Math.floor(mid)]! : (own[mid - 1]! + own[mid]!) / 2;
    const far = Math.max(it.criterion.max * SOFT_CHECK_SHARE_OF_MAX, 2 * it.criterion.step);
    return Math.abs(value - median) > far ? median : null;
  }

  private refuse(refusal: Refusal): void {
    this.keyRefusal = refusal;
    // Restart the shake animation on every refused key.
    const el = this.valueEl;
    if (el) {
      el.classList.remove('refused');
      void el.offsetWidth;
      el.classList.add('refused');
    }
  }

  /** Enter: accept the current entry (normalised) and go to the next criterion still to mark, or to review. */
  private confirm(): void {
    const it = this.item(this.current);
    if (it && !this.isLocked(keyOf(it))) {
      const checked = checkEntry(this.values[keyOf(it)] ?? '', it.criterion);
      if (!checked.ok) return this.refuse(checked.refusal);
      // The soft check: far from this judge's own marks on the criterion, ask once; 确定 again takes it.
      const median = this.farFromOwn(it, checked.value);
      const acknowledged = this.softWarning?.key === keyOf(it) && this.softWarning.value === checked.value;
      if (median !== null && !acknowledged) {
        this.softWarning = { key: keyOf(it), value: checked.value, median };
        return;
      }
      this.softWarning = null;
      this.values = { ...this.values, [keyOf(it)]: formatValue(checked.value) };
      this.keyRefusal = null;
    }
    const editable = this.items().filter((i) => !this.isLocked(keyOf(i)));
    const at = editable.findIndex((i) => keyOf(i) === this.current);
    const after = [...editable.slice(at + 1), ...editable.slice(0, Math.max(0, at))];
    const next = after.find((i) => this.countedValue(i) === null);
    if (next) this.select(keyOf(next));
    else {
      this.persist();
      this.showReview();
    }
  }

  private select(id: string): void {
    this.current = id;
    this.keyRefusal = null;
    this.softWarning = null;
    this.signedOffAt = null;
    this.view = 'entry';
    this.persist();
    void this.updateComplete.then(() => this.focusValue());
  }

  private move(delta: 1 | -1): void {
    const editable = this.items().filter((i) => !this.isLocked(keyOf(i)));
    const at = editable.findIndex((i) => keyOf(i) === this.current);
    const next = editable[at + delta];
    if (next) this.select(keyOf(next));
    else if (delta > 0) this.showReview();
  }

  private showReview(): void {
    this.view = 'review';
    this.signedOffAt = null;
    void this.updateComplete.then(() => {
      const q = (sel: string) => this.renderRoot.querySelector<HTMLElement>(sel);
      // Enter signs the sheet off, then Enter again sends it.
      (q('[data-testid="sign-off"]') ?? q('[data-testid="back-to-entry"]'))?.focus();
    });
  }

  private onValueKeydown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const map: Record<string, KeypadKey> = {
      Backspace: 'backspace',
      Delete: 'clear',
      Escape: 'clear',
      Enter: 'enter',
      ArrowUp: 'up',
      ArrowDown: 'down',
      '+': 'up',
      '-': 'down',
      ',': '.',
      '.': '.',
    };
    let key: KeypadKey | undefined = /^[0-9]$/.test(e.key) ? (e.key as KeypadKey) : map[e.key];
    // Grades below zero (−5 … +5): the minus key is the sign there, arrows still step.
    const it = this.item(this.current);
    if (e.key === '-' && it && allowsNegative(it.criterion)) key = 'minus';
    if (e.key === 'PageDown') return (e.preventDefault(), this.move(1));
    if (e.key === 'PageUp') return (e.preventDefault(), this.move(-1));
    if (e.key === 'Escape' && !(this.values[this.current ?? ''] ?? '')) key = undefined;
    if (!key) return;
    e.preventDefault();
    this.press(key);
  };

  /** Parts with what the judge has for them: counted values, and whether the part can be submitted. */
  private partSummaries() {
    return markedParts(this.scheme).map((part) => {
      const items = part.criteria.filter((c) => !this.isVoid(part, c)).map((criterion) => ({ part, criterion }));
      const voidItems = part.criteria.filter((c) => this.isVoid(part, c)).map((criterion) => ({ part, criterion }));
      const values = items.map((i) => this.countedValue(i));
      const counted = values.filter((v): v is number => v !== null);
      const typed = items.filter((i) => !this.isLocked(keyOf(i)) && (this.values[keyOf(i)] ?? '') !== '');
      const stored = items.every((i) => this.isLocked(keyOf(i)));
      const complete = counted.length === items.length;
      const state: 'stored' | 'send' | 'incomplete' | 'none' = stored ? 'stored' : complete ? 'send' : typed.length > 0 || counted.length > 0 ? 'incomplete' : 'none';
      const deductions = part.marking === 'deduction' ? sumValues(counted) : 0;
      return { part, items, voidItems, counted, complete, state, mark: partMark(part.marking, part.max, counted), deductions };
    });
  }

  /** The judge's sign-off of the sheet as reviewed (a tap; again to take it back); then the send button takes the focus. */
  private toggleSignOff(): void {
    this.signedOffAt = this.signedOffAt ? null : new Date().toISOString();
    if (this.signedOffAt) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-testid="submit"]:not([disabled])')?.focus());
  }

  private submit(): void {
    const marks: SheetMarks = [];
    for (const s of this.partSummaries()) {
      if (s.state !== 'send') continue;
      for (const it of s.items) {
        if (this.isLocked(keyOf(it))) continue;
        marks.push({ partId: it.part.id, criterionId: it.criterion.id, value: this.countedValue(it)! });
      }
    }
    if (marks.length === 0 || !this.signedOffAt) return;
    const signedOffAt = this.signedOffAt;
    // The draft stays until the server has stored the sheet (the outbox clears it then).
    this.persist();
    void this.saving.then(() => this.dispatchEvent(new SheetSubmitEvent(this.number, this.roundId, marks, signedOffAt)));
  }

  /** Drops the draft (a sheet the server will never take, e.g. a contestant the judge must stand aside from). */
  private async discard(): Promise<void> {
    if (!confirm(t('judge.discardConfirm', { number: this.number }))) return;
    await this.saving;
    await this.drafts?.delete(this.key());
    this.values = {};
    this.serverRefusal = undefined;
    this.dispatchEvent(new SheetCloseEvent());
  }

  private close(): void {
    void this.saving.then(() => this.dispatchEvent(new SheetCloseEvent()));
  }

  private renderValueText(it: Item) {
    const stored = this.locked[keyOf(it)] ?? this.queued?.marks.find((m) => m.partId === it.part.id && m.criterionId === it.criterion.id)?.value;
    const text = stored !== undefined ? formatValue(stored) : (this.values[keyOf(it)] ?? '');
    const minus = it.part.marking === 'deduction' && text !== '' && text !== '0' ? html`<span class="minus">−</span>` : nothing;
    return text === '' ? html`<span class="placeholder">—</span>` : html`${minus}<span data-testid="value-text">${text}</span>`;
  }

  private renderList(summaries: ReturnType<MarkingSheet['partSummaries']>) {
    return html`<div class="list" data-testid="criteria">
      ${summaries.map(
        (s) => html`<section class="part" data-part=${s.part.id}>
          <div class="part-head">
            <span class="name">${s.part.name} ${s.part.marking === 'deduction' ? html`<span class="tag">${t('judge.deductionPart')}</span>` : nothing}</span>
            <span class="sum" data-testid="part-total-${s.part.id}">${this.partTotalText(s)}</span>
          </div>
          <div class="items">
            ${s.items.map((it) => {
              const id = keyOf(it);
              const locked = this.isLocked(id);
              const typed = this.values[id] ?? '';
              const v = this.countedValue(it);
              const server = this.refusalFor(it);
              const bad = !!server || (!locked && typed !== '' && v === null);
              const inner = html`<span
                  >${it.criterion.name}
                  <span class="sub ${server ? 'error' : ''}"
                    >${server
                      ? serverReasonText(server, it)
                      : locked
                        ? this.queued
                          ? t('judge.state.queued')
                          : t('judge.storedMark')
                        : it.part.marking === 'deduction'
                          ? t('judge.rule.deductionUpTo', { max: formatValue(it.criterion.max) })
                          : isGraded(it.criterion)
                            ? t('judge.rule.gradeRange', { min: formatValue(it.criterion.min ?? 0), max: formatValue(it.criterion.max) })
                            : t('judge.rule.upTo', { max: formatValue(it.criterion.max) })}</span
                  ></span
                >
                <span class="val"
                  >${v !== null
                    ? html`${it.part.marking === 'deduction' && v > 0 ? '−' : ''}${formatValue(v)}`
                    : typed !== ''
                      ? html`<span class="empty ${prefixRefusal(typed, it.criterion) ? 'invalid' : ''}">${typed}…</span>`
                      : html`<span class="empty">—</span>`}
                  <small>/ ${formatValue(it.criterion.max)}</small></span
                >`;
              // Stored and queued marks are shown, not selectable: they cannot be typed over.
              return locked
                ? html`<div class="item locked" data-criterion=${it.criterion.id} data-key=${id}>${inner}</div>`
                : html`<button
                    type="button"
                    class="item ${id === this.current && this.view === 'entry' ? 'current' : ''} ${bad ? 'bad' : ''}"
                    data-criterion=${it.criterion.id}
                    data-key=${id}
                    @click=${() => this.select(id)}
                  >
                    ${inner}
                  </button>`;
            })}
            ${s.voidItems.map(
              (it) => html`<div class="item void" data-criterion=${it.criterion.id} data-key=${keyOf(it)} data-testid="void-element">
                <span><s>${it.criterion.name}</s> <span class="sub">${t('judge.voidElement')}</span></span>
                <span class="val"><span class="empty">0</span></span>
              </div>`,
            )}
          </div>
        </section>`,
      )}
    </div>`;
  }

  private partTotalText(s: ReturnType<MarkingSheet['partSummaries']>[number]): string {
    if (isGradedPart(s.part)) return t('judge.gradedPart');
    const mark = formatValue(s.mark);
    const max = formatValue(s.part.max);
    return s.part.marking === 'deduction'
      ? t('judge.partTotalDeduction', { deducted: formatValue(s.deductions), mark, max })
      : t('judge.partTotal', { mark, max });
  }

  private renderEntry() {
    const it = this.item(this.current);
    if (!it)
      return html`<div class="entry">
        <p class="muted" data-testid="nothing-to-mark">${this.queued ? t('judge.queuedReadOnly') : t('judge.nothingToMark')}</p>
      </div>`;
    const { part, criterion } = it;
    const locked = this.isLocked(keyOf(it));
    const server = this.refusalFor(it);
    const deduction = part.marking === 'deduction';
    const typed = this.values[keyOf(it)] ?? '';
    const editable = this.items().filter((i) => !this.isLocked(keyOf(i)));
    const at = editable.findIndex((i) => keyOf(i) === keyOf(it));
    // Why the typed text can never be a valid value (over the maximum, off the step): shown, in red, until fixed.
    const textRefusal = !locked && typed !== '' ? prefixRefusal(typed, criterion) : null;
    const refusal = this.keyRefusal ?? textRefusal;
    const soft = this.softWarning?.key === keyOf(it) ? this.softWarning : null;
    const reason = refusal
      ? refusalText(refusal, part.marking)
      : soft
        ? t('judge.soft.far', { value: formatValue(soft.value), median: formatValue(soft.median) })
        : server
          ? serverReasonText(server, it)
          : '';
    return html`<div class="entry">
      <div class="current-info">
        <div class="crit-part">${part.name} ${deduction ? html`<span class="tag">${t('judge.deductionItem')}</span>` : nothing}</div>
        <div class="crit-name" id="crit-name">${criterion.name}</div>
        <div class="crit-rule" id="crit-rule">
          ${deduction
            ? t('judge.rule.deductionLine', { max: formatValue(criterion.max), step: formatValue(criterion.step) })
            : criterion.min
              ? t('judge.rule.rangeLine', { min: formatValue(criterion.min), max: formatValue(criterion.max), step: formatValue(criterion.step) })
              : t('judge.rule.line', { max: formatValue(criterion.max), step: formatValue(criterion.step) })}
        </div>
      </div>
      <div class="value-wrap">
        <div
          class="value ${textRefusal ? 'invalid' : ''}"
          tabindex="0"
          role="spinbutton"
          data-testid="value"
          aria-labelledby="crit-name"
          aria-describedby="crit-rule reason"
          aria-valuemin=${criterion.min ?? 0}
          aria-valuemax=${criterion.max}
          aria-valuenow=${checkEntry(typed, criterion).ok ? Number(typed) : nothing}
          aria-valuetext=${typed || t('judge.rule.empty')}
          aria-readonly=${locked ? 'true' : 'false'}
          aria-invalid=${reason ? 'true' : 'false'}
          @keydown=${this.onValueKeydown}
          @animationend=${(e: AnimationEvent) => (e.currentTarget as HTMLElement).classList.remove('refused')}
        >
          ${this.renderValueText(it)}${locked ? nothing : html`<span class="caret"></span>`}<span class="of">/ ${formatValue(criterion.max)}</span>
        </div>
        <div class="reason ${soft && !refusal ? 'soft' : ''}" id="reason" role="status" aria-live="polite" data-testid="reason">${reason}</div>
      </div>
      ${locked
        ? html`<div class="locked-note">${this.queued ? t('judge.queuedReadOnly') : t('judge.storedMark')}</div>`
        : html`<sc-num-keypad .step=${criterion.step} ?negative=${allowsNegative(criterion)} @keypad-key=${(e: KeypadKeyEvent) => this.press(e.key)}></sc-num-keypad>`}
      <div class="nav">
        <button type="button" data-testid="prev" ?disabled=${at <= 0} @click=${() => this.move(-1)}>‹ ${t('judge.prev')}</button>
        ${at >= 0 && at < editable.length - 1
          ? html`<button type="button" data-testid="next" @click=${() => this.move(1)}>${t('judge.next')} ›</button>`
          : html`<button type="button" class="primary" data-testid="to-review" @click=${() => this.showReview()}>${t('judge.toReview')}</button>`}
      </div>
    </div>`;
  }

  private renderReview(summaries: ReturnType<MarkingSheet['partSummaries']>) {
    const toSend = summaries.filter((s) => s.state === 'send');
    const incomplete = summaries.filter((s) => s.state === 'incomplete');
    const count = toSend.reduce((n, s) => n + s.items.filter((i) => !this.isLocked(keyOf(i))).length, 0);
    const grand = sumValues(summaries.map((s) => s.mark));
    const grandMax = sumValues(summaries.map((s) => s.part.max));
    const stateLabel = { send: t('judge.review.send'), stored: t('judge.review.stored'), incomplete: t('judge.review.incomplete'), none: t('judge.review.none') };
    return html`<div class="review" data-testid="review">
        ${summaries.map(
          (s) => html`<h3>
              ${s.part.name} ${s.part.marking === 'deduction' ? html`<span class="tag">${t('judge.deductionPart')}</span>` : nothing}
              <span class="pstate ${s.state}" data-testid="review-state-${s.part.id}">${stateLabel[s.state]}</span>
            </h3>
            <table>
              <thead>
                <tr>
                  <th>${t('judge.review.criterion')}</th>
                  <th class="num">${s.part.marking === 'deduction' ? t('judge.review.maxDeduction') : t('judge.review.max')}</th>
                  <th class="num">${s.part.marking === 'deduction' ? t('judge.review.deducted') : t('judge.review.value')}</th>
                </tr>
              </thead>
              <tbody>
                ${s.items.map((it) => {
                  const v = this.countedValue(it);
                  return html`<tr data-review-criterion=${it.criterion.id}>
                    <td>${it.criterion.name}</td>
                    <td class="num">${formatValue(it.criterion.max)}</td>
                    <td class="num ${v === null ? 'missing' : ''}">
                      ${v === null
                        ? html`<a href="#" @click=${(e: Event) => (e.preventDefault(), this.select(keyOf(it)))}>${t('judge.review.missing')}</a>`
                        : `${it.part.marking === 'deduction' && v > 0 ? '−' : ''}${formatValue(v)}`}
                    </td>
                  </tr>`;
                })}
              </tbody>
              <tfoot>
                <tr>
                  <td colspan="2">${t('judge.review.partMark')}</td>
                  <td class="num" data-testid="review-part-${s.part.id}">${isGradedPart(s.part) ? t('judge.gradedPart') : `${formatValue(s.mark)} / ${formatValue(s.part.max)}`}</td>
                </tr>
              </tfoot>
            </table>`,
        )}
        ${incomplete.length > 0
          ? html`<p class="banner refused">${t('judge.review.incompleteNote', { parts: incomplete.map((s) => s.part.name).join('、') })}</p>`
          : nothing}
      </div>
      <div class="review-foot">
        ${summaries.some((x) => isGradedPart(x.part))
          ? html`<span class="grand"></span>`
          : html`<span class="grand">${t('judge.total')} <b data-testid="review-total">${formatValue(grand)}</b> / ${formatValue(grandMax)}</span>`}
        <button type="button" data-testid="back-to-entry" @click=${() => this.select(this.current ?? (this.items()[0] ? keyOf(this.items()[0]!) : ''))}>
          ${t('judge.review.back')}
        </button>
        ${count > 0 && this.queued === null
          ? html`<button
              type="button"
              class="sign-off ${this.signedOffAt ? 'signed' : ''}"
              data-testid="sign-off"
              aria-pressed=${this.signedOffAt ? 'true' : 'false'}
              @click=${this.toggleSignOff}
            >
              ${this.signedOffAt ? `✓ ${t('judge.review.signedOff')}` : t('judge.review.signOff')}
            </button>`
          : nothing}
        <button type="button" class="primary" data-testid="submit" ?disabled=${count === 0 || this.queued !== null || !this.signedOffAt} @click=${this.submit}>
          ${t('judge.review.submit', { count })}
        </button>
      </div>`;
  }

  override render() {
    if (!this.loaded) return html`<p class="muted" style="padding:16px">${t('app.loading')}</p>`;
    const summaries = this.partSummaries();
    const grand = sumValues(summaries.map((s) => s.mark));
    const grandMax = sumValues(summaries.map((s) => s.part.max));
    const hasStored = Object.keys(this.locked).length > 0;
    return html`
      <div class="bar">
        <button type="button" data-testid="close-sheet" @click=${this.close}>‹ ${t('judge.backToList')}</button>
        <h2>${t('judge.contestant', { number: this.number })}</h2>
        ${hasStored
          ? html`<button type="button" data-testid="show-stored" @click=${() => this.dispatchEvent(new ShowStoredMarksEvent(this.number))}>
              ${t('judge.storedMarks')}
            </button>`
          : nothing}
        ${this.view === 'entry' && !summaries.some((x) => isGradedPart(x.part))
          ? html`<span class="total">${t('judge.total')} <b data-testid="grand-total">${formatValue(grand)}</b> / ${formatValue(grandMax)}</span>`
          : nothing}
      </div>
      ${this.serverRefusal && this.serverRefusal.sheet.length + Object.keys(this.serverRefusal.criteria).length > 0
        ? html`<div class="banner refused" role="alert" data-testid="refusal">
            <div class="text">
              ${t('judge.refusedBanner')}
              ${this.serverRefusal.sheet.map((r) => html`<div data-testid="refusal-reason">${serverReasonText(r)}</div>`)}
            </div>
            <button type="button" class="discard" data-testid="discard" @click=${this.discard}>${t('judge.discard')}</button>
          </div>`
        : nothing}
      ${this.queued ? html`<div class="banner queued" data-testid="queued-banner">${t('judge.queuedBanner')}</div>` : nothing}
      ${this.restored ? html`<div class="banner info" data-testid="restored">${t('judge.restored')}</div>` : nothing}
      ${this.view === 'review' ? this.renderReview(summaries) : html`<div class="body">${this.renderList(summaries)} ${this.renderEntry()}</div>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-marking-sheet': MarkingSheet;
  }
}
