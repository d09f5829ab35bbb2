import { errorBanner, problemText } from '../../components/error-banner.ts';
import { beijingToday } from '../../app/beijing-time.ts';
import { css, html, nothing, type TemplateResult } from 'lit';
import { ApiError } from '../../api/client.ts';
import { currentLang, t } from '../../app/i18n.ts';
import type { StudioFigures, StudioKind, StudioLevel, StudioStatus } from '../../../server/contracts/studios.ts';

export type { StudioFigures, StudioKind, StudioLevel, StudioStatus };
export type * from '../../../server/features/studios/studios.contracts.ts';

/** Roles that register and look after studios (each only its own line's kinds; the server decides). */
export const STUDIO_EDITOR_ROLES = ['admin', 'organiser', 'studio_officer', 'hr_officer'];
/** Roles that run alliances and five-smalls campaigns (the union). */
export const UNION_ROLES = ['admin', 'organiser', 'studio_officer'];

export const KINDS: StudioKind[] = ['model_worker', 'craftsman', 'worker', 'blue_collar', 'skill_master', 'traditional_craft'];
export const LEVELS: StudioLevel[] = ['national_demonstration', 'province', 'city', 'county'];
export const STATUSES: StudioStatus[] = ['applied', 'under_evaluation', 'recognised', 'warned', 'expired', 'rejected', 'withdrawn', 'delisted'];
export const FUNCTIONS = ['technical_innovation', 'problem_tackling', 'apprenticeship', 'craft_heritage'] as const;
export const HONOURS = [
  'model_worker_national',
  'model_worker_province',
  'model_worker_city',
  'model_worker_county',
  'may_day_medal',
  'craftsman',
  'craftsman_county',
  'technical_expert',
  'technical_expert_county',
  'skill_master_title',
  'chief_technician',
  'intangible_heritage_inheritor',
  'crafts_master',
] as const;

export const kindLabel = (k: string) => t(`st.kind.${k}`);
export const levelLabel = (l: string | null) => (l ? t(`st.level.${l}`) : '—');
export const statusLabel = (s: string) => t(`st.status.${s}`);
export const skillLabel = (l: number | null) => (l ? t(`st.skill.${l}`) : t('st.skill.none'));
export const honourLabel = (h: string) => {
  const key = `st.honour.${h}`;
  const text = t(key);
  return text === key ? h : text;
};

/** Status badge colours: ok, warning, danger or neutral. */
export function statusBadge(status: string): TemplateResult {
  const tone =
    status === 'recognised' ? 'ok' : status === 'warned' || status === 'expired' ? 'warn' : status === 'delisted' || status === 'rejected' ? 'danger' : 'info';
  return html`<span class="badge ${tone}" data-status=${status}>${statusLabel(status)}</span>`;
}

export function levelBadge(level: string | null): TemplateResult | typeof nothing {
  if (!level) return nothing;
  return html`<span class="badge level ${level}">${levelLabel(level)}</span>`;
}

const numberFormat = () => new Intl.NumberFormat(currentLang() === 'en' ? 'en' : 'zh-CN', { maximumFractionDigits: 2 });

/** A score as printed on a result sheet: always two decimals, so it can be recomputed by hand. */
export function score(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toFixed(2);
}

export function fmt(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : numberFormat().format(n);
}

/** Yuan as the Chinese reports write it: 万元 above ten thousand. */
export function yuan(n: number): string {
  if (currentLang() === 'en') return t('st.unit.yuan', { n: numberFormat().format(n) });
  if (Math.abs(n) >= 10_000) return t('st.unit.wanYuan', { n: numberFormat().format(Math.round(n / 100) / 100) });
  return t('st.unit.yuan', { n: numberFormat().format(n) });
}

/** Today in Beijing (web/app/beijing-time.ts). */
export function todayIso(): string {
  return beijingToday();
}

/** A refusal as the user reads it (web/components/error-banner.ts). */
export function errorMessage(err: unknown): string {
  return problemText(err);
}

/** Field messages keyed without the `body.` prefix (`leaderPersonId`, `items.0.points`). */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) for (const e of err.fieldErrors) out[e.field.replace(/^(body|querystring)\.?/, '')] ??= e.message;
  return out;
}

