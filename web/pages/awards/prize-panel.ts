import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/awards.ts';
import '../../i18n/release-rules.ts';
import '../../i18n/teams.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { prizeRuleSchema, type PrizeTieRule } from '../../../server/contracts/awards.ts';
// The server's own allocation (pure, no I/O): the live preview is exactly what "award" will store.
import { allocatePrizes, type PrizeAllocation, type EntryPrize } from '../../../server/domain/awards/prizes.ts';
import { errorBanner, staffStyles, yuan } from '../people/staff-ui.ts';
import { AwardsChangedEvent, type AwardedPrize, type Presets, type PrizePreview, type PrizeRule, type Publication, type ScEvent, type StaffRanking } from './awards-types.ts';

type Basis = 'share' | 'count';
/** `min`: the tier's minimum score (分数线) as typed; empty for none. */
type DraftTier = { label: string; value: string; money: string; min: string };
type Draft = { basis: Basis; tiers: DraftTier[]; rounding: 'cumulative' | 'per_tier'; ties: PrizeTieRule };

const TIES: PrizeTieRule[] = ['include', 'exclude', 'expand'];
const MAX_TIERS = 6;
const DEFAULT_LABELS = ['一等奖', '二等奖', '三等奖', '四等奖', '优胜奖', '鼓励奖'];

function draftOf(rule: PrizeRule): Draft {
  return {
    basis: rule.basis,
    tiers: rule.tiers.map((tier) => ({
      label: tier.label,
      value: String('percent' in tier ? tier.percent : tier.count),
      money: String(tier.moneyYuan ?? 0),
      min: tier.minScore != null ? String(tier.minScore) : '',
    })),
    rounding: rule.basis === 'share' ? rule.rounding : 'cumulative',
    ties: rule.ties,
  };
}

/** The draft as the rule the server would store, or the problems by field (`tiers.0.value`). */
function ruleOf(d: Draft): { rule: PrizeRule; errors: null } | { rule: null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  d.tiers.forEach((tier, i) => {
    if (!tier.label.trim()) errors[`tiers.${i}.label`] = t('aw.ap.required');
    const v = Number(tier.value);
    if (tier.value.trim() === '' || !Number.isFinite(v) || (d.basis === 'share' ? v <= 0 || v > 100 : v < 0 || !Number.isInteger(v)))
      errors[`tiers.${i}.value`] = d.basis === 'share' ? '0–100' : '≥ 0';
    const m = Number(tier.money || 0);
    if (!Number.isFinite(m) || m < 0) errors[`tiers.${i}.money`] = '≥ 0';
    const min = Number(tier.min);
    if (tier.min.trim() !== '' && (!Number.isFinite(min) || min < 0)) errors[`tiers.${i}.min`] = '≥ 0';
  });
  if (Object.keys(errors).length) return { rule: null, errors };
  const tiers = d.tiers.map((tier) => ({
    label: tier.label.trim(),
    ...(d.basis === 'share' ? { percent: Number(tier.value) } : { count: Number(tier.value) }),
    moneyYuan: Number(tier.money || 0),
    ...(tier.min.trim() !== '' ? { minScore: Number(tier.min) } : {}),
  }));
  const parsed = prizeRuleSchema.safeParse(d.basis === 'share' ? { basis: 'share', tiers, rounding: d.rounding, ties: d.ties } : { basis: 'count', tiers, ties: d.ties });
  if (parsed.success) return { rule: parsed.data, errors: null };
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String);
    const field = (p: string) => (p === 'label' ? 'label' : p === 'moneyYuan' ? 'money' : p === 'minScore' ? 'min' : 'value');
    const key = path[0] === 'tiers' && path[2] ? `tiers.${path[1]}.${field(path[2])}` : path.join('.') || 'rule';
    errors[key] ??= path[2] === 'minScore' ? t('aw.line.notAbove') : issue.message;
  }
  return { rule: null, errors };
}

/**
 * Prizes for one event: the rule (by share of entrants or by fixed counts, with money per prize
 * and the tie rule at a boundary; presets), a live preview on the event's ranking as you edit,
 * saving the rule, awarding on released results, and what was awarded (with the printable
 * certificates).
 */
