/**
 * Administrative divisions (行政区划代码, GB/T 2260): six digits, province-city-county, e.g.
 * 340000 Anhui, 340100 Hefei, 340123 Feixi. An organisation's region covers every code that
 * starts with the significant part of its own: a province two digits, a city four, a county
 * (and anything below: township, park, enterprise) all six. The national level covers all.
 */
export type RegionLevel = 'national' | 'province' | 'city' | 'county' | 'township' | 'enterprise';

/** The prefix of the codes an organisation of `level` at `code` covers ('' covers every code). */
export function regionPrefix(code: string, level: RegionLevel | null): string {
  if (level === 'national') return '';
  if (level === 'province') return code.slice(0, 2);
  if (level === 'city') return code.slice(0, 4);
  if (level === 'county' || level === 'township' || level === 'enterprise') return code.slice(0, 6);
  // No level recorded: trust the code's trailing zeros (340100 → 3401).
  return code.replace(/(00)+$/, '');
}

/** Whether a region covers a code. */
export function regionCovers(prefix: string, code: string): boolean {
  return code.startsWith(prefix);
}
