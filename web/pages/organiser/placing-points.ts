/**
 * A placing-points table as typed: numbers separated by spaces, commas or 、 ("10 9 8", "10,9,8"),
 * each ≥ 0 with at most two decimals; null when anything else is there.
 */
export function parsePoints(text: string): number[] | null {
  const parts = text
    .trim()
    .split(/[\s,，、]+/)
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 200) return null;
  const values = parts.map(Number);
  return values.every((v) => Number.isFinite(v) && v >= 0 && v <= 10_000 && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6) ? values : null;
}
