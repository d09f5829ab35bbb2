import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/awards.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, levelText, staffStyles, yuan } from '../people/staff-ui.ts';
import type { Presets, TitleRuleRow, TitleRuleSet, TitleType } from './awards-types.ts';

const LEVELS = ['county', 'city', 'province', 'national'] as const;

/**
 * Title rules and title types: the rule sets in force (own and inherited from higher bodies),
 * switching one's own on or off, installing a preset (Feixi, Anhui 2023, Tianjin 2024,
 * national), and the title types with their level, conferring bodies and reward.
 */
@customElement('sc-aw-rules')
export class RulesPanel extends LitElement {
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
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
          align-items: start;
        }
      }
      .set {
        border-bottom: 1px solid var(--sc-line);
        padding: 10px 0;
      }
      .set:last-child {
        border-bottom: none;
      }
      .set .head {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      .set .name {
        font-weight: 600;
      }
      ul.rules {
        margin: 4px 0 0;
        padding-left: 20px;
        font-size: 14px;
        line-height: 1.6;
      }
      ul.rules .note {
        color: var(--sc-muted);
      }
      .switch {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        min-height: 44px;
        margin: 0;
        color: var(--sc-fg);
        cursor: pointer;
      }
      .switch input {
        appearance: none;
        width: 48px;
        height: 28px;
        min-height: 0;
        padding: 0;
        border-radius: 14px;
        background: var(--sc-line);
        position: relative;
        cursor: pointer;
        border: none;
      }
      .switch input::after {
        content: '';
        position: absolute;
        top: 3px;
        left: 3px;
        width: 22px;
        height: 22px;
        border-radius: 50%;
        background: #fff;
        transition: left 0.15s;
      }
      .switch input:checked {
        background: var(--sc-ok);
      }
      .switch input:checked::after {
        left: 23px;
      }
      .switch input:disabled {
        opacity: 0.5;
        cursor: default;
      }
      textarea {
        width: 100%;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  @property({ attribute: false }) presets: Presets | null = null;
  @property({ type: Number }) orgId = 0;
  @property({ type: Boolean }) manage = false;

  @state() private rules: TitleRuleRow[] | null = null;
  @state() private types: TitleType[] | null = null;
  @state() private typeErrors: Record<string, string> = {};
  @state() private error: unknown = null;
  @state() private notice = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      [this.rules, this.types] = await Promise.all([api<TitleRuleRow[]>('GET', '/api/title-rules'), api<TitleType[]>('GET', '/api/title-types')]);
    } catch (err) {
      this.error = err;
    }
  }

  private async install(set: TitleRuleSet) {
    this.error = null;
    try {
      await api('POST', '/api/title-rules', { presetKey: set.key });
      await this.load();
      this.notice = t('aw.ru.installedNow', { name: set.name });
    } catch (err) {
      this.error = err;
    }
  }

  private async toggle(row: TitleRuleRow, active: boolean) {
    this.error = null;
    try {
      const after = await api<TitleRuleRow>('PATCH', `/api/title-rules/${row.id}`, { active });
      this.rules = (this.rules ?? []).map((r) => (r.id === row.id ? after : r));
    } catch (err) {
      this.error = err;
      await this.load();
    }
  }

  private async addType(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const v = (k: string) => String(d.get(k) ?? '').trim();
    const errors: Record<string, string> = {};
    if (!/^[a-z0-9_]{1,60}$/.test(v('key'))) errors.key = v('key') ? t('aw.ru.keyFormat') : t('aw.ru.required');
    if (!v('name')) errors.name = t('aw.ru.required');
    const bodies = v('bodies')
      .split(/[,，、;；\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (bodies.length === 0) errors.conferringBodies = t('aw.ru.required');
    this.typeErrors = errors;
    if (Object.keys(errors).length) return;
    try {
      await api('POST', '/api/title-types', { key: v('key'), name: v('name'), level: v('level'), conferringBodies: bodies, rewardYuan: Number(v('reward') || 0) });
      form.reset();
      await this.load();
      this.notice = t('aw.ru.added');
    } catch (err) {
      this.error = err;
      this.typeErrors = fieldErrorsOf(err);
    }
  }

  private describe(set: TitleRuleSet) {
    return html`<ul class="rules">
      ${set.rules.map(
        (rule) => html`<li>
          ${rule.name}：${rule.then
            .map((a) =>
              a.kind === 'title'
                ? t('aw.act.title', { name: a.titleName })
                : a.kind === 'recommendation'
                  ? t(a.firstInLine ? 'aw.act.firstInLine' : 'aw.act.recommendation', { name: a.titleName })
                  : a.to === 'one_up'
                    ? t('aw.act.promotionUp')
                    : t('aw.act.promotion', { level: levelText(a.to) }),
            )
            .join('；')}
          ${rule.note ? html`<div class="note">${rule.note}</div>` : nothing}
        </li>`,
      )}
    </ul>`;
  }

  private renderSets() {
    const rows = this.rules;
    return html`<section class="card" data-testid="rule-sets">
      <h2>${t('aw.ru.sets')}</h2>
      ${!rows
        ? html`<p class="muted">${t('app.loading')}</p>`
        : rows.length === 0
          ? html`<p class="empty">${t('aw.ru.setsNone')}</p>`
          : rows.map((row) => {
              const own = row.orgId === this.orgId;
              return html`<div class="set" data-testid="rule-set">
                <div class="head">
                  <span class="name">${row.name}</span>
                  ${row.presetKey ? html`<span class="badge">${t('aw.ru.preset')}</span>` : nothing}
                  ${own ? nothing : html`<span class="badge">${t('aw.ru.inherited')}</span>`}
                  <span class="spacer"></span>
                  <label class="switch">
                    <input
                      type="checkbox"
                      role="switch"
                      .checked=${row.active}
                      ?disabled=${!own || !this.manage}
                      aria-label="${t('aw.ru.active')} ${row.name}"
                      @change=${(e: Event) => this.toggle(row, (e.target as HTMLInputElement).checked)}
                    />
                    ${t('aw.ru.active')}
                  </label>
                </div>
                <details>
                  <summary>${t('aw.ru.rules', { n: row.rule.rules.length })}</summary>
                  ${this.describe(row.rule)}
                </details>
              </div>`;
            })}
    </section>`;
  }

  private renderPresets() {
    const sets = this.presets?.titleRules ?? [];
    const installed = new Set((this.rules ?? []).filter((r) => r.orgId === this.orgId).map((r) => r.presetKey));
    return html`<section class="card" data-testid="rule-presets">
      <h2>${t('aw.ru.presets')}</h2>
      ${sets.map(
        (set) => html`<div class="set">
          <div class="head">
            <span class="name">${set.name}</span>
            <span class="spacer"></span>
            ${installed.has(set.key)
              ? html`<span class="badge ok">${t('aw.ru.installed')}</span>`
              : this.manage
                ? html`<button @click=${() => this.install(set)} data-testid="install-${set.key}">${t('aw.ru.install')}</button>`
                : nothing}
          </div>
          <details>
            <summary>${t('aw.ru.rules', { n: set.rules.length })}</summary>
            ${this.describe(set)}
          </details>
        </div>`,
      )}
    </section>`;
  }

  private renderTypes() {
    const types = this.types;
    const e = this.typeErrors;
    return html`<section class="card" data-testid="title-types">
      <h2>${t('aw.ru.types')}</h2>
      ${!types
        ? html`<p class="muted">${t('app.loading')}</p>`
        : types.length === 0
          ? html`<p class="empty">${t('aw.ru.typesNone')}</p>`
          : html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>${t('aw.ru.col.name')}</th>
                    <th>${t('aw.ru.col.level')}</th>
                    <th>${t('aw.ru.col.bodies')}</th>
                    <th class="num">${t('aw.ru.col.reward')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${types.map(
                    (x) => html`<tr>
                      <td>${x.name}</td>
                      <td class="nowrap">${t(`aw.level.${x.level}`)}</td>
                      <td>${x.conferringBodies.join('、')}</td>
                      <td class="num">${x.rewardYuan ? yuan(x.rewardYuan) : '—'}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
      ${this.manage
        ? html`<details>
            <summary>${t('aw.ru.addType')}</summary>
            <form @submit=${this.addType} novalidate data-testid="type-form">
              <div class="grid2">
                <div class="field">
                  <label for="ty-name">${t('aw.ru.name')}</label>
                  <input id="ty-name" name="name" maxlength="40" aria-invalid=${e.name ? 'true' : 'false'} />
                  ${fieldError(e.name, 'err-ty-name')}
                </div>
                <div class="field">
                  <label for="ty-key">${t('aw.ru.key')}</label>
                  <input id="ty-key" name="key" maxlength="60" autocapitalize="off" aria-invalid=${e.key ? 'true' : 'false'} />
                  ${fieldError(e.key, 'err-ty-key')}
                </div>
                <div class="field">
                  <label for="ty-level">${t('aw.ru.level')}</label>
                  <select id="ty-level" name="level">
                    ${LEVELS.map((l) => html`<option value=${l}>${t(`aw.level.${l}`)}</option>`)}
                  </select>
                </div>
                <div class="field">
                  <label for="ty-reward">${t('aw.ru.reward')}</label>
                  <input id="ty-reward" name="reward" inputmode="decimal" aria-invalid=${e.rewardYuan ? 'true' : 'false'} />
                  ${fieldError(e.rewardYuan, 'err-ty-reward')}
                </div>
              </div>
              <div class="field">
                <label for="ty-bodies">${t('aw.ru.bodies')}</label>
                <input id="ty-bodies" name="bodies" placeholder="肥西县总工会、肥西县人力资源和社会保障局" aria-invalid=${e.conferringBodies ? 'true' : 'false'} />
                ${fieldError(e.conferringBodies, 'err-ty-bodies')}
              </div>
              <div class="row" style="justify-content:flex-end;margin-top:8px">
                <button class="primary" type="submit">${t('aw.ru.add')}</button>
              </div>
            </form>
          </details>`
        : nothing}
    </section>`;
  }

  override render() {
    return html`
      ${this.notice ? html`<div class="banner ok-banner" role="status" data-testid="rules-notice">${this.notice}</div>` : nothing} ${errorBanner(this.error)}
      <div class="grid">
        <div class="stack">${this.renderSets()} ${this.renderTypes()}</div>
        ${this.renderPresets()}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-aw-rules': RulesPanel;
  }
}
