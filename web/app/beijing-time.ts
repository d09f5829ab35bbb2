/**
 * Times as a Beijing wall clock reads them, whatever zone the device is set to: one format for
 * the whole app (2026-12-05 23:59, 2026-12-05). China keeps UTC+8 all year (no daylight saving),
 * so a fixed offset is exact.
 */
const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Date and minute in Beijing: "2026-12-05 23:59". */
export function beijingMinute(iso: string): string {
  return new Date(new Date(iso).getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Date and second in Beijing: "2026-12-05 23:59:30". */
export function beijingSecond(iso: string): string {
  return new Date(new Date(iso).getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Today in Beijing: "2026-12-05" (the device's clock). */
export function beijingToday(): string {
  return beijingDate(new Date().toISOString());
}

/** This year in Beijing (the device's clock): on New Year's Eve abroad it may already be next year here. */
export function beijingYear(): number {
  return Number(beijingToday().slice(0, 4));
}

/** The Beijing calendar day: "2026-12-05". */
export function beijingDate(iso: string): string {
  return beijingMinute(iso).slice(0, 10);
}

/**
 * The last Beijing calendar day of a period that ends at an instant: a publicity period ends at
 * 24:00 of its last day (00:00 of the next), and "公示期至 12月9日" means through the 9th, not the 10th.
 */
export function beijingLastDay(endIso: string): string {
  return beijingDate(new Date(Date.parse(endIso) - 1).toISOString());
}

/**
 * The end of a period as a Beijing wall clock reads it: one that ends at midnight is written as
 * 24:00 of its last day ("2026-12-09 24:00", as notices put it), never as 00:00 of the next day.
 */
export function beijingEndMinute(endIso: string): string {
  const minute = beijingMinute(endIso);
  return minute.endsWith(' 00:00') ? `${beijingLastDay(endIso)} 24:00` : minute;
}

/** The Beijing calendar day as printed on a certificate: "2026年12月5日". */
export function beijingDateZh(iso: string): string {
  const [y, m, d] = beijingDate(iso).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
