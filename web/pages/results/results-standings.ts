import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/teams.ts';
import type { EventStandings, TeamStanding } from '../../../server/contracts/standings.ts';
import { sharedStyles } from '../../styles/shared.ts';

const styles = css`
  :host {
    display: block;
    margin-top: 12px;
  }
  h3 {
    margin: 12px 0 4px;
    font-size: 17px;
  }
  .scroll {
    overflow-x: auto;
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .winner {
    font-size: 14px;
    color: var(--sc-muted);
    margin: 2px 0;
  }
  .out td {
    color: var(--sc-muted);
  }
  @media (max-width: 600px) {
    .wide {
      display: none;
    }
  }
`;

/**
 * The final standings (最终名次) of one released event of several rounds: finalists by the final,
 * then those eliminated earlier by their last round's standing; and each round's winner on its
 * own total beside the leader of the carried standing (本轮第一 / 总成绩第一).
 *
 * @property data - the event's standings (GET /api/public/competitions/:id/standings, one event)
 */
@customElement('sc-final-standings')
export class FinalStandings extends LitElement {
  static override styles = [sharedStyles, styles];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) data: EventStandings | null = null;

  override render() {
    const d = this.data;
    if (!d || d.rounds.length < 2) return nothing;
    const nameOf = (numbers: number[], round: EventStandings['rounds'][number]) =>
      numbers.map((n) => round.rows.find((r) => r.number === n)?.name ?? `${n}`).join('、') || '—';
    return html`<details data-testid="final-standings-${d.eventId}">
      <summary>${t('standings.title')}</summary>
      ${d.rounds.map(
        (round) => html`<p class="winner">
          ${round.name}：${t('standings.roundWinner')}${nameOf(round.roundWinners, round)}${round.carryOver !== 'none'
            ? html`；${t('standings.standingLeader')}${nameOf(round.standingLeaders, round)}`
            : nothing}
        </p>`,
      )}
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>${t('standings.place')}</th>
              <th>${t('standings.name')}</th>
              <th class="wide">${t('standings.delegation')}</th>
              <th>${t('standings.lastRound')}</th>
              <th class="num">${t('standings.roundRank')}</th>
              <th class="num">${t('standings.total')}</th>
            </tr>
          </thead>
          <tbody>
            ${d.standings.map(
              (s) => html`<tr class=${s.finalist ? '' : 'out'}>
                <td>${s.place ?? '—'}</td>
                <td>${s.name ?? s.number ?? ''}</td>
                <td class="wide">${s.delegation ?? ''}</td>
                <td>${s.roundName}</td>
                <td class="num">${s.roundRank ?? '—'}</td>
                <td class="num">${s.total.toFixed(2)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>`;
  }
}

/**
 * The competition's team standing (团体总分) by placing points over its released events: rank,
 * delegation, points per event, total (rounded to 2 decimals, ranked exactly).
 *
 * @property data - the team standing, or null for none
 */
@customElement('sc-team-standing')
export class TeamStandingTable extends LitElement {
  static override styles = [sharedStyles, styles];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) data: TeamStanding | null = null;

  override render() {
    const d = this.data;
    if (!d || d.rows.length === 0) return nothing;
    return html`<section class="card" data-testid="team-standing">
      <h2 style="font-size:20px;margin:0 0 4px">${t('standings.teamTitle')}</h2>
      <p class="muted" style="margin:0 0 8px;font-size:14px">
        ${t('standings.teamHint', { points: d.setting?.points.join('、') ?? '', n: d.setting?.bestN ?? 0 })}
      </p>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>${t('standings.place')}</th>
              <th>${t('standings.delegation')}</th>
              ${d.events.map((e) => html`<th class="num wide">${e.eventName}</th>`)}
              <th class="num">${t('standings.points')}</th>
            </tr>
          </thead>
          <tbody>
            ${d.rows.map(
              (r) => html`<tr>
                <td>${r.rank ?? '—'}${r.sharedRank ? t('standings.shared') : ''}</td>
                <td>${r.delegation}</td>
                ${d.events.map((e) => html`<td class="num wide">${r.byEvent.find((b) => b.eventId === e.eventId)?.points.toFixed(2) ?? '—'}</td>`)}
                <td class="num"><strong>${r.value.toFixed(2)}</strong></td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-final-standings': FinalStandings;
    'sc-team-standing': TeamStandingTable;
  }
}
