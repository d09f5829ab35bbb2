/**
 * The national holiday calendar as shipped: the days each year that differ from Monday–Friday.
 * Loaded into the database on start for every year it has no row for yet
 * (calendar.service.ts `ensureShippedCalendar`); from then on an administrator keeps it
 * (`PUT /api/calendar/:year`, page /calendar), and an edited year is never overwritten.
 *
 * 2026 is the State Council's notice (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04).
 *
 * 2027: the State Council's arrangement was not in the sources available when this was written,
 * so only the statutory holidays themselves are shipped (全国年节及纪念日放假办法, 2024 revision:
 * New Year 1 day, Spring Festival 4 days from New Year's Eve, Qingming 1, Labour Day 2,
 * Dragon Boat 1, Mid-Autumn 1, National Day 3), on their 2027 dates, without the bridging days
 * and make-up working days (调休) the notice will add. The year is marked `provisional`: an
 * administrator enters the notice once published (the page shows the year as to be checked).
 */
export type ShippedYear = {
  year: number;
  status: 'official' | 'provisional';
  source: string;
  days: { date: string; kind: 'holiday' | 'workday'; name: string }[];
};

/** Every date from `from` to `to` (inclusive) as holidays named `name`. */
function block(from: string, to: string, name: string): ShippedYear['days'] {
  const out: ShippedYear['days'] = [];
  for (let d = from; d <= to; d = new Date(new Date(`${d}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10))
    out.push({ date: d, kind: 'holiday', name });
  return out;
}
const workday = (date: string, name: string): ShippedYear['days'][number] => ({ date, kind: 'workday', name: `${name}调休上班` });

export const NATIONAL_CALENDAR: readonly ShippedYear[] = [
  {
    year: 2026,
    status: 'official',
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    days: [
      ...block('2026-01-01', '2026-01-03', '元旦'),
      workday('2026-01-04', '元旦'),
      workday('2026-02-14', '春节'),
      ...block('2026-02-15', '2026-02-23', '春节'),
      workday('2026-02-28', '春节'),
      ...block('2026-04-04', '2026-04-06', '清明节'),
      ...block('2026-05-01', '2026-05-05', '劳动节'),
      workday('2026-05-09', '劳动节'),
      ...block('2026-06-19', '2026-06-21', '端午节'),
      workday('2026-09-20', '国庆节'),
      ...block('2026-09-25', '2026-09-27', '中秋节'),
      ...block('2026-10-01', '2026-10-07', '国庆节'),
      workday('2026-10-10', '国庆节'),
    ],
  },
  {
    year: 2027,
    status: 'provisional',
    source: '全国年节及纪念日放假办法（2024年修订）规定的法定节假日；2027年放假调休安排未发布时的暂定日历，请按国务院办公厅通知核对',
    days: [
      ...block('2027-01-01', '2027-01-01', '元旦'),
      ...block('2027-02-05', '2027-02-08', '春节'),
      ...block('2027-04-05', '2027-04-05', '清明节'),
      ...block('2027-05-01', '2027-05-02', '劳动节'),
      ...block('2027-06-09', '2027-06-09', '端午节'),
      ...block('2027-09-15', '2027-09-15', '中秋节'),
      ...block('2027-10-01', '2027-10-03', '国庆节'),
    ],
  },
];
