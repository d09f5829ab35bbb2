/**
 * A judge's code arriving in the address: `#code=…` (what links and QR slips carry: a fragment is
 * never sent to the server, so the code stays out of its logs and of proxies' logs) or, from
 * slips printed before, `?code=…`. The code is a credential: it leaves the address bar and the
 * history at once.
 */
export function takeCodeFromAddress(): string | null {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const query = new URLSearchParams(location.search);
  const code = hash.get('code') ?? query.get('code');
  if (!code) return null;
  hash.delete('code');
  query.delete('code');
  const search = query.toString();
  const fragment = hash.toString();
  history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${fragment ? `#${fragment}` : ''}`);
  return code;
}
