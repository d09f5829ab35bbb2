/**
 * Resident identity numbers (居民身份证号码, GB 11643-1999): 6-digit area, 8-digit birth date,
 * 3-digit sequence (odd = male), check character. Pure functions, no I/O.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type ResidentIdInfo = { idNumber: string; birthDate: string; gender: 'male' | 'female' };

/** The check character the first 17 digits call for. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/**
 * Validates an 18-character ID number and derives birth date and gender. Returns a reason in
 * Chinese-neutral English when invalid (the UI translates by `reason` code).
 */
export function parseResidentId(
  raw: string,
  today: Date = new Date(),
): { ok: true; value: ResidentIdInfo } | { ok: false; reason: 'format' | 'birth_date' | 'check_char'; message: string } {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: 'format', message: 'an ID number has 17 digits and a final digit or X' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (!real || y < 1900 || date.getTime() > today.getTime())
    return { ok: false, reason: 'birth_date', message: 'the birth date in the ID number is not a real past date' };
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17])
    return { ok: false, reason: 'check_char', message: 'the check character of the ID number is wrong' };
  return {
    ok: true,
    value: {
      idNumber: id,
      birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
      gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}

/** The public form: area code and last four kept, birth date hidden (`340123********1234`). */
export function maskResidentId(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(id.length);
}
