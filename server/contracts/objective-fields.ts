/**
 * The objective-value fields and how people write a time, without zod: the grid on the chief
 * judge's tablet imports these and should not pull the schema library into its bundle.
 */

/** The field of a completion time (the completion_time tie-break), in seconds. Part ids are lower-case, so no part can be called this. */
export const COMPLETION_TIME = 'completionTime';
/** The longest completion time accepted: a week, as the round-entry form allows. */
export const COMPLETION_TIME_MAX = 7 * 24 * 3600;

/** Full-width digits and signs to half-width, spaces removed (Chinese input methods type ＡＢＣ１２３：). */
function foldText(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\u3000]/g, '');
}

const hundredths = (n: number) => Math.round(n * 100) / 100;

/**
 * A completion time as seconds, as people write it: 754, 754.5, 12:34, 1:02:34, 12:34.5, 12分34秒,
 * 1小时2分. Undefined when unreadable. Shared by the grid (web) and the file import (server).
 */
export function parseDuration(text: string): number | undefined {
  const t = foldText(text);
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  let m = /^(\d+):(\d{1,2}(?:\.\d+)?)$/.exec(t);
  if (m && Number(m[2]) < 60) return hundredths(Number(m[1]) * 60 + Number(m[2]));
  m = /^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(t);
  if (m && Number(m[2]) < 60 && Number(m[3]) < 60) return hundredths(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]));
  m = /^(?:(\d+)(?:小时|时|h))?(?:(\d+)(?:分钟|分|m|min))?(?:(\d+(?:\.\d+)?)(?:秒|s))?$/.exec(t);
  if (m && (m[1] || m[2] || m[3])) return hundredths(Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
  return undefined;
}

/** Seconds as m:ss (or h:mm:ss), with hundredths when there are any: 754 → 12:34. */
export function formatDuration(seconds: number): string {
  const whole = Math.floor(seconds + 1e-9);
  const frac = Math.round((seconds - whole) * 100);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, '0') + (frac ? `.${String(frac).padStart(2, '0').replace(/0$/, '')}` : '');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
