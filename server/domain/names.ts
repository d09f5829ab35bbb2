/**
 * Names as people type them (a worker, a judge, a body, an account): normalised to NFC and trimmed,
 * refused when they carry what no name has — control characters (NUL included), bidirectional
 * overrides that reorder what a screen or a printed list shows, lone surrogates — or nothing
 * visible at all.
 */

// C0 and C1 controls (tab, newline and NUL included), DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// Bidi embeddings, overrides and isolates; the left-to-right / right-to-left marks.
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Characters that show nothing: spaces of every width, zero-width ones, the BOM, fillers.
const INVISIBLE = /^[\s\u200b-\u200d\u2060\ufeff\u3164\u115f\u1160\uffa0]*$/u;

export type NameProblem = 'control' | 'bidi' | 'surrogate' | 'invisible';

/** What each problem is called in a refusal (the form's field error and the import's report). */
export const NAME_PROBLEM_TEXT: Record<NameProblem, string> = {
  control: 'contains a control character',
  bidi: 'contains a text-direction override',
  surrogate: 'contains a broken character',
  invisible: 'has nothing visible',
};

/** Why a name is refused, or null. */
export function nameProblem(text: string): NameProblem | null {
  if (LONE_SURROGATE.test(text)) return 'surrogate';
  if (CONTROL.test(text)) return 'control';
  if (BIDI.test(text)) return 'bidi';
  if (INVISIBLE.test(text)) return 'invisible';
  return null;
}

/** The name as stored: NFC, trimmed (only a well-formed string can be normalised). */
export function normaliseName(text: string): string {
  return LONE_SURROGATE.test(text) ? text.trim() : text.normalize('NFC').trim();
}
