import { t } from '../../app/i18n.ts';
import '../../i18n/hr.ts';
// The server's own pure rules (no I/O): the form says exactly what the server will say, while
// typing, instead of a copy of the rules that could drift. The server checks again on save.
import { checkCertificateConsistency, parseCertificateNumber, type CertificateNumberResult } from '../../../server/domain/awards/certificate-numbers.ts';
import { levelText } from '../people/staff-ui.ts';

function formatProblem(parsed: Extract<CertificateNumberResult, { ok: false }>, number: string): string {
  const n = number.trim().toUpperCase();
  switch (parsed.reason) {
    case 'length':
      return t('hr.num.length', { n: n.length });
    case 'issuer':
      return t('hr.num.issuer');
    case 'digits':
      return t('hr.num.digits');
    case 'province':
      return t('hr.num.province', { code: n.slice(5, 7) });
    case 'level':
      return t('hr.num.level', { d: n[15] ?? '' });
  }
}

/**
 * What is wrong with a certificate number, in the user's language: its format (人社鉴发〔2019〕2号),
 * then its year digits against the issue date and its level digit against the level. Empty when
 * it is fine or blank.
 */
export function certificateNumberProblems(number: string, record: { issueDate?: string | null; level?: number | null }): string[] {
  if (!number.trim()) return [];
  const parsed = parseCertificateNumber(number);
  if (!parsed.ok) return [formatProblem(parsed, number)];
  const level = record.level && record.level >= 1 && record.level <= 5 ? record.level : null;
  const date = record.issueDate && /^\d{4}-\d{2}-\d{2}$/.test(record.issueDate) ? record.issueDate : null;
  const problems: string[] = [];
  if (date && level) {
    const checked = checkCertificateConsistency(number, { issueDate: date, level });
    if (!checked.ok)
      for (const m of checked.mismatches) {
        if (m.field === 'year') problems.push(t('hr.num.year', { actual: m.actual, year: date.slice(0, 4) }));
        if (m.field === 'level') problems.push(t('hr.num.levelMismatch', { actual: m.actual, actualLabel: levelText(m.actual), expectedLabel: levelText(m.expected) }));
      }
  } else if (level && parsed.value.level !== level) {
    problems.push(t('hr.num.levelMismatch', { actual: parsed.value.level, actualLabel: levelText(parsed.value.level), expectedLabel: levelText(level) }));
  }
  return problems;
}

/**
 * The server's English explanation of a certificate number's problem (an import row, a refused
 * save) in the user's language; several problems come joined by "; ". Unknown wording is kept.
 */
export function translateNumberMessage(message: string): string {
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^a certificate number has 22 characters, this one has (\d+)$/, (m) => t('hr.num.length', { n: m[1]! })],
    [/^a certificate number starts with Y/, () => t('hr.num.issuer')],
    [/^after its first letter a certificate number has 21 digits$/, () => t('hr.num.digits')],
    [/^(\d\d) \(characters 6–7\) is not a province code$/, (m) => t('hr.num.province', { code: m[1]! })],
    [/^the level digit \(character 16\) is (\d), not 1–5$/, (m) => t('hr.num.level', { d: m[1]! })],
    [/^the number's year digits \(characters 14–15\) are (\d\d), but the certificate was issued in (\d{4})$/, (m) => t('hr.num.year', { actual: m[1]!, year: m[2]! })],
    [
      /^the number's level digit \(character 16\) is (\d) \((.+?)\), but the certificate is for (.+)$/,
      (m) => t('hr.num.levelMismatch', { actual: m[1]!, actualLabel: levelText(Number(m[1])), expectedLabel: levelLabelText(m[3]!) }),
    ],
  ];
  return message
    .split('; ')
    .map((part) => {
      for (const [re, fn] of rules) {
        const m = re.exec(part);
        if (m) return fn(m);
      }
      return part;
    })
    .join('；');
}

/** "三级/高级工" as the server writes it, in the user's language. */
function levelLabelText(label: string): string {
  const n = ['一', '二', '三', '四', '五'].indexOf(label[0] ?? '');
  return n >= 0 ? levelText(n + 1) : label;
}
