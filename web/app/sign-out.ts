/**
 * Signing out, between the shell's button and the pages: a page may give a warning to show in
 * the confirmation (the judge's page: sheets still waiting for the network) and is told once the
 * user has signed out (the judge's page forgets the judge it kept for offline use). A tiny
 * registry rather than an import of the pages, so the shell stays small and pages lazily loaded.
 */
export type SignOutGuard = () => Promise<string | null> | string | null;
export type SignedOutListener = () => Promise<void> | void;

const guards = new Set<SignOutGuard>();
const listeners = new Set<SignedOutListener>();

/** Registers a guard; returns the function that removes it (call it when the page goes). */
export function addSignOutGuard(guard: SignOutGuard): () => void {
  guards.add(guard);
  return () => guards.delete(guard);
}

/** Registers a listener for a completed sign-out; returns the function that removes it. */
export function addSignedOutListener(listener: SignedOutListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Every warning the registered pages give now. */
export async function signOutWarnings(): Promise<string[]> {
  const answers = await Promise.all([...guards].map(async (g) => (await g()) ?? null));
  return answers.filter((w): w is string => w !== null && w !== '');
}

/** Tells the pages the user has signed out. */
export async function notifySignedOut(): Promise<void> {
  await Promise.all([...listeners].map(async (l) => l()));
}
