/**
 * Certified skill levels (职业技能等级): 1 is the highest (一级/高级技师), 5 the lowest (五级/初级工).
 * The written form "三级/高级工" is what certificates and the provincial upload use.
 */
export const SKILL_LEVELS = [1, 2, 3, 4, 5] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];

const NUMERALS = ['一', '二', '三', '四', '五'] as const;
const TITLES = ['高级技师', '技师', '高级工', '中级工', '初级工'] as const;
const ENGLISH = ['Senior technician', 'Technician', 'Senior worker', 'Intermediate worker', 'Junior worker'] as const;

/** "三级/高级工" for level 3. */
export function skillLevelLabel(level: number): string {
  const i = level - 1;
  return NUMERALS[i] && TITLES[i] ? `${NUMERALS[i]}级/${TITLES[i]}` : String(level);
}

/** "高级工" for level 3. */
export function skillLevelTitle(level: number): string {
  return TITLES[level - 1] ?? String(level);
}

export function skillLevelEnglish(level: number): string {
  return ENGLISH[level - 1] ?? String(level);
}
