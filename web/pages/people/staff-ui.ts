import { errorBanner, problemText } from '../../components/error-banner.ts';
import { beijingDate, beijingMinute, beijingEndMinute } from '../../app/beijing-time.ts';
import { consume } from '@lit/context';
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { fetchSession, sessionContext, type Session } from '../../app/session.ts';
import '../../i18n/people.ts';

/**
 * What the staff pages for results and their consequences share (the HR page, the awards page,
 * the person's record): the session, refusals as the user reads them, and one set of styles.
 */

export { fetchAll, type Page } from '../../api/client.ts';
export type StaffSession = Extract<NonNullable<Session>, { kind: 'staff' }>;

/** Roles that keep certified levels (and see full ID numbers in the HR export). */
export const KEEPER_ROLES = ['admin', 'hr_officer'];
/** Roles that run competitions: prize rules, awarding, appeals, finalising. */
export const MANAGER_ROLES = ['admin', 'organiser'];
/** Roles that keep title types and rules and sign proposals. */
export const TITLE_ROLES = ['admin', 'organiser', 'hr_officer'];

/**
 * A page with the signed-in staff member: the shell's session through @lit/context, and its own
 * look-up so a reload does not flash "sign in" before the shell's arrives.
 */
export class StaffPage extends LitElement {
  protected readonly locale = new LocaleController(this);
  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected session: Session = null;
  @state() protected ownSession: Session | undefined = undefined;

  /** whenSignedIn has run (once per page, when a staff member is first known). */
  private signedInSeen = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void fetchSession().then((s) => (this.ownSession = s));
  }

  /**
   * Loads what the page shows, once a staff member is known: a visitor is asked to sign in and
   * sent no request that would only answer 401. Pages put their first loads here.
   */
  protected whenSignedIn(): void {}

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (!this.signedInSeen && this.staff) {
      this.signedInSeen = true;
      this.whenSignedIn();
    }
  }

  /** The staff member, null when signed out (or a judge), undefined while still looking. */
  protected get staff(): StaffSession | null | undefined {
    const s = this.session ?? this.ownSession;
    if (s === undefined) return undefined;
    return s?.kind === 'staff' ? s : null;
  }

  protected can(roles: string[]): boolean {
    const s = this.staff;
    return !!s && roles.includes(s.role);
  }

  protected signInPrompt(): TemplateResult {
    if (this.staff === undefined) return html`<p class="muted">${t('app.loading')}</p>`;
    return html`<div class="card">
      <p>${t('ui.signInFirst')}</p>
      <a class="btn primary" href="/login">${t('app.signIn')}</a>
    </div>`;
  }
}

/** A refusal in the user's language (web/components/error-banner.ts). */
export function errorText(err: unknown): string {
  return problemText(err);
}

export { errorBanner };

/** Field messages of a refusal keyed by field name without `body.` (`certificateNumber`). */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) for (const e of err.fieldErrors) out[e.field.replace(/^(body|querystring)\./, '')] ??= e.message;
  return out;
}

/** The message under a field, with an id for aria-describedby. */
export function fieldError(message: string | undefined | null, id: string): TemplateResult | typeof nothing {
  return message ? html`<div class="field-error" id=${id} role="alert">${message}</div>` : nothing;
}


/** An instant as a Beijing date and minute (2025-10-20 10:00), or — (web/app/beijing-time.ts). */
export function formatTime(iso: string | null | undefined): string {
  return iso ? beijingMinute(iso) : '—';
}

/** The end of a period (publicity): midnight is 24:00 of the last day, not 00:00 of the next. */
export function formatEnd(iso: string | null | undefined): string {
  return iso ? beijingEndMinute(iso) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? beijingDate(iso) : '—';
}

/** Yuan with thousands separators (3,000). */
export function yuan(n: number): string {
  return n.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}

/** A skill level as written on certificates: 三级/高级工. */
export function levelText(level: number | null | undefined): string {
  return level ? t(`ui.level.${level}`) : '—';
}

/** The query string of the non-empty values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Styles of the staff pages, beside sharedStyles: tabs, toolbars, tables that fit a tablet. */
export const staffStyles = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :host {
    display: block;
    max-width: 1280px;
    margin: 0 auto;
    padding: 16px;
  }
  h1 {
    font-size: 22px;
    margin: 0 0 12px;
    line-height: 1.3;
  }
  h2 {
    font-size: 18px;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 16px;
    margin: 16px 0 8px;
  }
  a {
    color: var(--sc-focus);
  }
  /* A link in running text or a table cell, still a finger-sized target. */
  a.tap {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
  }
  .stack > * + * {
    margin-top: 16px;
  }
  .tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    border-bottom: 1px solid var(--sc-line);
    margin: 0 0 16px;
  }
  .tabs button {
    border: none;
    border-bottom: 3px solid transparent;
    border-radius: 0;
    background: none;
    padding: 0 16px;
    color: var(--sc-muted);
  }
  .tabs button[aria-selected='true'] {
    color: var(--sc-fg);
    border-bottom-color: var(--sc-accent);
    font-weight: 600;
  }
  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(170px, 1fr));
    gap: 0 12px;
    align-items: end;
  }
  .filters label {
    margin-top: 8px;
  }
  .filters input,
  .filters select,
  .field input,
  .field select,
  .field textarea {
    width: 100%;
  }
  .grid2 {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
    gap: 0 16px;
  }
  .hint {
    color: var(--sc-muted);
    font-size: 14px;
    margin-top: 4px;
  }
  .table-wrap {
    max-width: 100%;
    overflow-x: auto;
  }
  table {
    font-size: 15px;
  }
  th {
    color: var(--sc-muted);
    font-weight: 600;
    font-size: 14px;
    white-space: nowrap;
  }
  td {
    /* Baseline, not middle: digits and Chinese sit on one line whatever the fonts' ascents. */
    vertical-align: baseline;
    overflow-wrap: anywhere;
  }
  td.nowrap,
  th.nowrap,
  td.num {
    white-space: nowrap;
  }
  td.mono {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace;
    font-size: 14px;
    overflow-wrap: anywhere;
  }
  .badge {
    display: inline-block;
    border-radius: 999px;
    padding: 2px 10px;
    font-size: 13px;
    background: #eef1f5;
    color: var(--sc-muted);
    white-space: nowrap;
  }
  .badge.ok {
    background: #e7f6ec;
    color: var(--sc-ok);
  }
  .badge.warn {
    background: #fff4e5;
    color: var(--sc-warn);
  }
  .badge.bad {
    background: #fdecea;
    color: var(--sc-danger);
  }
  .badge.accent {
    background: #fde7ea;
    color: var(--sc-accent);
  }
  .empty {
    color: var(--sc-muted);
    padding: 16px 0;
  }
  .card.empty {
    padding: 16px;
  }
  details > summary {
    min-height: 44px;
    display: flex;
    align-items: center;
    cursor: pointer;
    color: var(--sc-focus);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @media (max-width: 800px) {
    :host {
      padding: 12px;
    }
    .hide-narrow {
      display: none;
    }
  }
`;
