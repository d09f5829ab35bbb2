import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { beijingDateZh } from '../../app/beijing-time.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../components/certificate-sheet.ts';
import { errorBanner } from '../../components/error-banner.ts';
import '../../i18n/title-certificate.ts';
import { publicOrigin } from '../../app/public-origin.ts';

type PublicSelection = {
  id: number;
  titleName: string;
  organiser: string;
  namedAt: string | null;
  list: { name: string; employerName: string | null; certificateNumber: string | null }[];
};

/**
 * A named craftsman's title certificate (荣誉证书), A4 landscape, at
 * `/selections/:id/certificate/:number`: read from the public named list, so it exists only for a
 * title that stands (a revoked one leaves that list), and its QR code opens that list.
 */
@customElement('sc-title-certificate-page')
export class TitleCertificatePage extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;
  private readonly locale = new LocaleController(this);
  @property() path = location.pathname;
  @state() private selection: PublicSelection | null = null;
  @state() private error: unknown = null;
  /** Where the certificate's QR code points (PUBLIC_URL, else this page's address). */
  @state() private origin = location.origin;

  private get address(): { id: string; number: string } {
    const [, id = '', number = ''] = /^\/selections\/(\d+)\/certificate\/([^/]+)$/.exec(this.path) ?? [];
    return { id, number: decodeURIComponent(number) };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void Promise.all([api<PublicSelection>('GET', `/api/public/selections/${this.address.id}`), publicOrigin()]).then(
      ([s, origin]) => {
        this.origin = origin;
        this.selection = s;
      },
      (err) => (this.error = err),
    );
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const s = this.selection;
    if (!s) return html`<p class="muted">${t('app.loading')}</p>`;
    const { number } = this.address;
    const holder = s.list.find((c) => c.certificateNumber === number);
    if (!holder || !s.namedAt) return errorBanner(new ApiError(404, 'certificate_not_found', t('sel.cert.notFound', { number })));
    return html`<sc-certificate-sheet
      heading=${t('sel.cert.heading')}
      lead=${t('sel.cert.lead')}
      name=${holder.employerName ? `${holder.employerName} ${holder.name}` : holder.name}
      middle=${t('sel.cert.middle')}
      honour=${`“${s.titleName}”`}
      end=${t('sel.cert.end')}
      closing=${t('sel.cert.closing')}
      .issuers=${[s.organiser]}
      date=${beijingDateZh(s.namedAt)}
      number=${t('sel.cert.number', { number })}
      verifyUrl=${`${this.origin}/selections/${s.id}/public`}
      verifyText=${t('sel.cert.verify')}
      printLabel=${t('sel.cert.print')}
    ></sc-certificate-sheet>`;
  }
}
