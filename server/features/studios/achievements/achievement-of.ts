import type { studioAchievements } from '../../../../db/schema.ts';
import type { Achievement } from '../../../contracts/studios.ts';

type AchievementRow = typeof studioAchievements.$inferSelect;

/** A stored achievement as the domain's figures functions take it. */
export function achievementOf(row: AchievementRow): Achievement {
  const base = { studioId: row.studioId, year: row.year };
  switch (row.type) {
    case 'patent':
      return { ...base, type: 'patent', patentKind: row.patentKind ?? 'invention', count: row.count ?? 1 };
    case 'economic_benefit':
      return { ...base, type: 'economic_benefit', amountYuan: row.amountYuan ?? 0 };
    case 'apprentices':
      return { ...base, type: 'apprentices', trained: row.trained ?? 0, promoted: row.promoted ?? 0 };
    default:
      return { ...base, type: row.type, count: row.count ?? 1 };
  }
}
