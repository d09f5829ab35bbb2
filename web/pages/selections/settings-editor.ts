import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, staffStyles } from '../people/staff-ui.ts';
import { SelectionChangedEvent } from './nomination-form.ts';
import { fieldText, type Selection, type TitleReward } from './selection-types.ts';

/** Fired (bubbling, composed) when the editor is done: `saved` after a change was stored, false for cancel. */
export class SettingsDoneEvent extends Event {
  static readonly type = 'sc-settings-done';
  constructor(readonly saved: boolean) {
    super(SettingsDoneEvent.type, { bubbles: true, composed: true });
  }
}

type RewardKind = TitleReward['kind'];
type Fields = {
  name: string;
  quota: string;
  rewardKind: RewardKind;
  rewardYuan: string;
  rewardMonths: string;
  nominationAwardYuan: string;
  titleTermYears: string;
  nominationsOpen: string;
  nominationsClose: string;
  reviewBy: string;
  publicityWorkingDays: string;
  namingDate: string;
};
type Key = keyof Fields;

const MAX_YUAN = 10_000_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fieldsOf(s: Selection): Fields {
  return {
    name: s.name,
    quota: s.quota === null ? '' : String(s.quota),
    rewardKind: s.reward.kind,
    rewardYuan: s.reward.kind === 'none' ? '' : String(s.reward.yuan),
    rewardMonths: s.reward.kind === 'monthly' ? String(s.reward.months) : '',
    nominationAwardYuan: s.nominationAwardYuan === null ? '' : String(s.nominationAwardYuan),
    titleTermYears: s.titleTermYears === null ? '' : String(s.titleTermYears),
    nominationsOpen: s.nominationsOpen,
    nominationsClose: s.nominationsClose,
    reviewBy: s.reviewBy ?? '',
    publicityWorkingDays: String(s.publicityWorkingDays),
    namingDate: s.namingDate ?? '',
  };
}

const isInt = (v: string, min: number, max: number) => /^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max;
const isYuan = (v: string) => v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= MAX_YUAN;
const orNull = (v: string) => (v.trim() ? Number(v) : null);

/** Server field names (without `body.`) to the editor's fields. */
const SERVER_FIELDS: Record<string, Key> = {
  name: 'name',
  quota: 'quota',
  reward: 'rewardKind',
  'reward.kind': 'rewardKind',
  'reward.yuan': 'rewardYuan',
  'reward.months': 'rewardMonths',
  nominationAwardYuan: 'nominationAwardYuan',
  titleTermYears: 'titleTermYears',
  nominationsOpen: 'nominationsOpen',
  nominationsClose: 'nominationsClose',
  reviewBy: 'reviewBy',
  publicityWorkingDays: 'publicityWorkingDays',
  namingDate: 'namingDate',
};

/**
 * `<sc-sel-settings>`: a selection's settings changed while it is a draft or taking nominations:
 * the name, the quota (empty for none), the reward (one-off, monthly or none), the nomination
 * award (empty for none), the title's term in years (empty for life) and the timetable. Only the
 * fields changed are sent (`PATCH /api/selections/:id`); a refusal marks the fields the server
 * named and keeps everything as typed.
 *
 * @property selection - the selection as last read
 * @event sc-selection-changed - SelectionChangedEvent after a change was stored (the page reads the selection again)
 * @event sc-settings-done - SettingsDoneEvent: saved, or cancelled (the page closes the editor)
 */
