/**
 * Recusal (回避) by employer: a judge does not mark an entrant who works for the same employer.
 *
 * An employer is either an organisation of the system (employers that have their own enterprise
 * union and are registered as organisations) or a name written as free text (small private firms
 * are not organisations). The rule:
 * - both organisations: the same organisation (by id; two organisations are different employers
 *   even if their names look alike, e.g. two branches of one company);
 * - otherwise, when either side is free text: the same name after normalising, the organisation's
 *   own name standing in for it. Comparing a typed name with an organisation's name errs on the
 *   side of standing aside: a needless recusal costs one mark from another judge, a missed one
 *   puts a colleague on the panel;
 * - nothing known on either side: no recusal.
 */
export type EmployerRef = {
  /** The employer organisation, or null when the employer is written as text (or unknown). */
  organisationId: number | null;
  /** The organisation's name when `organisationId` is set, else the employer as written; null when unknown. */
  name: string | null;
};

/**
 * A name as compared: Unicode NFKC (full-width letters, digits and brackets become half-width),
 * lower case, without spaces and punctuation. "合肥 顺达（机电）有限公司" and "合肥顺达(机电)有限公司"
 * compare equal; nothing else is guessed (suffixes such as 有限公司 are kept).
 */
export function normaliseEmployerName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/** Whether the judge and the entrant work for the same employer (see the module header). */
export function sameEmployer(judge: EmployerRef, entrant: EmployerRef): boolean {
  if (judge.organisationId !== null && entrant.organisationId !== null) return judge.organisationId === entrant.organisationId;
  if (judge.name === null || entrant.name === null) return false;
  const a = normaliseEmployerName(judge.name);
  return a !== '' && a === normaliseEmployerName(entrant.name);
}
