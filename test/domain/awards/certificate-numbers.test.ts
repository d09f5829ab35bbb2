import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildCertificateNumber,
  certificateNumberProblem,
  checkCertificateConsistency,
  levelLabel,
  parseCertificateNumber,
  PROVINCE_CODES,
} from '../../../server/domain/awards/index.ts';

// The ministry's example: an employer, body 0001, Heilongjiang (23), issued 2019, 五级, serial 1.
const HEILONGJIANG = buildCertificateNumber({ issuer: 'employer', bodyCode: '0001', provinceCode: '23', siteSequence: '000123', year: 2019, level: 5, serial: 1 });
// An Anhui social evaluation body filed with the province (body code 0000), 2024, 三级/高级工.
const ANHUI = buildCertificateNumber({ issuer: 'social_body', bodyCode: '0000', provinceCode: '34', siteSequence: '000015', year: '24', level: 3, serial: '000128' });

describe('buildCertificateNumber / parseCertificateNumber', () => {
  it('builds 22-character numbers in the 人社鉴发〔2019〕2号 layout', () => {
    expect(HEILONGJIANG).toBe('Y000123000123195000001');
    expect(ANHUI).toBe('S000034000015243000128');
  });

  it('reads every part back', () => {
    expect(parseCertificateNumber(ANHUI)).toEqual({
      ok: true,
      value: {
        number: ANHUI,
        issuerType: 'S',
        issuer: 'social_body',
        bodyCode: '0000',
        provinceCode: '34',
        provinceName: '安徽',
        siteSequence: '000015',
        yearDigits: '24',
        level: 3,
        levelLabel: '三级/高级工',
        serial: '000128',
      },
    });
    expect(parseCertificateNumber(HEILONGJIANG)).toMatchObject({ ok: true, value: { issuer: 'employer', provinceName: '黑龙江', level: 5, levelLabel: '五级/初级工' } });
  });

  it('accepts spaces around the number and a lower-case letter, as pasted from a spreadsheet', () => {
    expect(parseCertificateNumber(`  ${ANHUI.toLowerCase()} `)).toMatchObject({ ok: true, value: { number: ANHUI } });
  });

  it.each([
    ['length', ANHUI.slice(0, 21)],
    ['length', `${ANHUI}0`],
    ['length', ''],
    ['issuer', `X${ANHUI.slice(1)}`],
    ['digits', `${ANHUI.slice(0, 10)}A${ANHUI.slice(11)}`],
    ['digits', `S${'0'.repeat(20)}-`],
    ['province', `S0000${'99'}${ANHUI.slice(7)}`],
    ['province', `S0000${'00'}${ANHUI.slice(7)}`],
    ['level', `${ANHUI.slice(0, 15)}0${ANHUI.slice(16)}`],
    ['level', `${ANHUI.slice(0, 15)}6${ANHUI.slice(16)}`],
  ])('rejects with reason %s: %j', (reason, number) => {
    const result = parseCertificateNumber(number);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
  });

  it('refuses to build a number whose parts do not fit', () => {
    const base = { issuer: 'employer' as const, bodyCode: '0001', provinceCode: '34', siteSequence: '000001', year: 2024, level: 2, serial: 1 };
    expect(() => buildCertificateNumber({ ...base, bodyCode: '12' })).toThrow(/bodyCode/);
    expect(() => buildCertificateNumber({ ...base, serial: 1_000_000 })).toThrow(/serial/);
    expect(() => buildCertificateNumber({ ...base, level: 6 })).toThrow(/level/);
    expect(() => buildCertificateNumber({ ...base, provinceCode: '99' })).toThrow(/province/);
  });

  it('round-trips any valid parts (property)', () => {
    const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    fc.assert(
      fc.property(
        fc.record({
          issuer: fc.constantFrom('employer' as const, 'social_body' as const),
          bodyCode: digits(4),
          provinceCode: fc.constantFrom(...Object.keys(PROVINCE_CODES)),
          siteSequence: digits(6),
          year: fc.integer({ min: 2019, max: 2099 }),
          level: fc.integer({ min: 1, max: 5 }),
          serial: fc.integer({ min: 1, max: 999_999 }),
        }),
        (fields) => {
          const parsed = parseCertificateNumber(buildCertificateNumber(fields));
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          expect(parsed.value).toMatchObject({
            issuer: fields.issuer,
            bodyCode: fields.bodyCode,
            provinceCode: fields.provinceCode,
            siteSequence: fields.siteSequence,
            yearDigits: String(fields.year % 100).padStart(2, '0'),
            level: fields.level,
            serial: String(fields.serial).padStart(6, '0'),
          });
        },
      ),
    );
  });
});

