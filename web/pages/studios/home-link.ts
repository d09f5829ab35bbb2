import { registerMessages } from '../../app/i18n.ts';

/**
 * The home page's link to the innovation-studio area (in the staff-only 管理 card). Kept apart from web/i18n/studios.ts so
 * the home page (loaded by judges too) does not carry the whole studio dictionary.
 */
registerMessages({
  zh: { 'home.studios': '创新工作室（名录、评估、联盟、“五小”）' },
  en: { 'home.studios': 'Innovation studios (registry, evaluation, alliances, five smalls)' },
});
