import { createContext } from '@lit/context';
import { api } from '../api/client.ts';

export type PanelRole = 'chief' | 'judge' | 'supervisor' | 'scorer';

export type Session =
  | { kind: 'staff'; accountId: number; username: string; displayName: string; role: string; orgId: number }
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

/** Who is signed in, or null (a visitor, or no network): asked of /auth/session, which never answers 401. */
export async function fetchSession(): Promise<Session> {
  try {
    return (await api<{ session: Session }>('GET', '/api/auth/session')).session;
  } catch {
    return null;
  }
}

/** Fired (bubbling, composed) by a page after signing in or out, so the shell reloads the session. */
export class SessionChangedEvent extends Event {
  static readonly type = 'sc-session-changed';
  constructor() {
    super(SessionChangedEvent.type, { bubbles: true, composed: true });
  }
}