describe('checkCertificateConsistency', () => {
  it('accepts a number whose year and level digits match the certificate', () => {
    expect(checkCertificateConsistency(ANHUI, { issueDate: '2024-06-30', level: 3 })).toMatchObject({ ok: true, value: { serial: '000128' } });
  });

  it('names a year mismatch', () => {
    const result = checkCertificateConsistency(ANHUI, { issueDate: '2023-12-29', level: 3 });
    expect(result).toEqual({
      ok: false,
      mismatches: [{ field: 'year', expected: '23', actual: '24', message: expect.stringContaining('issued in 2023') }],
    });
  });

  it('names a level mismatch', () => {
    const result = checkCertificateConsistency(ANHUI, { issueDate: '2024-01-02', level: 2 });
    expect(result).toEqual({
      ok: false,
      mismatches: [{ field: 'level', expected: 2, actual: 3, message: expect.stringContaining('二级/技师') }],
    });
  });

  it('names both when both are wrong, and the format problem for a number that does not parse', () => {
    const both = checkCertificateConsistency(ANHUI, { issueDate: '2025-03-01', level: 1 });
    expect(both.ok ? [] : both.mismatches.map((m) => m.field)).toEqual(['year', 'level']);
    expect(checkCertificateConsistency('S0000', { issueDate: '2024-01-01', level: 3 })).toEqual({
      ok: false,
      mismatches: [{ field: 'number', reason: 'length', message: expect.any(String) }],
    });
  });

  it('reads an issue instant as its China date (New Year’s Day in Beijing is still 31 December in UTC)', () => {
    const number = buildCertificateNumber({ issuer: 'employer', bodyCode: '0002', provinceCode: '12', siteSequence: '000001', year: 2024, level: 4, serial: 9 });
    expect(checkCertificateConsistency(number, { issueDate: new Date('2023-12-31T17:00:00Z'), level: 4 }).ok).toBe(true);
    expect(checkCertificateConsistency(number, { issueDate: new Date('2023-12-31T15:00:00Z'), level: 4 }).ok).toBe(false);
  });

  it('refuses a malformed expected date or level', () => {
    expect(() => checkCertificateConsistency(ANHUI, { issueDate: '2024/06/30', level: 3 })).toThrow(RangeError);
    expect(() => checkCertificateConsistency(ANHUI, { issueDate: '2024-06-30', level: 0 })).toThrow(RangeError);
  });
});

describe('certificateNumberProblem (form and import check)', () => {
  it('is null for a consistent number and one message otherwise', () => {
    expect(certificateNumberProblem(ANHUI, { issueDate: '2024-05-01', level: 3 })).toBeNull();
    expect(certificateNumberProblem(ANHUI, { issueDate: '2023-05-01', level: 2 })).toMatch(/year digits.*; .*level digit/);
    expect(certificateNumberProblem('Z123', { issueDate: '2024-05-01', level: 3 })).toMatch(/22 characters/);
  });

  it('checks format and level only while the issue date is missing', () => {
    expect(certificateNumberProblem(ANHUI, { issueDate: null, level: 3 })).toBeNull();
    expect(certificateNumberProblem(ANHUI, { level: 4 })).toMatch(/四级\/中级工/);
  });
});

describe('levelLabel', () => {
  it('writes levels as certificates print them, with the grades above level 1', () => {
    expect([1, 2, 3, 4, 5].map(levelLabel)).toEqual(['一级/高级技师', '二级/技师', '三级/高级工', '四级/中级工', '五级/初级工']);
    expect(levelLabel(0)).toBe('特级技师');
    expect(levelLabel(-1)).toBe('首席技师');
    expect(levelLabel(7)).toBe('7');
  });
});
