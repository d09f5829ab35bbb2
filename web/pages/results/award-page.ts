import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { beijingDateZh } from '../../app/beijing-time.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../components/certificate-sheet.ts';
import { errorBanner } from '../../components/error-banner.ts';
import '../../i18n/results.ts';
import '../../i18n/teams.ts';
import { publicOrigin } from '../../app/public-origin.ts';

type Award = {
  prizeId: number;
  label: string;
  rank: number | null;
  name: string | null;
  /** A team or pair's members, named on the certificate below the team. */
  members?: string[];
  delegation: string | null;
  eventName: string;
  competitionId: number;
  competitionName: string;
  organisers: string[];
  hosts: string[];
  releasedAt: string;
  certificateNumber: string;
};

/**
 * A printable award certificate (获奖证书), A4 landscape (web/components/certificate-sheet.ts): the
 * winner, the competition and event, the prize, the organisers' seal areas, the release date and a
 * QR code that opens the public results at this certificate.
 */
@customElement('sc-award-page')
export class AwardPage extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;
  private readonly locale = new LocaleController(this);
  @property() path = location.pathname;
  @state() private award: Award | null = null;
  @state() private error: unknown = null;
  /** Where the certificate's QR code points (PUBLIC_URL, else this page's address). */
  @state() private origin = location.origin;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const id = /^\/award\/(\d+)$/.exec(this.path)?.[1];
    try {
      const [award, origin] = await Promise.all([api<Award>('GET', `/api/public/prizes/${id}`), publicOrigin()]);
      this.origin = origin;
      this.award = award;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const a = this.award;
    if (!a) return html`<p class="muted">${t('app.loading')}</p>`;
    const who = a.name ? (a.delegation ? `${a.delegation} ${a.name}` : a.name) : (a.delegation ?? '');
    return html`<sc-certificate-sheet
      heading=${t('award.title')}
      lead=${t('award.grant')}
      name=${who}
      middle=${t('award.in', { competition: a.competitionName, event: a.eventName })}
      honour=${a.label}
      end=${t('award.end')}
      closing=${t('award.closing')}
      .issuers=${a.organisers}
      date=${beijingDateZh(a.releasedAt)}
      .notes=${[
        ...(a.members?.length ? [t('award.members', { names: a.members.join('、') })] : []),
        ...(a.hosts.length ? [t('award.hosts', { hosts: a.hosts.join('、') })] : []),
      ]}
      number=${t('award.number', { number: a.certificateNumber })}
      verifyUrl=${`${this.origin}/results/${a.competitionId}?certificate=${encodeURIComponent(a.certificateNumber)}`}
      verifyText=${t('award.verify')}
      printLabel=${t('award.print')}
    ></sc-certificate-sheet>`;
  }
}
