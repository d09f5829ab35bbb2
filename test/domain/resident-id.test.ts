import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskResidentId, parseResidentId, residentIdCheckChar } from '../../server/domain/resident-id.ts';

/** A well-formed ID number: area, birth date (YYYYMMDD), 3-digit sequence and the computed check character. */
function idOf(area: string, birth: string, sequence: string): string {
  const first17 = `${area}${birth}${sequence}`;
  return first17 + residentIdCheckChar(first17);
}

const TODAY = new Date('2024-06-01T00:00:00Z');

describe('residentIdCheckChar', () => {
  it('matches the GB 11643 example numbers', () => {
    // Published examples of the standard: 11010519491231002X and 440524188001010014.
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
  });
});

describe('parseResidentId', () => {
  it('accepts a valid number and derives birth date and gender', () => {
    const id = idOf('340123', '19850312', '123');
    const parsed = parseResidentId(id, TODAY);
    expect(parsed).toEqual({ ok: true, value: { idNumber: id, birthDate: '1985-03-12', gender: 'male' } });
  });

  it('reads an even sequence digit as female', () => {
    const parsed = parseResidentId(idOf('340123', '19900101', '124'), TODAY);
    expect(parsed.ok && parsed.value.gender).toBe('female');
  });

  it('normalises a lower-case x check character and surrounding blanks', () => {
    const parsed = parseResidentId(' 11010519491231002x ', TODAY);
    expect(parsed.ok && parsed.value.idNumber).toBe('11010519491231002X');
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseResidentId(idOf('340123', '20000229', '011'), TODAY).ok).toBe(true);
  });

  it.each([
    ['too short', '34012319850312123'],
    ['too long', '3401231985031212345'],
    ['a letter inside', '34012319A50312123X'],
    ['X not at the end', '3401231985031212X3'],
    ['empty', ''],
  ])('refuses the format: %s', (_label, raw) => {
    const parsed = parseResidentId(raw, TODAY);
    expect(parsed).toMatchObject({ ok: false, reason: 'format' });
  });

  it.each([
    ['month 13', '19851312'],
    ['31 April', '19850431'],
    ['29 February in a common year', '20230229'],
    ['29 February 1900 (not a leap year)', '19000229'],
    ['before 1900', '18991231'],
    ['in the future', '20240602'],
    ['day zero', '19850300'],
  ])('refuses the birth date: %s', (_label, birth) => {
    const parsed = parseResidentId(idOf('340123', birth, '123'), TODAY);
    expect(parsed).toMatchObject({ ok: false, reason: 'birth_date' });
  });

  it('refuses a wrong check character', () => {
    const good = idOf('340123', '19850312', '123');
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(parseResidentId(wrong, TODAY)).toMatchObject({ ok: false, reason: 'check_char' });
  });

  it('round-trips any real birth date and sequence, and catches any other check character', () => {
    const birthDates = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2024-05-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(birthDates, fc.integer({ min: 0, max: 999 }), fc.constantFrom(...'0123456789X'), (date, seq, other) => {
        const birth = date.toISOString().slice(0, 10);
        const sequence = String(seq).padStart(3, '0');
        const id = idOf('340123', birth.replaceAll('-', ''), sequence);
        const parsed = parseResidentId(id, TODAY);
        expect(parsed).toEqual({ ok: true, value: { idNumber: id, birthDate: birth, gender: seq % 2 === 1 ? 'male' : 'female' } });
        if (other !== id[17]) expect(parseResidentId(id.slice(0, 17) + other, TODAY)).toMatchObject({ ok: false, reason: 'check_char' });
      }),
    );
  });
});

describe('maskResidentId', () => {
  it('keeps the area code and the last four, hiding the birth date', () => {
    expect(maskResidentId('34012319850312123X')).toBe('340123********123X');
  });

  it('hides everything of a number that is not 18 characters long', () => {
    expect(maskResidentId('340123850312123')).toBe('***************');
  });
});