@customElement('sc-aw-prizes')
export class PrizePanel extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
        margin: 0;
      }
      .grid {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 16px;
      }
      @media (min-width: 1000px) {
        .grid {
          grid-template-columns: minmax(0, 5fr) minmax(0, 7fr);
          align-items: start;
        }
      }
      /* Beside the editor on a landscape tablet the preview drops the team column. */
      @media (min-width: 1000px) and (max-width: 1279px) {
        .wide-only {
          display: none;
        }
      }
      @media (max-width: 800px) {
        .wide-only {
          display: none;
        }
      }
      .presets button {
        padding: 0 12px;
        font-size: 15px;
      }
      td.name {
        white-space: nowrap;
      }
      .presets {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      .seg {
        display: inline-flex;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
        overflow: hidden;
      }
      .seg button {
        border: none;
        border-radius: 0;
      }
      .seg button[aria-pressed='true'] {
        background: var(--sc-accent);
        color: #fff;
      }
      .tiers {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1.2fr) minmax(0, 1.4fr) minmax(0, 1.2fr) auto;
        gap: 6px 8px;
        align-items: start;
        margin-top: 8px;
      }
      .tiers .th {
        color: var(--sc-muted);
        font-size: 13px;
      }
      .tiers input {
        width: 100%;
      }
      .radios label {
        display: flex;
        align-items: flex-start;
        gap: 10px;
        min-height: 44px;
        margin: 4px 0;
        padding: 10px 12px;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
        color: var(--sc-fg);
        cursor: pointer;
      }
      .radios label:has(input:checked) {
        border-color: var(--sc-accent);
        background: #fff7f8;
      }
      .radios input {
        min-height: 0;
        width: 18px;
        height: 18px;
        margin-top: 2px;
        flex: none;
      }
      .summary {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-bottom: 8px;
      }
      .tier-chip {
        background: #f3f5f8;
        border-radius: 8px;
        padding: 6px 10px;
        font-size: 14px;
      }
      .tier-chip b {
        color: var(--sc-accent);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-top: 16px;
      }
      td.prize {
        font-weight: 600;
        color: var(--sc-accent);
        white-space: nowrap;
      }
      tr.tied td {
        background: #fff8ec;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  @property({ attribute: false }) event: ScEvent | null = null;
  @property({ attribute: false }) publication: Publication | null = null;
  @property({ attribute: false }) presets: Presets | null = null;
  @property({ type: Boolean }) manage = false;
  @property({ type: Number }) revision = 0;

  @state() private draft: Draft | null = null;
  @state() private saved = '';
  @state() private ranking: StaffRanking | null = null;
  @state() private teamAwards: PrizePreview['teamAwards'] = [];
  @state() private awarded: AwardedPrize[] | null = null;
  @state() private notice = '';
  @state() private error: unknown = null;
  @state() private busy = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('event') && this.event) {
      this.draft = null;
      this.notice = '';
      void this.load();
    } else if (changed.has('revision') && this.event) void this.loadRanking();
  }

  private async load() {
    const id = this.event!.id;
    this.error = null;
    try {
      const [preview] = await Promise.all([api<PrizePreview>('GET', `/api/events/${id}/prizes/preview`), this.loadRanking(), this.loadAwarded()]);
      this.draft = draftOf(preview.rule);
      this.saved = JSON.stringify(ruleOf(this.draft).rule);
      this.teamAwards = preview.teamAwards;
    } catch (err) {
      this.error = err;
    }
  }

  private async loadRanking() {
    this.ranking = await api<StaffRanking>('GET', `/api/events/${this.event!.id}/ranking`);
  }

  private async loadAwarded() {
    this.awarded = await api<AwardedPrize[]>('GET', `/api/events/${this.event!.id}/prizes`);
  }

  private get final(): boolean {
    return this.publication?.stage === 'final';
  }

  private edit(patch: Partial<Draft>) {
    if (!this.draft) return;
    this.draft = { ...this.draft, ...patch };
    this.notice = '';
  }

  private editTier(i: number, patch: Partial<DraftTier>) {
    if (!this.draft) return;
    this.edit({ tiers: this.draft.tiers.map((tier, j) => (j === i ? { ...tier, ...patch } : tier)) });
  }

  private setBasis(basis: Basis) {
    if (!this.draft || this.draft.basis === basis) return;
    // Sensible numbers for the other basis: the notices' 10/20/30 % or 1/2/3 places.
    const defaults = basis === 'share' ? ['10', '20', '30', '10', '10', '10'] : ['1', '2', '3', '3', '3', '3'];
    this.edit({ basis, tiers: this.draft.tiers.map((tier, i) => ({ ...tier, value: defaults[i] ?? '1' })) });
  }

  private async save() {
    const parsed = this.draft && ruleOf(this.draft);
    if (!parsed?.rule) return;
    this.busy = true;
    this.error = null;
    try {
      await api<PrizeRule>('PUT', `/api/events/${this.event!.id}/prize-rule`, parsed.rule);
      this.saved = JSON.stringify(parsed.rule);
      this.notice = t('aw.pr.saved');
      const preview = await api<PrizePreview>('GET', `/api/events/${this.event!.id}/prizes/preview`);
      this.teamAwards = preview.teamAwards;
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private async award() {
    this.busy = true;
    this.error = null;
    try {
      const before = new Set((this.awarded ?? []).map((a) => a.id));
      this.awarded = await api<AwardedPrize[]>('POST', `/api/events/${this.event!.id}/prizes`);
      const n = this.awarded.filter((a) => a.entryId !== null).length;
      // Awarding again keeps a prize that stays with its holder (and its certificate number): say so.
      const kept = this.awarded.filter((a) => before.has(a.id)).length;
      this.notice = before.size ? t('aw.pr.reawardedNow', { n, kept, renewed: this.awarded.length - kept }) : t('aw.pr.awardedNow', { n });
      this.dispatchEvent(new AwardsChangedEvent());
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private presetLabel(key: string, rule: PrizeRule): string {
    const k = `aw.preset.${key}`;
    const known = t(k);
    if (known !== k) return known;
    return rule.tiers.map((tier) => ('percent' in tier ? `${tier.percent}%` : tier.count)).join(' / ');
  }

  private renderEditor(d: Draft, errors: Record<string, string>) {
    const ro = !this.manage || this.final;
    const dirty = JSON.stringify(ruleOf(d).rule) !== this.saved;
    return html`<section class="card" data-testid="prize-rule">
      <h2>${t('aw.pr.rule')}</h2>
      ${this.final ? html`<p class="banner warn-banner">${t('aw.pr.finalNote')}</p>` : nothing}
      ${this.presets && !ro
        ? html`<div class="muted" style="margin-bottom:6px">${t('aw.pr.presets')}</div>
            <div class="presets">
              ${this.presets.prizeRules.map(
                (p) => html`<button @click=${() => this.edit(draftOf(p.rule))} data-testid="preset-${p.key}">${this.presetLabel(p.key, p.rule)}</button>`,
              )}
            </div>`
        : nothing}
      <label>${t('aw.pr.basis')}</label>
      <div class="seg" role="group" aria-label=${t('aw.pr.basis')}>
        ${(['share', 'count'] as const).map(
          (b) => html`<button aria-pressed=${d.basis === b ? 'true' : 'false'} ?disabled=${ro} @click=${() => this.setBasis(b)} data-testid="basis-${b}">${t(`aw.pr.basis.${b}`)}</button>`,
        )}
      </div>
      <div class="tiers" data-testid="tiers">
        <span class="th">${t('aw.pr.tier')}</span><span class="th">${d.basis === 'share' ? t('aw.pr.percent') : t('aw.pr.count')}</span
        ><span class="th">${t('aw.pr.money')}</span><span class="th" title=${t('aw.line.hint')}>${t('aw.line.min')}</span><span></span>
        ${d.tiers.map(
          (tier, i) => html`
            <div>
              <input aria-label="${t('aw.pr.tier')} ${i + 1}" .value=${tier.label} ?disabled=${ro} maxlength="20" aria-invalid=${errors[`tiers.${i}.label`] ? 'true' : 'false'} @input=${(e: InputEvent) => this.editTier(i, { label: (e.target as HTMLInputElement).value })} />
              ${errors[`tiers.${i}.label`] ? html`<div class="field-error">${errors[`tiers.${i}.label`]}</div>` : nothing}
            </div>
            <div>
              <input
                aria-label="${d.basis === 'share' ? t('aw.pr.percent') : t('aw.pr.count')} ${tier.label}"
                inputmode="decimal"
                .value=${tier.value}
                ?disabled=${ro}
                data-testid="tier-value-${i}"
                aria-invalid=${errors[`tiers.${i}.value`] ? 'true' : 'false'}
                @input=${(e: InputEvent) => this.editTier(i, { value: (e.target as HTMLInputElement).value })}
              />
              ${errors[`tiers.${i}.value`] ? html`<div class="field-error">${errors[`tiers.${i}.value`]}</div>` : nothing}
            </div>
            <div>
              <input
                aria-label="${t('aw.pr.money')} ${tier.label}"
                inputmode="decimal"
                .value=${tier.money}
                ?disabled=${ro}
                aria-invalid=${errors[`tiers.${i}.money`] ? 'true' : 'false'}
                @input=${(e: InputEvent) => this.editTier(i, { money: (e.target as HTMLInputElement).value })}
              />
              ${errors[`tiers.${i}.money`] ? html`<div class="field-error">${errors[`tiers.${i}.money`]}</div>` : nothing}
            </div>
            <div>
              <input
                aria-label="${t('aw.line.min')} ${tier.label}"
                inputmode="decimal"
                placeholder=${t('aw.line.none')}
                .value=${tier.min}
                ?disabled=${ro}
                data-testid="tier-min-${i}"
                aria-invalid=${errors[`tiers.${i}.min`] ? 'true' : 'false'}
                @input=${(e: InputEvent) => this.editTier(i, { min: (e.target as HTMLInputElement).value })}
              />
              ${errors[`tiers.${i}.min`] ? html`<div class="field-error">${errors[`tiers.${i}.min`]}</div>` : nothing}
            </div>
            <button aria-label="${t('aw.pr.removeTier')} ${tier.label}" title=${t('aw.pr.removeTier')} ?disabled=${ro || d.tiers.length <= 1} @click=${() => this.edit({ tiers: d.tiers.filter((_, j) => j !== i) })}>✕</button>
          `,
        )}
      </div>
      ${errors.tiers || errors.rule ? html`<div class="field-error" role="alert">${errors.tiers ?? errors.rule}</div>` : nothing}
      <p class="muted" style="font-size:13px;margin:6px 0 0">${t('aw.line.hint')}</p>
      ${ro
        ? nothing
        : html`<button
            style="margin-top:8px"
            ?disabled=${d.tiers.length >= MAX_TIERS}
            @click=${() => this.edit({ tiers: [...d.tiers, { label: DEFAULT_LABELS[d.tiers.length] ?? '', value: d.basis === 'share' ? '10' : '1', money: '0', min: '' }] })}
          >
            + ${t('aw.pr.addTier')}
          </button>`}
      ${d.basis === 'share'
        ? html`<label for="rounding">${t('aw.pr.rounding')}</label>
            <select id="rounding" ?disabled=${ro} @change=${(e: Event) => this.edit({ rounding: (e.target as HTMLSelectElement).value as Draft['rounding'] })}>
              ${(['cumulative', 'per_tier'] as const).map((r) => html`<option value=${r} ?selected=${d.rounding === r}>${t(`aw.pr.rounding.${r}`)}</option>`)}
            </select>`
        : nothing}
      <fieldset class="radios" style="border:none;padding:0;margin:12px 0 0">
        <legend class="muted">${t('aw.pr.ties')}</legend>
        ${TIES.map(
          (tie) => html`<label>
            <input type="radio" name="ties" value=${tie} .checked=${d.ties === tie} ?disabled=${ro} @change=${() => this.edit({ ties: tie })} />
            <span>${t(`aw.pr.ties.${tie}`)}</span>
          </label>`,
        )}
      </fieldset>
      ${ro
        ? nothing
        : html`<div class="actions">
            <button class="primary" ?disabled=${!dirty || this.busy || Object.keys(errors).length > 0} @click=${this.save} data-testid="prize-save">${t('aw.pr.save')}</button>
            ${dirty ? html`<span class="muted">${t('aw.pr.unsaved')}</span>` : nothing}
          </div>`}
    </section>`;
  }

  private renderPreview(allocation: PrizeAllocation<EntryPrize> | null) {
    const rows = new Map((this.ranking?.staffRows ?? []).map((r) => [r.entryId, r]));
    const dirty = this.draft ? JSON.stringify(ruleOf(this.draft).rule) !== this.saved : false;
    const released = !!this.event?.releasedAt;
    return html`<section class="card" data-testid="prize-preview">
      <h2>${t('aw.pr.preview')}</h2>
      ${!allocation
        ? html`<p class="muted">${this.ranking ? '—' : t('app.loading')}</p>`
        : html`
            <div class="summary">
              <span class="tier-chip">${t('aw.pr.ranked', { n: allocation.rankedEntrants })}</span>
              ${allocation.tiers.map(
                (tier) => html`<span class="tier-chip"><b>${tier.label}</b> ${t('aw.pr.places', { places: tier.places, awarded: tier.awarded })}</span>`,
              )}
              <span class="tier-chip">${t('aw.pr.totalMoney', { n: yuan(allocation.totalYuan) })}</span>
            </div>
            ${allocation.provisional ? html`<p class="banner warn-banner">${t('aw.pr.provisional')}</p>` : nothing}
            ${allocation.boundaryTies.map((tie) => html`<p class="muted">⚠ ${t('aw.pr.tiedNote', { rank: tie.rank })}</p>`)}
            ${this.renderLineChanges(allocation, rows)}
            ${allocation.awards.length === 0
              ? html`<p class="empty">${t('aw.pr.noAwards')}</p>`
              : html`<div class="table-wrap">
                  <table data-testid="preview-table">
                    <thead>
                      <tr>
                        <th>${t('aw.col.rank')}</th>
                        <th>${t('aw.col.number')}</th>
                        <th>${t('aw.pr.col.name')}</th>
                        <th class="wide-only">${t('aw.pr.col.delegation')}</th>
                        <th class="num">${t('aw.col.total')}</th>
                        <th>${t('aw.pr.col.prize')}</th>
                        <th class="num">${t('aw.pr.col.money')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${allocation.awards.map((a) => {
                        const r = rows.get(a.entryId);
                        return html`<tr class=${a.tiedAtBoundary ? 'tied' : ''}>
                          <td>${a.rank}</td>
                          <td>${r?.number ?? '—'}</td>
                          <td class="name">${r?.name ?? ''}</td>
                          <td class="wide-only">${r?.delegation ?? '—'}</td>
                          <td class="num">${r ? r.total.toFixed(2) : ''}</td>
                          <td class="prize">${a.label}</td>
                          <td class="num">${a.moneyYuan ? yuan(a.moneyYuan) : '—'}</td>
                        </tr>`;
                      })}
                    </tbody>
                  </table>
                </div>`}
            ${this.teamAwards.length && !dirty
              ? html`<h3>${t('aw.pr.teams')}</h3>
                  <ul>
                    ${this.teamAwards.map((a) => html`<li>${a.label}：${a.delegation}（${t('aw.col.rank')} ${a.rank}）</li>`)}
                  </ul>`
              : nothing}
          `}
      ${this.manage
        ? html`<div class="actions">
            <button class="primary" ?disabled=${!released || dirty || this.busy || !this.publication?.awardsAllowed} @click=${this.award} data-testid="prize-award">${t(this.awarded?.length ? 'aw.pr.reaward' : 'aw.pr.award')}</button>
            <span class="muted" data-testid="award-gate">${dirty
              ? t('aw.pr.saveFirst')
              : !released
                ? t('ui.err.not_released')
                : this.publication?.awardsBlockedBy
                  ? t(`aw.gate.${this.publication.awardsBlockedBy}`)
                  : t(this.awarded?.length ? 'aw.pr.reawardHint' : 'aw.pr.awardHint')}</span>
          </div>`
        : nothing}
    </section>`;
  }

  /** Why a tier's minimum score moved someone: below which line, and the prize they got instead (or none). */
  private lineReason(change: PrizeAllocation<EntryPrize>['lineChanges'][number], labels: readonly string[]): string {
    const got = change.tier === null ? t('aw.line.noPrize') : labels[change.tier - 1]!;
    if (change.missed.length === 0) return t('aw.line.displaced', { tier: change.placeTier ? labels[change.placeTier - 1]! : '', got });
    const lines = change.missed.map((m) => t('aw.line.belowOne', { tier: labels[m.tier - 1]!, min: m.minScore.toFixed(2) })).join('、');
    return t('aw.line.below', { total: change.total?.toFixed(2) ?? '—', lines, got });
  }

  private renderLineChanges(allocation: PrizeAllocation<EntryPrize>, rows: Map<number, StaffRanking['staffRows'][number]>) {
    if (allocation.lineChanges.length === 0) return nothing;
    const labels = allocation.tiers.map((tier) => tier.label);
    return html`<div class="banner warn-banner" data-testid="line-changes">
      <strong>${t('aw.line.title', { n: allocation.lineChanges.length })}</strong>
      <ul style="margin:4px 0 0;padding-left:20px">
        ${allocation.lineChanges.map((c) => {
          const r = rows.get(c.id);
          return html`<li>${t('aw.col.number')} ${r?.number ?? '—'} ${r?.name ?? ''}：${this.lineReason(c, labels)}</li>`;
        })}
      </ul>
    </div>`;
  }

  private renderAwarded() {
    const list = this.awarded;
    return html`<section class="card" data-testid="awarded">
      <h2>${t('aw.pr.awarded')}</h2>
      ${!list
        ? html`<p class="muted">${t('app.loading')}</p>`
        : list.length === 0
          ? html`<p class="empty">${t('aw.pr.awardedNone')}</p>`
          : html`<div class="table-wrap">
              <table data-testid="awarded-table">
                <thead>
                  <tr>
                    <th>${t('aw.pr.col.prize')}</th>
                    <th>${t('aw.col.rank')}</th>
                    <th>${t('aw.pr.col.name')}</th>
                    <th class="num">${t('aw.pr.col.money')}</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${list.map(
                    (p) => html`<tr>
                      <td class="prize">${p.label}</td>
                      <td>${p.rank ?? '—'}</td>
                      <td>${p.name ?? p.delegation ?? '—'}${p.note ? html`<div class="muted" style="font-size:13px" data-testid="prize-note">${p.note}</div>` : nothing}</td>
                      <td class="num">${p.moneyYuan ? yuan(p.moneyYuan) : '—'}</td>
                      <td><a class="tap" href="/award/${p.id}">${t('aw.pr.certificate')}</a></td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
    </section>`;
  }

  override render() {
    const d = this.draft;
    const parsed = d ? ruleOf(d) : null;
    // With totals, the tiers' minimum scores apply as the server applies them.
    const candidates = (this.ranking?.staffRows ?? []).map((r) => ({ entryId: r.entryId, rank: r.rank, status: r.status, provisional: r.provisional, total: r.total }));
    const allocation = parsed?.rule && this.ranking ? allocatePrizes(candidates, parsed.rule) : null;
    return html`
      ${this.notice ? html`<div class="banner ok-banner" role="status" data-testid="prize-notice">${this.notice}</div>` : nothing} ${errorBanner(this.error)}
      <div class="grid">
        ${d ? this.renderEditor(d, parsed?.errors ?? {}) : html`<p class="muted">${t('app.loading')}</p>`}
        <div class="stack">${this.renderPreview(allocation)} ${this.renderAwarded()}</div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-aw-prizes': PrizePanel;
  }
}