@customElement('sc-sel-settings')
export class SettingsEditor extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      legend {
        font-size: 16px;
        font-weight: 600;
        padding: 0;
        margin: 8px 0 0;
      }
      .grid2 {
        grid-template-columns: repeat(auto-fit, minmax(210px, 1fr));
      }
      .actions {
        margin-top: 16px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) selection: Selection | null = null;
  @state() private f: Fields | null = null;
  @state() private errors: Partial<Record<Key, string>> = {};
  @state() private error: unknown = null;
  @state() private saving = false;
  @state() private unchanged = false;
  private initial: Fields | null = null;

  override willUpdate(changed: Map<string, unknown>): void {
    // Filled once from the selection; later reads (after a refusal) never overwrite what was typed.
    if (changed.has('selection') && this.selection && !this.f) {
      this.initial = fieldsOf(this.selection);
      this.f = { ...this.initial };
    }
  }

  private set(key: Key, value: string) {
    if (!this.f) return;
    this.f = { ...this.f, [key]: value };
    this.unchanged = false;
    if (this.errors[key]) this.errors = { ...this.errors, [key]: '' };
  }

  private check(f: Fields): Partial<Record<Key, string>> {
    const e: Partial<Record<Key, string>> = {};
    if (!f.name.trim()) e.name = t('sel.new.required');
    if (f.quota.trim() && !isInt(f.quota, 1, 10_000)) e.quota = t('sel.new.badQuota');
    if (f.rewardKind !== 'none' && !isYuan(f.rewardYuan)) e.rewardYuan = t('sel.set.badYuan');
    if (f.rewardKind === 'monthly' && !isInt(f.rewardMonths, 1, 600)) e.rewardMonths = t('sel.set.badMonths');
    if (f.nominationAwardYuan.trim() && !isYuan(f.nominationAwardYuan)) e.nominationAwardYuan = t('sel.set.badYuan');
    if (f.titleTermYears.trim() && !isInt(f.titleTermYears, 1, 50)) e.titleTermYears = t('sel.set.badTerm');
    if (!DATE.test(f.nominationsOpen)) e.nominationsOpen = t('sel.new.required');
    if (!DATE.test(f.nominationsClose)) e.nominationsClose = t('sel.new.required');
    else if (DATE.test(f.nominationsOpen) && f.nominationsClose < f.nominationsOpen) e.nominationsClose = t('sel.new.closeBeforeOpen');
    if (f.reviewBy && !DATE.test(f.reviewBy)) e.reviewBy = t('sel.field.invalid');
    if (f.namingDate && !DATE.test(f.namingDate)) e.namingDate = t('sel.field.invalid');
    if (!isInt(f.publicityWorkingDays, 1, 30)) e.publicityWorkingDays = t('sel.set.badDays');
    return e;
  }

  private reward(f: Fields): TitleReward {
    if (f.rewardKind === 'one_off') return { kind: 'one_off', yuan: Number(f.rewardYuan) };
    if (f.rewardKind === 'monthly') return { kind: 'monthly', yuan: Number(f.rewardYuan), months: Number(f.rewardMonths) };
    return { kind: 'none' };
  }

  /** The changed fields only, as the API takes them. */
  private patch(f: Fields, was: Fields): Record<string, unknown> {
    const p: Record<string, unknown> = {};
    const changed = (k: Key) => f[k].trim() !== was[k].trim();
    if (changed('name')) p.name = f.name.trim();
    if (changed('quota')) p.quota = orNull(f.quota);
    if (changed('rewardKind') || (f.rewardKind !== 'none' && changed('rewardYuan')) || (f.rewardKind === 'monthly' && changed('rewardMonths'))) p.reward = this.reward(f);
    if (changed('nominationAwardYuan')) p.nominationAwardYuan = orNull(f.nominationAwardYuan);
    if (changed('titleTermYears')) p.titleTermYears = orNull(f.titleTermYears);
    if (changed('nominationsOpen')) p.nominationsOpen = f.nominationsOpen;
    if (changed('nominationsClose')) p.nominationsClose = f.nominationsClose;
    if (changed('reviewBy')) p.reviewBy = f.reviewBy || null;
    if (changed('publicityWorkingDays')) p.publicityWorkingDays = Number(f.publicityWorkingDays);
    if (changed('namingDate')) p.namingDate = f.namingDate || null;
    return p;
  }

  private async save(e: Event) {
    e.preventDefault();
    const f = this.f;
    const sel = this.selection;
    if (!f || !sel || !this.initial || this.saving) return;
    this.error = null;
    const errors = this.check(f);
    this.errors = errors;
    if (Object.keys(errors).length) return;
    const body = this.patch(f, this.initial);
    if (!Object.keys(body).length) {
      this.unchanged = true;
      return;
    }
    this.saving = true;
    try {
      await api<Selection>('PATCH', `/api/selections/${sel.id}`, body);
      this.dispatchEvent(new SelectionChangedEvent());
      this.dispatchEvent(new SettingsDoneEvent(true));
    } catch (err) {
      // Everything typed stays; the fields the server named are marked beside them.
      const named = fieldErrorsOf(err);
      const mapped: Partial<Record<Key, string>> = {};
      for (const [field, message] of Object.entries(named)) {
        const key = SERVER_FIELDS[field] ?? SERVER_FIELDS[field.split('.')[0]!];
        if (key) mapped[key] ??= key === 'nominationsClose' && /nominationsOpen/.test(message) ? t('sel.new.closeBeforeOpen') : key === 'name' ? t('sel.set.badName') : (fieldText(message) ?? '');
      }
      this.errors = mapped;
      this.error = Object.keys(mapped).length && err instanceof ApiError && err.code === 'validation_failed' ? null : err;
    } finally {
      this.saving = false;
    }
  }

  private input(key: Key, label: string, opts: { type?: string; inputmode?: string; hint?: string } = {}) {
    const f = this.f!;
    const err = this.errors[key];
    return html`<div class="field">
      <label for="set-${key}">${label}</label>
      <input
        id="set-${key}"
        name=${key}
        type=${opts.type ?? 'text'}
        inputmode=${opts.inputmode ?? nothing}
        .value=${f[key]}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${err ? `err-set-${key}` : opts.hint ? `hint-set-${key}` : nothing}
        data-testid="set-${key}"
        @input=${(e: InputEvent) => this.set(key, (e.target as HTMLInputElement).value)}
      />
      ${opts.hint && !err ? html`<div class="hint" id="hint-set-${key}">${opts.hint}</div>` : nothing} ${fieldError(err, `err-set-${key}`)}
    </div>`;
  }

  override render() {
    const f = this.f;
    if (!f) return nothing;
    const kindErr = this.errors.rewardKind;
    return html`<form class="stack" @submit=${this.save} novalidate data-testid="settings-form">
      ${errorBanner(this.error)}
      ${this.unchanged ? html`<div class="banner warn-banner" role="status" data-testid="settings-unchanged">${t('sel.set.unchanged')}</div>` : nothing}
      <fieldset>
        <legend>${t('sel.set.basics')}</legend>
        <div class="grid2">
          ${this.input('name', t('sel.new.name'))} ${this.input('quota', t('sel.new.quota'), { inputmode: 'numeric', hint: t('sel.new.quotaHint') })}
          ${this.input('titleTermYears', t('sel.set.termYears'), { inputmode: 'numeric', hint: t('sel.set.termHint') })}
        </div>
      </fieldset>
      <fieldset>
        <legend>${t('sel.reward')}</legend>
        <div class="grid2">
          <div class="field">
            <label for="set-rewardKind">${t('sel.set.rewardKind')}</label>
            <select
              id="set-rewardKind"
              data-testid="set-rewardKind"
              aria-invalid=${kindErr ? 'true' : 'false'}
              @change=${(e: Event) => this.set('rewardKind', (e.target as HTMLSelectElement).value)}
            >
              ${(['one_off', 'monthly', 'none'] as const).map((k) => html`<option value=${k} ?selected=${f.rewardKind === k}>${t(`sel.set.kind.${k}`)}</option>`)}
            </select>
            ${fieldError(kindErr, 'err-set-rewardKind')}
          </div>
          ${f.rewardKind === 'none'
            ? nothing
            : this.input('rewardYuan', f.rewardKind === 'monthly' ? t('sel.set.monthlyYuan') : t('sel.set.oneOffYuan'), { inputmode: 'decimal' })}
          ${f.rewardKind === 'monthly' ? this.input('rewardMonths', t('sel.set.months'), { inputmode: 'numeric' }) : nothing}
          ${this.input('nominationAwardYuan', t('sel.set.nominationAward'), { inputmode: 'decimal', hint: t('sel.set.nominationAwardHint') })}
        </div>
      </fieldset>
      <fieldset>
        <legend>${t('sel.timetable')}</legend>
        <div class="grid2">
          ${this.input('nominationsOpen', t('sel.new.open'), { type: 'date' })} ${this.input('nominationsClose', t('sel.new.close'), { type: 'date' })}
          ${this.input('reviewBy', t('sel.set.reviewBy'), { type: 'date', hint: t('sel.set.optional') })}
          ${this.input('publicityWorkingDays', t('sel.new.publicityDays'), { inputmode: 'numeric' })}
          ${this.input('namingDate', t('sel.set.namingDate'), { type: 'date', hint: t('sel.set.namingHint') })}
        </div>
      </fieldset>
      <div class="row actions">
        <button type="submit" class="primary" ?disabled=${this.saving} data-testid="settings-save">${this.saving ? t('sel.titles.saving') : t('sel.set.save')}</button>
        <button type="button" ?disabled=${this.saving} data-testid="settings-cancel" @click=${() => this.dispatchEvent(new SettingsDoneEvent(false))}>${t('app.cancel')}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-sel-settings': SettingsEditor;
  }
}