export { errorBanner };

export function fieldError(errors: Record<string, string>, key: string): TemplateResult | typeof nothing {
  const message = errors[key];
  return message ? html`<div class="field-error" role="alert" data-field=${key}>${message}</div>` : nothing;
}

/**
 * After a refusal: scrolls the first field message (else the banner) into view, so a tablet
 * user who submitted at the bottom of a long form sees what is wrong.
 */
export async function revealAlert(host: { updateComplete: Promise<boolean>; renderRoot: HTMLElement | DocumentFragment }): Promise<void> {
  await host.updateComplete;
  const el = host.renderRoot.querySelector('.field-error') ?? host.renderRoot.querySelector('[role="alert"]');
  el?.scrollIntoView({ block: 'center' });
}

/** Reads a form into an object of strings (checkbox groups become arrays). */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => (out[k] = String(v)));
  return out;
}

export function checkedValues(form: HTMLFormElement, name: string): string[] {
  return new FormData(form).getAll(name).map(String);
}

/** Fired (bubbling, composed) after a sub-view changed data that its parent shows too. */
export class StudioChangedEvent extends Event {
  static readonly type = 'sc-studio-changed';
  constructor() {
    super(StudioChangedEvent.type, { bubbles: true, composed: true });
  }
}

export const studioStyles = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :host {
    display: block;
  }
  h1 {
    font-size: 22px;
    margin: 0 0 8px;
    line-height: 1.3;
  }
  h2 {
    font-size: 18px;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 16px;
    margin: 12px 0 8px;
  }
  a {
    color: var(--sc-focus);
  }
  .stack > * + * {
    margin-top: 16px;
  }
  .grid2 {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
    gap: 0 16px;
  }
  .grid3 {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
    gap: 0 16px;
  }
  .field input:not([type='checkbox']),
  .field select,
  .field textarea {
    width: 100%;
  }
  textarea {
    min-height: 88px;
    padding: 8px 12px;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    padding: 2px 10px;
    border-radius: 999px;
    font-size: 13px;
    line-height: 20px;
    white-space: nowrap;
    background: #eef1f5;
    color: var(--sc-fg);
  }
  .badge.ok {
    background: #e7f6ec;
    color: var(--sc-ok);
  }
  .badge.warn {
    background: #fff4e5;
    color: var(--sc-warn);
  }
  .badge.danger {
    background: #fdecea;
    color: var(--sc-danger);
  }
  .badge.info {
    background: #e8f0fe;
    color: #1d4ed8;
  }
  .badge.level.national_demonstration {
    background: #c8102e;
    color: #fff;
  }
  .badge.level.province {
    background: #fde8ec;
    color: #a00d25;
  }
  .badge.level.city {
    background: #fff1e0;
    color: #9a4a00;
  }
  .badge.level.county {
    background: #eef1f5;
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .muted {
    color: var(--sc-muted);
  }
  .small {
    font-size: 14px;
  }
  .empty {
    color: var(--sc-muted);
    padding: 16px 0;
  }
  .table-wrap {
    width: 100%;
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th {
    font-weight: 600;
    color: var(--sc-muted);
    font-size: 14px;
    white-space: nowrap;
  }
  td,
  th {
    text-align: left;
    padding: 8px;
    border-bottom: 1px solid var(--sc-line);
    vertical-align: middle;
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  td a {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
  }
  .nowrap {
    white-space: nowrap;
  }
  .tiles {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
    gap: 12px;
  }
  .tile {
    background: var(--sc-card);
    border: 1px solid var(--sc-line);
    border-radius: 12px;
    padding: 12px 16px;
  }
  .tile .value {
    font-size: 28px;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    line-height: 1.2;
  }
  .tile .label {
    color: var(--sc-muted);
    font-size: 14px;
  }
  .checks {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 16px;
  }
  .checks label {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 44px;
    margin: 0;
    color: var(--sc-fg);
  }
  .checks input {
    width: 20px;
    height: 20px;
    min-height: 0;
  }
  form .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
    margin-top: 16px;
  }
  @media (max-width: 900px) {
    .hide-narrow {
      display: none;
    }
  }
`;
