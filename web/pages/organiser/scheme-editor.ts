import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import '../../i18n/elements.ts';
import { fieldError, orgStyles } from './org-shared.ts';
import {
  AGGREGATIONS,
  criteriaTotal,
  hasAdvanced,
  hasExtras,
  newCriterion,
  newPart,
  presetScheme,
  ROUNDING_AT,
  ROUNDING_MODES,
  TIE_BREAKS,
  weightTotal,
  type CriterionDraft,
  type PartDraft,
  type SchemeDraft,
} from './scheme-draft.ts';

/** Fired by `sc-scheme-editor` with the whole changed draft (the form owns the state). */
export class SchemeChangedEvent extends Event {
  static readonly type = 'sc-scheme-changed';
  constructor(readonly draft: SchemeDraft) {
    super(SchemeChangedEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * The scoring scheme editor: parts (theory / practical / other) with weight, maximum, marking
 * and criteria, the panel rule, tie-breaks and totaling. Shows the weight and criteria sums as
 * they are typed and each problem next to its field (`errors` keyed `scheme.parts.0.weight`).
 *
 * @event sc-scheme-changed - SchemeChangedEvent with the new draft
 */
@customElement('sc-scheme-editor')
export class SchemeEditor extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      .sum {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        padding: 10px 12px;
        border-radius: 8px;
        margin: 12px 0;
        font-weight: 600;
      }
      .sum.ok {
        background: #e7f6ec;
        color: var(--sc-ok);
      }
      .sum.bad {
        background: #fdecea;
        color: var(--sc-danger);
      }
      fieldset.part {
        background: #fafbfc;
        margin-top: 16px;
      }
      /* Four slots a row: a wide first one (name, marking, aggregation) and three narrow ones. */
      .cols {
        display: grid;
        grid-template-columns: minmax(0, 2fr) repeat(3, minmax(0, 1fr));
        gap: 0 12px;
        align-items: start;
      }
      .cols .span2 {
        grid-column: span 2;
      }
      .crit {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 6em 6em 44px;
        gap: 6px;
        align-items: start;
        margin-top: 6px;
      }
      /* With "more options" open each criterion also has its lowest mark and factor. */
      .crit.wide {
        grid-template-columns: minmax(0, 1fr) repeat(4, 5.5em) 44px;
      }
      .crit input {
        width: 100%;
      }
      .crit .note {
        grid-column: 1 / -1;
      }
      .crit.head {
        font-size: 13px;
        color: var(--sc-muted);
      }
      .crit .x {
        padding: 0;
      }
      .crit-sum {
        font-size: 14px;
        margin-top: 6px;
      }
      .crit-sum.bad {
        color: var(--sc-danger);
        font-weight: 600;
      }
      .crit-sum.ok {
        color: var(--sc-ok);
      }
      .more {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: 4px 12px;
        margin-top: 12px;
      }
      .more .hint {
        font-size: 14px;
        flex: 1 1 260px;
        min-width: 0;
      }
      button.toggle {
        padding: 0 14px;
      }
      button.toggle[aria-expanded='true'] {
        background: #eef1f5;
      }
      /* Two slots a row on a tablet either way up; one option alone keeps its half. */
      .more-body {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
        gap: 0 12px;
        align-items: start;
        border-left: 3px solid var(--sc-line);
        padding-left: 12px;
        margin-top: 4px;
      }
      .more-body .whole {
        grid-column: 1 / -1;
      }
      .field .note {
        font-size: 14px;
        margin: 4px 0 0;
      }
      fieldset.rounding {
        margin-bottom: 16px;
      }
      .options2 {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
        gap: 0 12px;
        align-items: start;
      }
      ol.tb {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      ol.tb li {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 4px 0;
      }
      ol.tb li span {
        flex: 1;
        min-width: 0;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) draft!: SchemeDraft;
  @property({ attribute: false }) errors: Record<string, string> = {};
  /** Whether the "preset" buttons are offered (a new event). */
  @property({ type: Boolean }) offerPresets = false;
  /** "More options" opened or closed by hand, by part id; otherwise open when the part uses any of them. */
  @state() private moreOpen = new Map<string, boolean>();

  /** Whether the part's "more options" show: as toggled, else when it uses them, and always while one of them is in error. */
  private isOpen(part: PartDraft, i: number): boolean {
    const hidden = new RegExp(`^scheme\\.parts\\.${i}\\.(kind|aggregateBy|usesBaseValues|criteria\\.\\d+\\.(min|factor))$`);
    const hiddenError = Object.keys(this.errors).some((k) => hidden.test(k));
    return hiddenError || (this.moreOpen.get(part.id) ?? hasAdvanced(part));
  }

  private toggleMore(part: PartDraft, i: number) {
    this.moreOpen = new Map(this.moreOpen).set(part.id, !this.isOpen(part, i));
  }

  private emit(draft: SchemeDraft) {
    this.dispatchEvent(new SchemeChangedEvent(draft));
  }

  private setPart(i: number, patch: Partial<PartDraft>) {
    const parts = this.draft.parts.map((p, j) => (j === i ? { ...p, ...patch } : p));
    this.emit({ ...this.draft, parts });
  }

  private movePart(i: number, by: number) {
    const parts = [...this.draft.parts];
    const [p] = parts.splice(i, 1);
    parts.splice(i + by, 0, p!);
    this.emit({ ...this.draft, parts });
  }

  private input(i: number, key: keyof PartDraft, label: string, opts: { suffix?: string; mode?: string; testid?: string } = {}) {
    const id = `p${i}-${key}`;
    const errKey = key === 'drop' ? `scheme.parts.${i}.aggregation.drop` : `scheme.parts.${i}.${key}`;
    const invalid = !!this.errors[errKey];
    return html`<div class="field">
      <label for=${id}>${label}${opts.suffix ? html` <span class="muted">${opts.suffix}</span>` : nothing}</label>
      <input
        id=${id}
        inputmode=${opts.mode ?? 'decimal'}
        .value=${String(this.draft.parts[i]![key])}
        aria-invalid=${invalid ? 'true' : 'false'}
        data-testid=${opts.testid ?? nothing}
        @input=${(e: Event) => this.setPart(i, { [key]: (e.target as HTMLInputElement).value })}
      />
      ${fieldError(this.errors, errKey)}
    </div>`;
  }

  private renderCriteria(part: PartDraft, i: number, open: boolean) {
    if (part.marking === 'objective') return nothing;
    const base = `scheme.parts.${i}.criteria`;
    const c = criteriaTotal(part);
    const setCrit = (j: number, patch: Partial<CriterionDraft>) =>
      this.setPart(i, { criteria: part.criteria.map((x, k) => (k === j ? { ...x, ...patch } : x)) });
    /** The lowest mark (a minus allowed: a plain text keyboard, inputmode="decimal" hides the minus on some tablets) or the factor. */
    const optional = (j: number, key: 'min' | 'factor', crit: CriterionDraft) => {
      const errKey = `${base}.${j}.${key}`;
      return html`<div>
        <input
          type="text"
          inputmode=${key === 'min' ? 'text' : 'decimal'}
          autocomplete="off"
          aria-label=${t(key === 'min' ? 'org.scheme.critMinN' : 'org.scheme.critFactorN', { n: j + 1 })}
          placeholder=${key === 'min' ? '0' : '1'}
          data-testid=${`crit-${key}-${i}-${j}`}
          .value=${crit[key]}
          aria-invalid=${this.errors[errKey] ? 'true' : 'false'}
          @input=${(e: Event) => setCrit(j, { [key]: (e.target as HTMLInputElement).value })}
        />
        ${fieldError(this.errors, errKey)}
      </div>`;
    };
    const row = open ? 'crit wide' : 'crit';
    return html`
      <div style="margin-top:12px">
        <h3>${part.marking === 'deduction' ? t('org.scheme.deductions') : t('org.scheme.criteria')}</h3>
        ${part.criteria.length
          ? html`<div class="${row} head" aria-hidden="true">
              <span>${t('org.scheme.critName')}</span><span>${part.marking === 'deduction' ? t('org.scheme.critMaxDeduction') : t('org.scheme.critMax')}</span><span>${t('org.scheme.step')}</span>
              ${open ? html`<span>${t('org.scheme.critMin')}</span><span>${t('org.scheme.critFactor')}</span>` : nothing}<span></span>
            </div>`
          : nothing}
        ${part.criteria.map(
          (crit, j) => html`<div class=${row}>
            <div>
              <input
                aria-label=${`${t('org.scheme.critName')} ${j + 1}`}
                .value=${crit.name}
                aria-invalid=${this.errors[`${base}.${j}.name`] ? 'true' : 'false'}
                @input=${(e: Event) => setCrit(j, { name: (e.target as HTMLInputElement).value })}
              />
              ${fieldError(this.errors, `${base}.${j}.name`)}
            </div>
            <div>
              <input
                aria-label=${`${t('org.scheme.critMax')} ${j + 1}`}
                inputmode="decimal"
                .value=${crit.max}
                aria-invalid=${this.errors[`${base}.${j}.max`] ? 'true' : 'false'}
                @input=${(e: Event) => setCrit(j, { max: (e.target as HTMLInputElement).value })}
              />
              ${fieldError(this.errors, `${base}.${j}.max`)}
            </div>
            <div>
              <input
                aria-label=${`${t('org.scheme.step')} ${j + 1}`}
                inputmode="decimal"
                .value=${crit.step}
                aria-invalid=${this.errors[`${base}.${j}.step`] ? 'true' : 'false'}
                @input=${(e: Event) => setCrit(j, { step: (e.target as HTMLInputElement).value })}
              />
              ${fieldError(this.errors, `${base}.${j}.step`)}
            </div>
            ${open ? html`${optional(j, 'min', crit)}${optional(j, 'factor', crit)}` : nothing}
            <button
              type="button"
              class="x danger"
              aria-label=${t('org.scheme.removeCriterion', { n: j + 1 })}
              @click=${() => this.setPart(i, { criteria: part.criteria.filter((_, k) => k !== j) })}
            >
              ×
            </button>
            ${
              // A grade table is set in the workbook; a problem with it (the part no longer uses base values) shows here.
              this.errors[`${base}.${j}.gradeTable`] ? html`<div class="note">${fieldError(this.errors, `${base}.${j}.gradeTable`)}</div>` : nothing
            }
          </div>`,
        )}
        ${part.marking === 'rubric' && part.criteria.length
          ? html`<div class="crit-sum ${c.ok ? 'ok' : 'bad'}" data-testid=${`criteria-total-${i}`} role="status">
              ${t(c.factors ? 'org.scheme.criteriaTotalFactors' : 'org.scheme.criteriaTotal', { sum: c.total, max: part.max || '?' })} ${c.ok ? '✓' : html`— ${t('org.scheme.criteriaShouldEqual')}`}
            </div>`
          : nothing}
        ${
          // The sum line already says what is wrong with the sum; other problems show here.
          part.marking === 'rubric' && !c.ok && part.criteria.length ? nothing : fieldError(this.errors, base)
        }
        <button type="button" style="margin-top:8px" @click=${() => this.setPart(i, { criteria: [...part.criteria, newCriterion(part)] })}>
          + ${t('org.scheme.addCriterion')}
        </button>
      </div>
    `;
  }

  /**
   * The part's less common options behind a "more options" toggle: penalty or score, marks combined
   * per judge or per element, base values; open, the criteria also show their lowest mark and factor.
   */
  private renderMore(part: PartDraft, i: number, open: boolean) {
    const at = `scheme.parts.${i}`;
    const weighted = this.draft.totaling === 'weighted';
    const toggle = html`<div class="more">
      <button
        type="button"
        class="toggle"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls=${`p${i}-more`}
        data-testid=${`more-${i}`}
        @click=${() => this.toggleMore(part, i)}
      >
        <span aria-hidden="true">${open ? '▾' : '▸'}</span> ${t('org.scheme.more')}
      </button>
      ${open ? nothing : html`<span class="muted hint">${t('org.scheme.moreHint')}</span>`}
    </div>`;
    if (!open) return toggle;
    return html`${toggle}
      <div class="more-body" id=${`p${i}-more`} data-testid=${`more-body-${i}`}>
        <div class="field">
          <label for=${`p${i}-kind`}>${t('org.scheme.kind')}</label>
          <select
            id=${`p${i}-kind`}
            aria-invalid=${this.errors[`${at}.kind`] ? 'true' : 'false'}
            @change=${(e: Event) => {
              const kind = (e.target as HTMLSelectElement).value as PartDraft['kind'];
              // A penalty is never weighted: its weight goes to 0 with it.
              this.setPart(i, kind === 'penalty' && weighted ? { kind, weight: '0' } : { kind });
            }}
          >
            ${(['score', 'penalty'] as const).map((k) => html`<option value=${k} ?selected=${part.kind === k}>${t(`org.scheme.kind.${k}`)}</option>`)}
          </select>
          ${part.kind === 'penalty' ? html`<p class="muted note">${t('org.scheme.penaltyHint')}</p>` : nothing}
          ${fieldError(this.errors, `${at}.kind`)}
        </div>
        ${part.marking === 'objective'
          ? nothing
          : html`<div class="field">
              <label for=${`p${i}-aggregateBy`}>${t('org.scheme.aggregateBy')}</label>
              <select
                id=${`p${i}-aggregateBy`}
                ?disabled=${part.panelByCriterion}
                aria-invalid=${this.errors[`${at}.aggregateBy`] ? 'true' : 'false'}
                @change=${(e: Event) => this.setPart(i, { aggregateBy: (e.target as HTMLSelectElement).value as PartDraft['aggregateBy'] })}
              >
                ${(['judge', 'element'] as const).map(
                  (k) => html`<option value=${k} ?selected=${(part.panelByCriterion ? 'element' : part.aggregateBy) === k}>${t(`org.scheme.aggregateBy.${k}`)}</option>`,
                )}
              </select>
              ${part.panelByCriterion
                ? html`<p class="muted note">${t('org.scheme.aggregateByPanel')}</p>`
                : part.aggregateBy === 'element'
                  ? html`<p class="muted note">${t('org.scheme.aggregateByElementHint')}</p>`
                  : nothing}
              ${fieldError(this.errors, `${at}.aggregateBy`)}
            </div>`}
        ${part.marking === 'rubric'
          ? html`<div class="field whole">
              <label class="check">
                <input
                  type="checkbox"
                  data-testid=${`base-values-${i}`}
                  .checked=${part.usesBaseValues}
                  aria-invalid=${this.errors[`${at}.usesBaseValues`] ? 'true' : 'false'}
                  @change=${(e: Event) => {
                    const usesBaseValues = (e.target as HTMLInputElement).checked;
                    // Base values are per element: ticking them combines marks per element too.
                    this.setPart(i, usesBaseValues && !part.panelByCriterion ? { usesBaseValues, aggregateBy: 'element' } : { usesBaseValues });
                  }}
                />
                ${t('org.scheme.usesBaseValues')}
              </label>
              ${fieldError(this.errors, `${at}.usesBaseValues`)}
            </div>`
          : nothing}
      </div>`;
  }

  private renderPart(part: PartDraft, i: number) {
    const weighted = this.draft.totaling === 'weighted';
    const trimmed = part.aggregation === 'trimmed_mean' || part.aggregation === 'trimmed_sum';
    const n = this.draft.parts.length;
    const open = this.isOpen(part, i);
    return html`<fieldset class="part" data-testid=${`part-${i}`}>
      <legend>${t('org.scheme.partN', { n: i + 1 })}</legend>
      <div class="cols">
        <div class="field">
          <label for=${`p${i}-name`}>${t('org.scheme.partName')}</label>
          <input
            id=${`p${i}-name`}
            .value=${part.name}
            aria-invalid=${this.errors[`scheme.parts.${i}.name`] ? 'true' : 'false'}
            @input=${(e: Event) => this.setPart(i, { name: (e.target as HTMLInputElement).value })}
          />
          ${fieldError(this.errors, `scheme.parts.${i}.name`)}
        </div>
        <div class="field">
          <label for=${`p${i}-role`}>${t('org.scheme.role')}</label>
          <select id=${`p${i}-role`} @change=${(e: Event) => this.setPart(i, { role: (e.target as HTMLSelectElement).value as PartDraft['role'] })}>
            ${(['theory', 'practical', 'other'] as const).map((r) => html`<option value=${r} ?selected=${part.role === r}>${t(`org.scheme.role.${r}`)}</option>`)}
          </select>
        </div>
        ${weighted ? this.input(i, 'weight', t('org.scheme.weight'), { suffix: '%', testid: `weight-${i}` }) : nothing}
        ${this.input(i, 'max', t('org.scheme.max'))}
        ${weighted ? nothing : html`<div></div>`}
        <div class="field">
          <label for=${`p${i}-marking`}>${t('org.scheme.marking')}</label>
          <select
            id=${`p${i}-marking`}
            @change=${(e: Event) => {
              const marking = (e.target as HTMLSelectElement).value as PartDraft['marking'];
              const criteria = marking !== 'objective' && part.criteria.length === 0 ? [newCriterion(part, '', part.max)] : part.criteria;
              this.setPart(i, { marking, criteria });
            }}
          >
            ${(['objective', 'rubric', 'deduction'] as const).map((m) => html`<option value=${m} ?selected=${part.marking === m}>${t(`org.scheme.marking.${m}`)}</option>`)}
          </select>
        </div>
        ${this.input(i, 'multiplier', t('org.scheme.multiplier'))}
        <div class="field span2">
          <label class="check" style="margin-top:34px">
            <input type="checkbox" .checked=${part.usesDifficulty} @change=${(e: Event) => this.setPart(i, { usesDifficulty: (e.target as HTMLInputElement).checked })} />
            ${t('org.scheme.difficulty')}
          </label>
          ${part.marking !== 'objective'
            ? html`<label class="check">
                <input
                  type="checkbox"
                  .checked=${part.panelByCriterion}
                  @change=${(e: Event) => this.setPart(i, { panelByCriterion: (e.target as HTMLInputElement).checked })}
                />
                ${t('org.scheme.panelByCriterion')}
              </label>`
            : nothing}
        </div>
      </div>
      ${this.renderMore(part, i, open)} ${this.renderCriteria(part, i, open)}
      ${part.marking === 'objective'
        ? // Staff enter one value per entrant (ranking.service scores it from objective_values):
          // there is no panel whose marks could be combined.
          html`<p class="muted note" data-testid="objective-note-${i}">${t('org.scheme.objectiveNoPanel')}</p>`
        : html`<div class="cols" style="margin-top:4px">
            <div class="field">
              <label for=${`p${i}-agg`}>${t('org.scheme.aggregation')}</label>
              <select id=${`p${i}-agg`} @change=${(e: Event) => this.setPart(i, { aggregation: (e.target as HTMLSelectElement).value as PartDraft['aggregation'] })}>
                ${AGGREGATIONS.map((a) => html`<option value=${a} ?selected=${part.aggregation === a}>${t(`org.scheme.agg.${a}`)}</option>`)}
              </select>
            </div>
            ${trimmed ? this.input(i, 'drop', t('org.scheme.drop'), { mode: 'numeric' }) : nothing}
            ${this.input(i, 'minMarks', t('org.scheme.minMarksLabel'), { mode: 'numeric' })}
            ${this.input(i, 'expectedMarks', t('org.scheme.expectedMarks'), { mode: 'numeric' })}
          </div>`}
      <div class="actions">
        <button type="button" ?disabled=${i === 0} @click=${() => this.movePart(i, -1)} aria-label=${t('org.scheme.moveUp', { n: i + 1 })}>↑</button>
        <button type="button" ?disabled=${i === n - 1} @click=${() => this.movePart(i, 1)} aria-label=${t('org.scheme.moveDown', { n: i + 1 })}>↓</button>
        <button
          type="button"
          class="danger"
          ?disabled=${n <= 1}
          @click=${() =>
            this.emit({
              ...this.draft,
              parts: this.draft.parts.filter((_, j) => j !== i),
              // A tie-break by the removed part goes with it.
              tieBreaks: this.draft.tieBreaks.filter((tb) => tb !== `part:${part.id}`),
            })}
        >
          ${t('org.scheme.removePart')}
        </button>
      </div>
    </fieldset>`;
  }

  /** A tie-break in words: the three fixed ones, or "the higher <part> score" for `part:<id>`. */
  private tieBreakLabel(tb: SchemeDraft['tieBreaks'][number]): string {
    if (!tb.startsWith('part:')) return t(`org.scheme.tb.${tb}`);
    const part = this.draft.parts.find((p) => `part:${p.id}` === tb);
    return t('org.scheme.tb.part', { name: part?.name.trim() || tb.slice(5) });
  }

  private renderTieBreaks() {
    const chosen = this.draft.tieBreaks;
    const set = (tieBreaks: SchemeDraft['tieBreaks']) => this.emit({ ...this.draft, tieBreaks });
    const move = (i: number, by: number) => {
      const list = [...chosen];
      const [x] = list.splice(i, 1);
      list.splice(i + by, 0, x!);
      set(list);
    };
    return html`<fieldset>
      <legend>${t('org.scheme.tieBreaks')}</legend>
      <ol class="tb">
        ${chosen.map(
          (tb, i) => html`<li>
            <span>${i + 1}. ${this.tieBreakLabel(tb)}</span>
            <button type="button" ?disabled=${i === 0} aria-label=${t('org.scheme.moveUp', { n: i + 1 })} @click=${() => move(i, -1)}>↑</button>
            <button type="button" ?disabled=${i === chosen.length - 1} aria-label=${t('org.scheme.moveDown', { n: i + 1 })} @click=${() => move(i, 1)}>↓</button>
            <button type="button" class="danger" aria-label=${t('org.remove')} @click=${() => set(chosen.filter((x) => x !== tb))}>×</button>
          </li>`,
        )}
      </ol>
      ${chosen.length === 0 ? html`<p class="muted" style="margin:4px 0">${t('org.scheme.tbNone')}</p>` : nothing}
      <div class="row" style="margin-top:6px">
        ${[...TIE_BREAKS, ...this.draft.parts.map((p) => `part:${p.id}` as const)]
          .filter((tb) => !chosen.includes(tb))
          .map((tb) => html`<button type="button" data-tie-break=${tb} @click=${() => set([...chosen, tb])}>+ ${this.tieBreakLabel(tb)}</button>`)}
      </div>
    </fieldset>`;
  }

  /** Where and how values are rounded; blank is today's rounding (half up at each panel result). */
  private renderRounding() {
    const d = this.draft;
    return html`<fieldset class="rounding" data-testid="rounding">
      <legend>${t('org.scheme.rounding')}</legend>
      <div class="options2">
        <div class="field">
          <label for="rounding-at">${t('org.scheme.roundingAt')}</label>
          <select
            id="rounding-at"
            aria-invalid=${this.errors['scheme.rounding.at'] ? 'true' : 'false'}
            @change=${(e: Event) => this.emit({ ...d, roundingAt: (e.target as HTMLSelectElement).value as SchemeDraft['roundingAt'] })}
          >
            <option value="" ?selected=${d.roundingAt === ''}>${t('org.scheme.roundingAt.default')}</option>
            ${ROUNDING_AT.map((a) => html`<option value=${a} ?selected=${d.roundingAt === a}>${t(`org.scheme.roundingAt.${a}`)}</option>`)}
          </select>
          ${fieldError(this.errors, 'scheme.rounding.at')}
        </div>
        <div class="field">
          <label for="rounding-mode">${t('org.scheme.roundingMode')}</label>
          <select
            id="rounding-mode"
            aria-invalid=${this.errors['scheme.rounding.mode'] ? 'true' : 'false'}
            @change=${(e: Event) => this.emit({ ...d, roundingMode: (e.target as HTMLSelectElement).value as SchemeDraft['roundingMode'] })}
          >
            <option value="" ?selected=${d.roundingMode === ''}>${t('org.scheme.roundingMode.default')}</option>
            ${ROUNDING_MODES.map((m) => html`<option value=${m} ?selected=${d.roundingMode === m}>${t(`org.scheme.roundingMode.${m}`)}</option>`)}
          </select>
          ${fieldError(this.errors, 'scheme.rounding.mode')}
        </div>
      </div>
      ${fieldError(this.errors, 'scheme.rounding')}
    </fieldset>`;
  }

  override render() {
    const d = this.draft;
    const w = weightTotal(d);
    return html`
      <fieldset>
        <legend>${t('org.scheme.totaling')}</legend>
        <div class="radio-row">
          ${(['weighted', 'raw'] as const).map(
            (k) => html`<label><input type="radio" name="totaling" .checked=${d.totaling === k} @change=${() => this.emit({ ...d, totaling: k })} />${t(`org.scheme.totaling.${k}`)}</label>`,
          )}
        </div>
        ${this.offerPresets
          ? html`<div class="row" style="margin-top:8px">
              <span class="muted">${t('org.scheme.presets')}</span>
              <button type="button" @click=${() => this.emit(presetScheme(30))}>${t('org.scheme.preset', { a: 30, b: 70 })}</button>
              <button type="button" @click=${() => this.emit(presetScheme(20))}>${t('org.scheme.preset', { a: 20, b: 80 })}</button>
            </div>`
          : nothing}
      </fieldset>
      ${d.totaling === 'weighted'
        ? html`<div class="sum ${w.ok ? 'ok' : 'bad'}" role="status" data-testid="weight-total">
            ${w.ok ? `${t('org.scheme.weightTotal', { sum: w.total })} ✓` : (this.errors['scheme.parts'] ?? t('org.scheme.weightsSum', { sum: w.total }))}
          </div>`
        : fieldError(this.errors, 'scheme.parts')}
      ${d.parts.map((p, i) => this.renderPart(p, i))}
      <div class="actions">
        ${(['theory', 'practical', 'other'] as const).map(
          (role) => html`<button type="button" @click=${() => this.emit({ ...d, parts: [...d.parts, newPart(d, role, { name: t(`org.scheme.role.${role}`) })] })}>
            + ${t('org.scheme.addPart', { role: t(`org.scheme.role.${role}`) })}
          </button>`,
        )}
      </div>
      ${this.renderTieBreaks()} ${this.renderRounding()}
      ${hasExtras(d) ? html`<p class="muted" data-testid="scheme-extras">${t('org.scheme.gradeTablesKept')}</p>` : nothing}
    `;
  }
}
