import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { navigate } from '../../app/navigation.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { Round } from '../../../server/contracts/events.ts';
import { errorBanner, fieldError, fieldErrorsOf, levelLabel, OrgDataChangedEvent, orgStyles, type Competition, type ScEvent } from './org-shared.ts';
import { checkScheme, fromScheme, num, presetScheme, toScheme, type SchemeDraft } from './scheme-draft.ts';
import './scheme-editor.ts';
import '../../i18n/release-rules.ts';
import '../../i18n/teams.ts';
import { parsePoints } from './placing-points.ts';
import '../../i18n/certainty.ts';
import type { SchemeChangedEvent } from './scheme-editor.ts';
import './scheme-xlsx.ts';
import type { SchemeImportedEvent } from './scheme-xlsx.ts';

type Draft = {
  name: string;
  /** Not a trade (a law-knowledge quiz, a culture contest): no occupation, no promotions. */
  noOccupation: boolean;
  occupationCode: string;
  occupationName: string;
  targetLevel: string;
  mode: 'individual' | 'team';
  minEntrants: string;
  teamMethod: '' | 'sum' | 'mean' | 'placing_points';
  teamBestN: string;
  /** Placing points for 1st, 2nd, … as typed ("10 9 8 7"). */
  teamPoints: string;
  showDelegations: boolean;
  showCertainty: boolean;
  withdrawnRanking: 'after_complete' | 'unranked';
  liveIncompleteOrder: 'after_complete' | 'by_total';
};

/**
 * Creates an event (赛项) with its scoring scheme, or edits one. The scheme is checked as it is
 * typed (weights add up to 100, rubric criteria to the part maximum); the save is refused by the
 * form while any problem remains, and the server's field errors land next to their fields.
 *
 * Editing an event, the organiser chooses what the scheme editor edits: the event's scheme (every
 * round's unless it has its own) or one round's own scheme (a final with other tasks, weights or
 * tie-breaks), saved on the round; "same as the event" clears it.
 */
