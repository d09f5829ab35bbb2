import { createContext } from '@lit/context';
import { api } from '../api/client.ts';
import { notePublicUrl } from './public-origin.ts';

export type PanelRole = 'chief' | 'judge' | 'supervisor' | 'scorer';

export type Session =
  | {
      kind: 'staff';
      accountId: number;
      username: string;
      displayName: string;
      role: string;
      orgId: number;
      /** An administrator set the password: the person chooses their own before anything else. */
      mustChangePassword: boolean;
    }
  | {
      kind: 'judge';
      judgeId: number;
      competitionId: number;
      name: string;
      /** The first of `events` (null while the judge sits on none). */
      eventId: number | null;
      role: PanelRole | null;
      /** Every event the judge sits on with their role there: one code for all of them. */
      events: { eventId: number; eventName: string; role: PanelRole }[];
    }
  | null;

/** The signed-in staff member or judge, provided by the shell to every page. */
export const sessionContext = createContext<Session>(Symbol('session'));

/**
 * Who is signed in, or null (a visitor, or no network): asked of /auth/session, which never answers
 * 401; `endedIdle` when the session this browser held had just ended for want of use; `unknown`
 * when there was no answer (offline): null then means "cannot tell", not "signed out".
 */
export async function fetchSessionState(): Promise<{ session: Session; endedIdle: boolean; unknown: boolean }> {
  try {
    const state = await api<{ session: Session; endedIdle: boolean; publicUrl: string | null }>('GET', '/api/auth/session');
    notePublicUrl(state.publicUrl);
    return { session: state.session, endedIdle: state.endedIdle, unknown: false };
  } catch {
    return { session: null, endedIdle: false, unknown: true };
  }
}

/** Who is signed in, or null (a visitor, or no network). */
export async function fetchSession(): Promise<Session> {
  return (await fetchSessionState()).session;
}

/** Where a staff member is sent when their session ended for idleness: back here after signing in. */
export function idleSignInPath(from: string): string {
  return `/login?reason=idle&next=${encodeURIComponent(from)}`;
}

/** Dispatched on window by the API client when any request answers 401 `session_idle`. */
export const SESSION_IDLE_EVENT = 'sc-session-idle';

/** Fired (bubbling, composed) by a page after signing in or out, so the shell reloads the session. */
export class SessionChangedEvent extends Event {
  static readonly type = 'sc-session-changed';
  constructor() {
    super(SessionChangedEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * Fired (bubbling, composed) by the judge's tablet when, with no network, it carries on as the
 * judge it kept for offline use: the shell, which could not ask the server, shows that judge (and
 * the sign-out button) until the server answers.
 */
export class OfflineSessionEvent extends Event {
  static readonly type = 'sc-offline-session';
  constructor(readonly session: Extract<Session, { kind: 'judge' }>) {
    super(OfflineSessionEvent.type, { bubbles: true, composed: true });
  }
}
