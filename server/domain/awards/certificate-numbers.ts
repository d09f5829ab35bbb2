/**
 * Skill certificate numbers (职业技能等级证书编号, 人社鉴发〔2019〕2号): 22 characters,
 * `^[YS]\d{21}$`:
 *
 * | position | digits | meaning |
 * | 1     | Y / S | Y: an employer evaluating its own staff (用人单位), S: a social training and evaluation body (社会培训评价组织) |
 * | 2–5   | 4 | body code given by the ministry (0001–9999; 0000 for bodies filed with a province) |
 * | 6–7   | 2 | province of the body or site (GB/T 2260 first two digits: 34 安徽) |
 * | 8–13  | 6 | site sequence, given by the province |
 * | 14–15 | 2 | issue year, last two digits |
 * | 16    | 1 | level, 1 = 一级/高级技师 … 5 = 五级/初级工 |
 * | 17–22 | 6 | serial, given by the body |
 *
 * Pure functions, no I/O. Messages are English; the UI translates by `reason` / `field`.
 */
import { chinaDate } from '../working-days.ts';
import { isCertifiedLevel, levelLabel } from './levels.ts';

/** Province codes (GB/T 2260), with 66 for the Xinjiang Production and Construction Corps, which HR systems code separately. */
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  '11': '北京',
  '12': '天津',
  '13': '河北',
  '14': '山西',
  '15': '内蒙古',
  '21': '辽宁',
  '22': '吉林',
  '23': '黑龙江',
  '31': '上海',
  '32': '江苏',
  '33': '浙江',
  '34': '安徽',
  '35': '福建',
  '36': '江西',
  '37': '山东',
  '41': '河南',
  '42': '湖北',
  '43': '湖南',
  '44': '广东',
  '45': '广西',
  '46': '海南',
  '50': '重庆',
  '51': '四川',
  '52': '贵州',
  '53': '云南',
  '54': '西藏',
  '61': '陕西',
  '62': '甘肃',
  '63': '青海',
  '64': '宁夏',
  '65': '新疆',
  '66': '新疆生产建设兵团',
};

/** The parts of a valid certificate number. */
export interface CertificateNumberParts {
  /** The number as read: trimmed, upper-case. */
  number: string;
  issuerType: 'Y' | 'S';
  issuer: 'employer' | 'social_body';
  bodyCode: string;
  provinceCode: string;
  provinceName: string;
  siteSequence: string;
  /** The issue year's last two digits, as printed ("23"). */
  yearDigits: string;
  level: 1 | 2 | 3 | 4 | 5;
  /** "三级/高级工". */
  levelLabel: string;
  serial: string;
}

export type CertificateNumberReason = 'length' | 'issuer' | 'digits' | 'province' | 'level';

export type CertificateNumberResult =
  | { ok: true; value: CertificateNumberParts }
  | { ok: false; reason: CertificateNumberReason; message: string };

/**
 * Reads a certificate number. Leading and trailing spaces and a lower-case first letter are
 * accepted (numbers are typed and pasted from spreadsheets). The first failing check is
 * reported: `length` (not 22 characters), `issuer` (first character not Y or S), `digits`
 * (the other 21 are not all digits), `province` (unknown province code), `level` (the level
 * digit is not 1–5).
 */
export function parseCertificateNumber(raw: string): CertificateNumberResult {
  const number = raw.trim().toUpperCase();
  if (number.length !== 22) return { ok: false, reason: 'length', message: `a certificate number has 22 characters, this one has ${number.length}` };
  const issuerType = number[0];
  if (issuerType !== 'Y' && issuerType !== 'S')
    return { ok: false, reason: 'issuer', message: 'a certificate number starts with Y (employer) or S (social evaluation body)' };
  if (!/^\d{21}$/.test(number.slice(1))) return { ok: false, reason: 'digits', message: 'after its first letter a certificate number has 21 digits' };
  const provinceCode = number.slice(5, 7);
  const provinceName = PROVINCE_CODES[provinceCode];
  if (provinceName === undefined) return { ok: false, reason: 'province', message: `${provinceCode} (characters 6–7) is not a province code` };
  const level = Number(number[15]);
  if (!isCertifiedLevel(level)) return { ok: false, reason: 'level', message: `the level digit (character 16) is ${number[15]}, not 1–5` };
  return {
    ok: true,
    value: {
      number,
      issuerType,
      issuer: issuerType === 'Y' ? 'employer' : 'social_body',
      bodyCode: number.slice(1, 5),
      provinceCode,
      provinceName,
      siteSequence: number.slice(7, 13),
      yearDigits: number.slice(13, 15),
      level,
      levelLabel: levelLabel(level),
      serial: number.slice(16, 22),
    },
  };
}

/** The parts to build a number from. Codes are strings so their leading zeros are kept. */
export interface CertificateNumberFields {
  issuer: 'employer' | 'social_body';
  bodyCode: string;
  provinceCode: string;
  siteSequence: string;
  /** The full issue year (2024) or its two digits ("24"). */
  year: number | string;
  level: number;
  /** The serial as a number (1 → "000001") or six digits. */
  serial: number | string;
}

