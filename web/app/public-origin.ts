import { api } from '../api/client.ts';

/**
 * The address printed QR codes and links point at: the server's PUBLIC_URL when it has one (a
 * venue laptop at 192.168.1.5 still prints certificates that open https://skills.example.gov.cn),
 * else this page's own origin. Read from /api/auth/session, which every page asks anyway.
 */
let known: Promise<string> | null = null;

/** Called with what /api/auth/session said, so pages need not ask again. */
export function notePublicUrl(url: string | null | undefined): void {
  known = Promise.resolve(url || location.origin);
}

/** The origin to print in codes and links (no trailing slash). */
export function publicOrigin(): Promise<string> {
  known ??= api<{ publicUrl: string | null }>('GET', '/api/auth/session').then(
    (r) => r.publicUrl || location.origin,
    () => location.origin,
  );
  return known;
}
