import { html, nothing, type TemplateResult } from 'lit';
import { ApiError, NetworkError } from '../api/client.ts';
import { currentLang, t } from '../app/i18n.ts';
import '../i18n/common.ts';

/**
 * Refusals as the user reads them, the same in every area. The server answers with a stable
 * `code` (and field names); the web app translates by code, never by matching the English text:
 * each area's catalogue is tried (`org.err.<code>`, `ui.err.<code>`, `st.err.<code>`, then the
 * shared `app.err.<code>`). In Chinese, a refusal the domain already words in Chinese (a studio
 * ban naming its end date) is shown as it is; one with no translation says what happened in
 * general terms and gives the code, never an English sentence.
 */
const CATALOGUES = ['org.err.', 'ui.err.', 'st.err.', 'app.err.'];

const HAN = /[\u4e00-\u9fff]/;

/** The refusal in the user's language. */
export function problemText(err: unknown): string {
  if (err instanceof ApiError) {
    const chinese = currentLang() === 'zh-CN';
    if (chinese && HAN.test(err.message)) return err.message;
    for (const prefix of CATALOGUES) {
      const key = `${prefix}${err.code}`;
      const text = t(key);
      if (text !== key) return text;
    }
    return chinese ? t('app.err.unknown', { code: err.code }) : err.message;
  }
  if (err instanceof NetworkError) return t('app.err.network');
  return err instanceof Error ? err.message : String(err);
}

/**
 * A banner for a refusal (role=alert: announced by screen readers). In English the server's own
 * sentence follows the translated one when they differ (it may name the exact reason); in Chinese
 * the banner is Chinese only.
 */
export function errorBanner(err: unknown): TemplateResult | typeof nothing {
  if (!err) return nothing;
  const text = problemText(err);
  const detail = currentLang() !== 'zh-CN' && err instanceof ApiError && err.message !== text ? err.message : '';
  return html`<div class="banner error-banner" role="alert" data-testid="error-banner">
    <strong>${text}</strong>${detail ? html`<div class="detail">${detail}</div>` : nothing}
  </div>`;
}
