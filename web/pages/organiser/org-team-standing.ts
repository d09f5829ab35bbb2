import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/teams.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { TeamStanding } from '../../../server/contracts/standings.ts';
import { parsePoints } from './placing-points.ts';
import { errorBanner, fieldError, fieldErrorsOf, orgStyles, type ScEvent } from './org-shared.ts';
import '../results/results-standings.ts';

/**
 * The competition's team standing (团体总分), where the organiser chooses one: a placing-points
 * table, how many entries of a delegation count per event, and the events counted; below it the
 * standing as it is now (staff see it before release; the public after, over released events).
 */
@customElement('sc-org-team-standing')
export class OrgTeamStanding extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      .events {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
      }
      .events label {
        display: flex;
        align-items: center;
        gap: 6px;
        min-height: 40px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Number }) competitionId = 0;
  @property({ attribute: false }) events: ScEvent[] = [];
  @property({ type: Boolean }) canManage = false;

  @state() private standing: TeamStanding | null = null;
  @state() private enabled = false;
  @state() private points = '10 9 8 7 6 5 4 3 2 1';
  @state() private bestN = '3';
  /** null: every event. */
  @state() private chosen: Set<number> | null = null;
  @state() private errors: Record<string, string> = {};
  @state() private error: unknown = null;
  @state() private notice = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const s = await api<TeamStanding>('GET', `/api/competitions/${this.competitionId}/team-standing`);
      this.standing = s;
      this.enabled = s.setting !== null;
      if (s.setting) {
        this.points = s.setting.points.join(' ');
        this.bestN = String(s.setting.bestN);
        this.chosen = s.setting.eventIds ? new Set(s.setting.eventIds) : null;
      }
    } catch (err) {
      this.error = err;
    }
  }

  private toggle(id: number, on: boolean) {
    const next = new Set(this.chosen ?? this.events.map((e) => e.id));
    if (on) next.add(id);
    else next.delete(id);
    this.chosen = next.size === this.events.length ? null : next;
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const points = parsePoints(this.points);
    const bestN = Number(this.bestN);
    const problems: Record<string, string> = {};
    if (this.enabled && !points) problems['setting.points'] = t('org.event.team.pointsFormat');
    if (this.enabled && (!Number.isInteger(bestN) || bestN < 1)) problems['setting.bestN'] = t('org.field.integer');
    this.errors = problems;
    if (Object.keys(problems).length) return;
    this.busy = true;
    this.error = null;
    this.notice = '';
    try {
      const setting = this.enabled ? { points: points!, bestN, eventIds: this.chosen ? [...this.chosen] : null } : null;
      this.standing = await api<TeamStanding>('PUT', `/api/competitions/${this.competitionId}/team-standing`, { setting });
      this.notice = t('standings.saved');
    } catch (err) {
      this.error = err;
      this.errors = fieldErrorsOf(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const ro = !this.canManage;
    return html`<section class="card" data-testid="team-standing-settings">
      <h2 style="margin-top:0">${t('standings.settings')}</h2>
      <p class="muted" style="font-size:14px;margin:0 0 8px">${t('standings.settingsHint')}</p>
      ${this.notice ? html`<div class="banner ok-banner" role="status">${this.notice}</div>` : nothing} ${errorBanner(this.error)}
      <form @submit=${this.save} novalidate>
        <label style="display:flex;gap:8px;align-items:center;min-height:40px">
          <input type="checkbox" data-testid="team-standing-on" .checked=${this.enabled} ?disabled=${ro} @change=${(e: Event) => (this.enabled = (e.target as HTMLInputElement).checked)} />
          ${t('standings.enable')}
        </label>
        ${this.enabled
          ? html`<div class="grid2">
                <div class="field">
                  <label for="ts-points">${t('org.event.team.points')}</label>
                  <input id="ts-points" .value=${this.points} ?disabled=${ro} aria-invalid=${this.errors['setting.points'] ? 'true' : 'false'} @input=${(e: Event) => (this.points = (e.target as HTMLInputElement).value)} />
                  ${fieldError(this.errors, 'setting.points')}
                </div>
                <div class="field">
                  <label for="ts-best">${t('standings.bestN')}</label>
                  <input id="ts-best" inputmode="numeric" .value=${this.bestN} ?disabled=${ro} aria-invalid=${this.errors['setting.bestN'] ? 'true' : 'false'} @input=${(e: Event) => (this.bestN = (e.target as HTMLInputElement).value)} />
                  ${fieldError(this.errors, 'setting.bestN')}
                </div>
              </div>
              <fieldset style="border:none;padding:0;margin:8px 0">
                <legend class="muted">${t('standings.events')}</legend>
                <div class="events">
                  ${this.events.map(
                    (ev) => html`<label>
                      <input type="checkbox" .checked=${this.chosen === null || this.chosen.has(ev.id)} ?disabled=${ro} @change=${(e: Event) => this.toggle(ev.id, (e.target as HTMLInputElement).checked)} />
                      ${ev.name}
                    </label>`,
                  )}
                </div>
                ${Object.entries(this.errors)
                  .filter(([k]) => k.startsWith('setting.eventIds'))
                  .map(([k]) => fieldError(this.errors, k))}
              </fieldset>`
          : nothing}
        ${ro
          ? nothing
          : html`<div class="actions">
              <button class="primary" type="submit" ?disabled=${this.busy} data-testid="team-standing-save">${t('standings.save')}</button>
            </div>`}
      </form>
      ${this.standing?.setting ? html`<sc-team-standing .data=${this.standing}></sc-team-standing>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-org-team-standing': OrgTeamStanding;
  }
}