/**
 * Builds a certificate number (an HR bureau issuing a promotion's certificate, test data).
 * Throws a RangeError when a part does not fit its width or the result does not parse.
 */
export function buildCertificateNumber(fields: CertificateNumberFields): string {
  const year = typeof fields.year === 'number' ? String(fields.year % 100).padStart(2, '0') : fields.year;
  const serial = typeof fields.serial === 'number' ? String(fields.serial).padStart(6, '0') : fields.serial;
  const parts: [string, string, number][] = [
    ['bodyCode', fields.bodyCode, 4],
    ['provinceCode', fields.provinceCode, 2],
    ['siteSequence', fields.siteSequence, 6],
    ['year', year, 2],
    ['serial', serial, 6],
  ];
  for (const [name, value, width] of parts)
    if (!new RegExp(`^\\d{${width}}$`).test(value)) throw new RangeError(`${name} must be ${width} digits, got ${JSON.stringify(value)}`);
  if (!isCertifiedLevel(fields.level)) throw new RangeError(`level must be 1–5, got ${fields.level}`);
  const number = `${fields.issuer === 'employer' ? 'Y' : 'S'}${fields.bodyCode}${fields.provinceCode}${fields.siteSequence}${year}${fields.level}${serial}`;
  const parsed = parseCertificateNumber(number);
  if (!parsed.ok) throw new RangeError(parsed.message);
  return number;
}

/** One way a certificate number disagrees with the certificate it is printed on. */
export type CertificateMismatch =
  | { field: 'number'; reason: CertificateNumberReason; message: string }
  | { field: 'year'; expected: string; actual: string; message: string }
  | { field: 'level'; expected: number; actual: number; message: string };

export type CertificateConsistency = { ok: true; value: CertificateNumberParts } | { ok: false; mismatches: CertificateMismatch[] };

/**
 * Checks a number against its certificate: the year digits must be the issue year mod 100 and
 * the level digit the certified level. Every mismatch is named (both can be wrong); a number
 * that does not parse gives the one `number` mismatch.
 *
 * @param expected issueDate: `yyyy-mm-dd`, or an instant read as its China (UTC+8) date; level 1–5
 */
export function checkCertificateConsistency(number: string, expected: { issueDate: string | Date; level: number }): CertificateConsistency {
  const issueDate = typeof expected.issueDate === 'string' ? expected.issueDate : chinaDate(expected.issueDate);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(issueDate)) throw new RangeError(`issueDate must be yyyy-mm-dd, got ${JSON.stringify(issueDate)}`);
  if (!isCertifiedLevel(expected.level)) throw new RangeError(`level must be 1–5, got ${expected.level}`);

  const parsed = parseCertificateNumber(number);
  if (!parsed.ok) return { ok: false, mismatches: [{ field: 'number', reason: parsed.reason, message: parsed.message }] };
  const parts = parsed.value;
  const mismatches: CertificateMismatch[] = [];
  const year = issueDate.slice(2, 4);
  if (parts.yearDigits !== year)
    mismatches.push({
      field: 'year',
      expected: year,
      actual: parts.yearDigits,
      message: `the number's year digits (characters 14–15) are ${parts.yearDigits}, but the certificate was issued in ${issueDate.slice(0, 4)}`,
    });
  if (parts.level !== expected.level)
    mismatches.push({
      field: 'level',
      expected: expected.level,
      actual: parts.level,
      message: levelMismatch(parts, expected.level),
    });
  return mismatches.length === 0 ? { ok: true, value: parts } : { ok: false, mismatches };
}

/**
 * The certificate number's problems as one message, or null when it is fine: what a form or an
 * import shows next to the number field. Like {@link checkCertificateConsistency}, but the
 * issue date may be missing (a pending certificate, or a date the form reports on its own
 * field), and then only the format and the level digit are checked.
 */
export function certificateNumberProblem(number: string, record: { issueDate?: string | null; level: number }): string | null {
  const issueDate = record.issueDate ?? null;
  if (issueDate !== null && /^\d{4}-\d{2}-\d{2}$/.test(issueDate) && isCertifiedLevel(record.level)) {
    const checked = checkCertificateConsistency(number, { issueDate, level: record.level });
    return checked.ok ? null : checked.mismatches.map((m) => m.message).join('; ');
  }
  const parsed = parseCertificateNumber(number);
  if (!parsed.ok) return parsed.message;
  if (isCertifiedLevel(record.level) && parsed.value.level !== record.level)
    return levelMismatch(parsed.value, record.level);
  return null;
}

function levelMismatch(parts: CertificateNumberParts, level: number): string {
  return `the number's level digit (character 16) is ${parts.level} (${parts.levelLabel}), but the certificate is for ${levelLabel(level)}`;
}
