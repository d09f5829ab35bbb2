/** A refusal from the API: the problem+json body, with each invalid field named. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: { field: string; message: string }[] = [],
    /** Values for the translation of `code` (e.g. `retryAfterSeconds`). */
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }

  /** The message for one field (e.g. `body.marks.0.value`), if the API named it. */
  fieldMessage(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field || e.field.endsWith(`.${field}`))?.message;
  }
}

/** Raised when the request never reached the server (offline, Wi-Fi drop, timeout). */
export class NetworkError extends Error {}

/**
 * Calls the JSON API with the session cookie. Resolves to the parsed body; rejects with
 * ApiError for a 4xx/5xx answer and NetworkError when there was no answer at all.
 */
export async function api<T>(method: string, path: string, body?: unknown, opts: { timeoutMs?: number } = {}): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 15_000);
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
  } catch (err) {
    throw new NetworkError(err instanceof Error ? err.message : String(err));
  } finally {
    clearTimeout(timer);
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as {
      code?: string;
      detail?: string;
      title?: string;
      errors?: { field: string; message: string }[];
      params?: Record<string, string | number>;
    };
    // A staff session that ended for idleness is the shell's to handle (back to sign-in, saying why),
    // whichever page asked; the page still gets its error.
    if (p.code === 'session_idle') window.dispatchEvent(new Event('sc-session-idle'));
    throw new ApiError(res.status, p.code ?? 'error', p.detail ?? p.title ?? res.statusText, p.errors ?? [], p.params ?? {});
  }
  return data as T;
}

/** A page of a paged list, as the API returns it. */
export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** Every page of a paged list (500 a page, the server's most). */
export async function fetchAll<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; page < 100; page++) {
    const res = await api<Page<T>>('GET', `${path}${sep}page=${page}&pageSize=500`);
    out.push(...res.items);
    if (out.length >= res.total || res.items.length === 0) break;
  }
  return out;
}