@customElement('sc-org-event-form')
export class OrgEventForm extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      form {
        max-width: 960px;
      }
      label.check {
        display: flex;
        gap: 12px;
        align-items: center;
        min-height: 44px;
        color: var(--sc-fg);
        cursor: pointer;
      }
      label.check.wide {
        grid-column: 1 / -1;
      }
      label.check input {
        width: 22px;
        height: 22px;
        min-height: 0;
        flex: none;
      }
      label.check .hint {
        display: block;
        font-size: 13px;
      .check label {
        display: flex;
        align-items: center;
        gap: 10px;
        min-height: 44px;
        cursor: pointer;
      }
      .check input {
        width: 22px;
        height: 22px;
        margin: 0;
      }
      .check p {
        font-size: 14px;
        margin: 0;
      }
      .sticky {
        position: sticky;
        bottom: 0;
        background: var(--sc-card);
        padding: 8px 0;
        border-top: 1px solid var(--sc-line);
        z-index: 1;
      }
      .targets {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        margin: 0 0 12px;
      }
      .targets button[aria-pressed='true'] {
        background: var(--sc-accent);
        border-color: var(--sc-accent);
        color: #fff;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) competition!: Competition;
  /** The event to edit; a new one when absent. */
  @property({ attribute: false }) event: ScEvent | null = null;
  @state() private draft: Draft = {
    name: '',
    noOccupation: false,
    occupationCode: '',
    occupationName: '',
    targetLevel: '',
    mode: 'individual',
    minEntrants: '30',
    teamMethod: '',
    teamBestN: '3',
    teamPoints: '10 9 8 7 6 5 4 3 2 1',
    showDelegations: false,
    showCertainty: false,
    withdrawnRanking: 'after_complete',
    liveIncompleteOrder: 'after_complete',
  };
  @state() private scheme: SchemeDraft = presetScheme(30);
  /** What the scheme editor edits: the event's scheme, or the round with this id. */
  @state() private target: 'event' | number = 'event';
  /** The chosen round's draft: null while it uses the event's scheme. */
  @state() private roundScheme: SchemeDraft | null = null;
  @state() private serverErrors: Record<string, string> = {};
  @state() private error: unknown = null;
  @state() private blocked = false;
  @state() private busy = false;
  @state() private saved = false;

  override connectedCallback(): void {
    super.connectedCallback();
    const e = this.event;
    if (e) {
      this.draft = {
        name: e.name,
        noOccupation: e.occupationCode === null,
        occupationCode: e.occupationCode ?? '',
        occupationName: e.occupationName ?? '',
        targetLevel: e.targetLevel ? String(e.targetLevel) : '',
        mode: e.mode,
        minEntrants: String(e.minEntrants),
        teamMethod: e.teamRanking?.method ?? '',
        teamBestN: String(e.teamRanking?.bestN ?? 3),
        teamPoints: e.teamRanking?.points?.join(' ') ?? '10 9 8 7 6 5 4 3 2 1',
        showDelegations: e.showDelegationsBeforeRelease,
        showCertainty: e.showCertaintyOnScreen,
        withdrawnRanking: e.withdrawnRanking,
        liveIncompleteOrder: e.liveIncompleteOrder,
      };
      this.scheme = fromScheme(e.scheme);
      const wanted = Number(new URLSearchParams(location.search).get('round'));
      const round = e.rounds.find((r) => r.id === wanted);
      if (round) this.chooseTarget(round.id);
    }
  }

  private chooseTarget(target: 'event' | number) {
    this.target = target;
    const round = target === 'event' ? undefined : this.event?.rounds.find((r) => r.id === target);
    this.roundScheme = round?.scheme ? fromScheme(round.scheme) : null;
    this.serverErrors = {};
    this.error = null;
    this.blocked = false;
    this.saved = false;
  }

  /** The chosen round gets a scheme of its own, starting as a copy of the event's. */
  private setOwnScheme(own: boolean) {
    this.roundScheme = own ? structuredClone(this.scheme) : null;
    this.serverErrors = {};
    this.saved = false;
  }

  private async saveRound(e: SubmitEvent) {
    e.preventDefault();
    const round = this.event!.rounds.find((r) => r.id === this.target)!;
    const live = this.roundScheme ? checkScheme(this.roundScheme) : {};
    if (Object.keys(live).length) {
      this.blocked = true;
      await this.updateComplete;
      this.focusFirstInvalid();
      return;
    }
    this.blocked = false;
    this.busy = true;
    this.error = null;
    try {
      await api<Round>('PATCH', `/api/rounds/${round.id}`, { scheme: this.roundScheme ? toScheme(this.roundScheme) : null });
      this.saved = true;
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
      this.serverErrors = fieldErrorsOf(err);
    } finally {
      this.busy = false;
    }
  }

  private set<K extends keyof Draft>(key: K, value: Draft[K]) {
    this.draft = { ...this.draft, [key]: value };
    const { [key]: _, ...rest } = this.serverErrors;
    this.serverErrors = rest;
    this.saved = false;
  }

  private get liveErrors(): Record<string, string> {
    const d = this.draft;
    const out: Record<string, string> = {};
    if (!d.name.trim()) out.name = t('org.field.required');
    if (!d.noOccupation) {
      if (!/^\d-\d{2}-\d{2}-\d{2}$/.test(d.occupationCode.trim())) out.occupationCode = t('org.event.occupationCodeFormat');
      if (!d.occupationName.trim()) out.occupationName = t('org.field.required');
    }
    const min = num(d.minEntrants);
    if (!Number.isInteger(min) || min < 1) out.minEntrants = t('org.field.integer');
    if (d.teamMethod && (!Number.isInteger(num(d.teamBestN)) || num(d.teamBestN) < 1)) out['teamRanking.bestN'] = t('org.field.integer');
    if (d.teamMethod === 'placing_points' && parsePoints(d.teamPoints) === null) out['teamRanking.points'] = t('org.event.team.pointsFormat');
    return { ...out, ...checkScheme(this.scheme) };
  }

  /** A scheme replaced from an Excel workbook (sc-scheme-xlsx): the editor shows what is now stored. */
  private onImported(e: SchemeImportedEvent) {
    if (this.target === 'event') this.scheme = fromScheme(e.scheme);
    else this.roundScheme = fromScheme(e.scheme);
    this.serverErrors = {};
    this.saved = false;
  }

  private onScheme(e: SchemeChangedEvent) {
    this.scheme = e.draft;
    // A server message about the scheme is stale once the scheme changed.
    this.serverErrors = Object.fromEntries(Object.entries(this.serverErrors).filter(([k]) => !k.startsWith('scheme')));
    this.saved = false;
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const live = this.liveErrors;
    if (Object.keys(live).length) {
      this.blocked = true;
      await this.updateComplete;
      this.focusFirstInvalid();
      return;
    }
    this.blocked = false;
    const d = this.draft;
    const body = {
      name: d.name.trim(),
      occupationCode: d.noOccupation ? null : d.occupationCode.trim(),
      occupationName: d.noOccupation ? null : d.occupationName.trim(),
      targetLevel: d.targetLevel && !d.noOccupation ? Number(d.targetLevel) : null,
      mode: d.mode,
      minEntrants: num(d.minEntrants),
      teamRanking: d.teamMethod
        ? { method: d.teamMethod, bestN: num(d.teamBestN), ...(d.teamMethod === 'placing_points' ? { points: parsePoints(d.teamPoints)! } : {}) }
        : null,
      showDelegationsBeforeRelease: d.showDelegations,
      showCertaintyOnScreen: d.showCertainty,
      withdrawnRanking: d.withdrawnRanking,
      liveIncompleteOrder: d.liveIncompleteOrder,
      scheme: toScheme(this.scheme),
    };
    this.busy = true;
    this.error = null;
    try {
      if (this.event) {
        await api<ScEvent>('PATCH', `/api/events/${this.event.id}`, body);
        this.saved = true;
        this.dispatchEvent(new OrgDataChangedEvent());
      } else {
        const created = await api<ScEvent>('POST', `/api/competitions/${this.competition.id}/events`, body);
        navigate(`/org/competitions/${this.competition.id}/events/${created.id}`);
      }
    } catch (err) {
      this.error = err;
      this.serverErrors = fieldErrorsOf(err);
      await this.updateComplete;
      this.focusFirstInvalid();
    } finally {
      this.busy = false;
    }
  }

  private focusFirstInvalid() {
    const own = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]');
    const editor = this.renderRoot.querySelector('sc-scheme-editor');
    const inEditor = editor?.shadowRoot?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (own ?? inEditor)?.focus();
    if (!own && !inEditor) editor?.shadowRoot?.querySelector<HTMLElement>('[data-testid="weight-total"]')?.scrollIntoView({ block: 'center' });
  }

  /** The chooser above the scheme: the event's scheme or one round's. */
  private renderTargets() {
    const rounds = this.event?.rounds ?? [];
    if (rounds.length === 0) return nothing;
    const label = (r: Round) => `${t('org.schemeFor.round', { seq: r.seq, name: r.name })} · ${r.scheme ? t('org.schemeFor.own') : t('org.schemeFor.inherits')}`;
    return html`<div class="targets" role="group" aria-label=${t('org.schemeFor.label')} data-testid="scheme-targets">
      <span class="muted">${t('org.schemeFor.label')}</span>
      <button type="button" aria-pressed=${this.target === 'event' ? 'true' : 'false'} data-testid="scheme-target-event" @click=${() => this.chooseTarget('event')}>
        ${t('org.schemeFor.event')}
      </button>
      ${rounds.map(
        (r) => html`<button type="button" aria-pressed=${this.target === r.id ? 'true' : 'false'} data-testid=${`scheme-target-${r.seq}`} @click=${() => this.chooseTarget(r.id)}>
          ${label(r)}
        </button>`,
      )}
    </div>`;
  }

  /** One round's scheme: the event's, or its own edited like the event's. */
  private renderRoundForm(round: Round) {
    const own = this.roundScheme;
    const live = own ? checkScheme(own) : {};
    const schemeErrors = { ...live, ...this.serverErrors };
    const problems = Object.keys(live).length;
    return html`
      <h1>${t('org.schemeFor.title', { name: this.event!.name, round: round.name })}</h1>
      ${this.renderTargets()} ${errorBanner(this.error)}
      ${this.saved ? html`<div class="banner ok-banner" role="status">${t('org.savedOk')}</div>` : nothing}
      <form class="card" @submit=${this.saveRound} novalidate>
        <p class="muted" style="margin-top:0">${t('org.schemeFor.hint')}</p>
        <div class="radio-row" role="radiogroup">
          <label><input type="radio" name="own" data-testid="round-inherits" .checked=${!own} @change=${() => this.setOwnScheme(false)} />${t('org.schemeFor.useEvent')}</label>
          <label><input type="radio" name="own" data-testid="round-own" .checked=${!!own} @change=${() => this.setOwnScheme(true)} />${t('org.schemeFor.useOwn')}</label>
        </div>
        ${fieldError(this.serverErrors, 'scheme')}
        <sc-scheme-xlsx .eventId=${this.event!.id} .roundId=${round.id} .roundName=${round.name} canImport @sc-scheme-imported=${this.onImported}></sc-scheme-xlsx>
        ${own
          ? html`<sc-scheme-editor
              .draft=${own}
              .errors=${schemeErrors}
              @sc-scheme-changed=${(e: SchemeChangedEvent) => {
                this.roundScheme = e.draft;
                this.serverErrors = {};
                this.saved = false;
              }}
            ></sc-scheme-editor>`
          : html`<p data-testid="round-inherits-note">${this.event!.scheme.parts.map((p) => (this.event!.scheme.totaling === 'weighted' ? `${p.name} ${p.weight}%` : p.name)).join(' + ')}</p>`}
        <div class="sticky">
          ${this.blocked && problems ? html`<div class="banner error-banner" role="alert" data-testid="blocked">${t('org.event.blocked', { n: problems })}</div>` : nothing}
          <div class="row">
            <button class="primary" type="submit" ?disabled=${this.busy} data-testid="save-round-scheme">${t('org.schemeFor.save', { round: round.name })}</button>
          </div>
        </div>
      </form>
    `;
  }

  override render() {
    const round = this.target === 'event' ? undefined : this.event?.rounds.find((r) => r.id === this.target);
    if (round) return this.renderRoundForm(round);
    const d = this.draft;
    const live = this.liveErrors;
    // Field messages show once the user tried to save (or the server answered); the sums show always.
    const shown = { ...(this.blocked ? live : {}), ...this.serverErrors };
    const schemeErrors = { ...Object.fromEntries(Object.entries(live).filter(([k]) => k.startsWith('scheme'))), ...this.serverErrors };
    const problems = Object.keys(live).length;
    const inv = (k: string) => (shown[k] ? 'true' : 'false');
    return html`
      <h1>${this.event ? t('org.event.edit', { name: this.event.name }) : t('org.event.new')}</h1>
      ${this.renderTargets()} ${errorBanner(this.error)}
      ${this.saved ? html`<div class="banner ok-banner" role="status">${t('org.savedOk')}</div>` : nothing}
      <form class="card" @submit=${this.save} novalidate>
        <div class="grid2">
          <div class="field">
            <label for="name">${t('org.event.name')} *</label>
            <input id="name" .value=${d.name} aria-invalid=${inv('name')} @input=${(e: Event) => this.set('name', (e.target as HTMLInputElement).value)} />
            ${fieldError(shown, 'name')}
          </div>
          <label class="check wide">
            <input type="checkbox" data-testid="no-occupation" .checked=${d.noOccupation} @change=${(e: Event) => this.set('noOccupation', (e.target as HTMLInputElement).checked)} />
            <span>${t('org.event.noOccupationCheck')}<span class="muted hint">${t('org.event.noOccupationHint')}</span></span>
          </label>
          ${d.noOccupation
            ? nothing
            : html`<div class="field">
                  <label for="occName">${t('org.event.occupationName')} *</label>
                  <input id="occName" .value=${d.occupationName} aria-invalid=${inv('occupationName')} @input=${(e: Event) => this.set('occupationName', (e.target as HTMLInputElement).value)} />
                  ${fieldError(shown, 'occupationName')}
                </div>
                <div class="field">
                  <label for="occCode">${t('org.event.occupationCode')} *</label>
                  <input
                    id="occCode"
                    placeholder="6-31-01-03"
                    inputmode="numeric"
                    .value=${d.occupationCode}
                    aria-invalid=${inv('occupationCode')}
                    @input=${(e: Event) => this.set('occupationCode', (e.target as HTMLInputElement).value)}
                  />
                  ${fieldError(shown, 'occupationCode')}
                </div>
                <div class="field">
                  <label for="level">${t('org.event.targetLevel')}</label>
                  <select id="level" @change=${(e: Event) => this.set('targetLevel', (e.target as HTMLSelectElement).value)}>
                    <option value="" ?selected=${d.targetLevel === ''}>${t('org.event.noLevel')}</option>
                    ${[1, 2, 3, 4, 5].map((l) => html`<option value=${l} ?selected=${d.targetLevel === String(l)}>${levelLabel(l)}</option>`)}
                  </select>
                </div>`}
          <div class="field">
            <label for="mode">${t('org.event.mode')}</label>
            <select id="mode" @change=${(e: Event) => this.set('mode', (e.target as HTMLSelectElement).value as Draft['mode'])}>
              <option value="individual" ?selected=${d.mode === 'individual'}>${t('org.event.mode.individual')}</option>
              <option value="team" ?selected=${d.mode === 'team'}>${t('org.event.mode.team')}</option>
            </select>
          </div>
          <div class="field">
            <label for="minEntrants">${t('org.event.minEntrants')}</label>
            <input id="minEntrants" inputmode="numeric" .value=${d.minEntrants} aria-invalid=${inv('minEntrants')} @input=${(e: Event) => this.set('minEntrants', (e.target as HTMLInputElement).value)} />
            ${fieldError(shown, 'minEntrants')}
          </div>
          <div class="field">
            <label for="team">${t('org.event.teamRanking')}</label>
            <select id="team" @change=${(e: Event) => this.set('teamMethod', (e.target as HTMLSelectElement).value as Draft['teamMethod'])}>
              <option value="" ?selected=${d.teamMethod === ''}>${t('org.event.team.none')}</option>
              <option value="sum" ?selected=${d.teamMethod === 'sum'}>${t('org.event.team.sum')}</option>
              <option value="mean" ?selected=${d.teamMethod === 'mean'}>${t('org.event.team.mean')}</option>
              <option value="placing_points" ?selected=${d.teamMethod === 'placing_points'}>${t('org.event.team.placing_points')}</option>
            </select>
          </div>
          <div class="field">
            <label for="withdrawn">${t('org.event.withdrawnRanking')}</label>
            <select id="withdrawn" @change=${(e: Event) => this.set('withdrawnRanking', (e.target as HTMLSelectElement).value as Draft['withdrawnRanking'])}>
              <option value="after_complete" ?selected=${d.withdrawnRanking === 'after_complete'}>${t('org.event.withdrawn.after_complete')}</option>
              <option value="unranked" ?selected=${d.withdrawnRanking === 'unranked'}>${t('org.event.withdrawn.unranked')}</option>
            </select>
          </div>
          <div class="field">
            <label for="live-order">${t('org.event.liveOrder')}</label>
            <select
              id="live-order"
              data-testid="live-order"
              @change=${(e: Event) => this.set('liveIncompleteOrder', (e.target as HTMLSelectElement).value as Draft['liveIncompleteOrder'])}
            >
              <option value="after_complete" ?selected=${d.liveIncompleteOrder === 'after_complete'}>${t('org.event.liveOrder.after_complete')}</option>
              <option value="by_total" ?selected=${d.liveIncompleteOrder === 'by_total'}>${t('org.event.liveOrder.by_total')}</option>
            </select>
          </div>
          ${d.teamMethod
            ? html`<div class="field">
                <label for="bestN">${t('org.event.team.bestN')}</label>
                <input id="bestN" inputmode="numeric" .value=${d.teamBestN} aria-invalid=${inv('teamRanking.bestN')} @input=${(e: Event) => this.set('teamBestN', (e.target as HTMLInputElement).value)} />
                ${fieldError(shown, 'teamRanking.bestN')}
              </div>`
            : nothing}
          ${d.teamMethod === 'placing_points'
            ? html`<div class="field">
                <label for="teamPoints">${t('org.event.team.points')}</label>
                <input
                  id="teamPoints"
                  data-testid="team-points"
                  .value=${d.teamPoints}
                  aria-invalid=${inv('teamRanking.points')}
                  aria-describedby="teamPointsHint"
                  @input=${(e: Event) => this.set('teamPoints', (e.target as HTMLInputElement).value)}
                />
                <p class="muted" id="teamPointsHint" style="font-size:13px;margin:2px 0 0">${t('org.event.team.pointsHint')}</p>
                ${fieldError(shown, 'teamRanking.points')}
              </div>`
            : nothing}
        </div>
        <div class="field check">
          <label>
            <input type="checkbox" data-testid="show-delegations" .checked=${d.showDelegations} @change=${(e: Event) => this.set('showDelegations', (e.target as HTMLInputElement).checked)} />
            ${t('org.event.showDelegations')}
          </label>
          <p class="muted">${t('org.event.showDelegationsHint')}</p>
        </div>
        <div class="field check">
          <label>
            <input type="checkbox" data-testid="show-certainty" .checked=${d.showCertainty} @change=${(e: Event) => this.set('showCertainty', (e.target as HTMLInputElement).checked)} />
            ${t('org.event.showCertainty')}
          </label>
          <p class="muted">${t('org.event.showCertaintyHint')}</p>
        </div>
        <h2 style="margin-top:20px">${t('org.scheme.title')}</h2>
        ${this.event ? html`<sc-scheme-xlsx .eventId=${this.event.id} canImport @sc-scheme-imported=${this.onImported}></sc-scheme-xlsx>` : nothing}
        <sc-scheme-editor .draft=${this.scheme} .errors=${schemeErrors} ?offerPresets=${!this.event} @sc-scheme-changed=${this.onScheme}></sc-scheme-editor>
        <div class="sticky">
          ${this.blocked && problems
            ? html`<div class="banner error-banner" role="alert" data-testid="blocked">${t('org.event.blocked', { n: problems })}</div>`
            : nothing}
          <div class="row">
            <button class="primary" type="submit" ?disabled=${this.busy} data-testid="save-event">${t('org.save')}</button>
            <a class="btn" href=${this.event ? `/org/competitions/${this.competition.id}/events/${this.event.id}` : `/org/competitions/${this.competition.id}`}>${t('org.cancel')}</a>
          </div>
        </div>
      </form>
    `;
  }
}

