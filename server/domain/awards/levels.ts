/**
 * Skill-level names for awards and certificates. Levels 1–5 are the certified grades
 * (1 = 一级/高级技师 … 5 = 五级/初级工; a smaller number is a higher grade). Some places add
 * 特级技师 and 首席技师 above level 1 (the "new eight-grade" ladder); they are modelled as 0
 * and −1 so that "numerically smaller is higher" still holds. They are never reached by a
 * promotion through competition and have no digit in the 22-character certificate number
 * (their certificates are numbered separately).
 */
import { skillLevelLabel } from '../skill-levels.ts';

/** 特级技师, above 一级/高级技师. */
export const SPECIAL_TECHNICIAN_LEVEL = 0;
/** 首席技师, above 特级技师. */
export const CHIEF_TECHNICIAN_LEVEL = -1;

/** The highest grade a promotion through competition can reach: 一级/高级技师. */
export const HIGHEST_PROMOTION_LEVEL = 1;

/**
 * The written form of a level, as certificates print it: "三级/高级工" for 3, "一级/高级技师"
 * for 1, "特级技师" for 0, "首席技师" for −1. Anything else comes back as the number itself, so
 * an odd stored value never breaks a reason text.
 */
export function levelLabel(level: number): string {
  if (level === SPECIAL_TECHNICIAN_LEVEL) return '特级技师';
  if (level === CHIEF_TECHNICIAN_LEVEL) return '首席技师';
  return skillLevelLabel(level);
}

/** Whether `level` is a certified grade 1–5 (what a certificate number can carry). */
export function isCertifiedLevel(level: number): level is 1 | 2 | 3 | 4 | 5 {
  return Number.isInteger(level) && level >= 1 && level <= 5;
}
