import { describe, expect, it } from 'vitest';
import { amountDue, certificateNumber, nominationWindow, overpayment, rewardTotals, selectionPublicityEnd, termEnds } from '../../../server/domain/selections/index.ts';

describe('rewards', () => {
  it('due per title: one-off, monthly, none; the nomination award', () => {
    expect(amountDue('title', { kind: 'one_off', yuan: 20000 }, 5000)).toBe(20000);
    expect(amountDue('title', { kind: 'monthly', yuan: 500.5, months: 36 }, null)).toBe(18018);
    expect(amountDue('title', { kind: 'none' }, 5000)).toBe(0);
    expect(amountDue('nomination_award', { kind: 'one_off', yuan: 20000 }, 5000)).toBe(5000);
    expect(amountDue('nomination_award', { kind: 'one_off', yuan: 20000 }, null)).toBe(0);
  });

  it('totals per selection and per budget year, to the fen', () => {
    const totals = rewardTotals(
      [
        { candidateId: 1, due: 20000 },
        { candidateId: 2, due: 5000 },
      ],
      [
        { candidateId: 1, amountYuan: 10000.1, budgetYear: 2027 },
        { candidateId: 1, amountYuan: 9999.9, budgetYear: 2028 },
        { candidateId: 2, amountYuan: 0.1, budgetYear: 2027 },
        { candidateId: 2, amountYuan: 0.2, budgetYear: 2027 },
      ],
    );
    expect(totals).toMatchObject({ due: 25000, paid: 20000.3, outstanding: 4999.7 });
    expect(totals.byBudgetYear).toEqual([
      { budgetYear: 2027, paid: 10000.4, payments: 3 },
      { budgetYear: 2028, paid: 9999.9, payments: 1 },
    ]);
    expect(totals.byRecipient[0]).toEqual({ candidateId: 1, due: 20000, paid: 20000, outstanding: 0 });
  });

  it('refuses a payment past what is due, saying what is outstanding', () => {
    expect(overpayment(20000, 15000, 5000)).toBeNull();
    expect(overpayment(20000, 15000, 5000.01)).toEqual({ outstanding: 5000 });
    expect(overpayment(0.3, 0.1, 0.2)).toBeNull();
  });
});

describe('timetable', () => {
  it('the publicity period counts working days by the calendar', () => {
    // Friday 30 April 2027 09:00 China time; 1–2 May (Labour Day) off, 3 May a holiday in this calendar.
    const start = new Date('2027-04-30T01:00:00Z');
    const calendar = { holidays: new Set(['2027-05-03']), workdays: new Set<string>() };
    // 4, 5, 6, 7, 10 May: ends at the end of Monday 10 May, China time.
    expect(selectionPublicityEnd(start, 5, calendar).toISOString()).toBe('2027-05-10T16:00:00.000Z');
  });

  it('nomination window, term and certificate number', () => {
    expect(nominationWindow('2027-02-28', '2027-03-01', '2027-03-31')).toBe('not_open');
    expect(nominationWindow('2027-03-31', '2027-03-01', '2027-03-31')).toBe('open');
    expect(nominationWindow('2027-04-01', '2027-03-01', '2027-03-31')).toBe('closed');
    expect(termEnds('2028-02-29', 3)).toBe('2031-02-28');
    expect(termEnds('2027-05-20', null)).toBeNull();
    expect(certificateNumber(2027, 3, 7)).toBe('GJ2027-0003-007');
  });
});
