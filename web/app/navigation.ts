import type { Session } from './session.ts';

/**
 * Where the app can go: client-side navigation and the areas a signed-in person may use. Pages
 * import this module, never the router (which loads the pages): no import cycle between them.
 */

/** Client-side navigation: links with `href` starting with `/` call this instead of reloading. */
export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** Where a staff member changes their own password (and must, after an administrator set it). */
export const PASSWORD_PAGE = '/account/password';

export type Area = {
  /** Message key of the area's name in the top navigation. */
  label: string;
  /** Where the area's link goes. */
  href: string;
  /** Paths that belong to the area (its link is marked current on them). */
  owns: RegExp;
};

const STAFF_AREAS = {
  competitions: { label: 'nav.competitions', href: '/org', owns: /^\/org(\/|$)/ },
  // A selection's public list (/selections/:id/public) is published like results.
  results: { label: 'nav.results', href: '/results', owns: /^\/((results|award)(\/|$)|selections\/\d+\/public$)/ },
  // Titles, and the craftsman selections that confer them (/awards/selections, /awards/selections/:id,
  // a reviewer's sheet /awards/selections/:id/review).
  awards: { label: 'nav.awards', href: '/awards', owns: /^\/awards(\/selections(\/\d+(\/review)?)?)?$/ },
  levels: { label: 'nav.levels', href: '/hr', owns: /^\/hr$/ },
  studios: { label: 'nav.studios', href: '/studios', owns: /^\/studios(\/|$)/ },
  people: { label: 'nav.people', href: '/people', owns: /^\/people(\/|$)/ },
  admin: { label: 'nav.admin', href: '/admin', owns: /^\/(admin|calendar)(\/|$)/ },
} satisfies Record<string, Area>;

/**
 * The areas in the top navigation. Every staff role reads every area (the server decides what each
 * may change there); the organisation tree and accounts are the administrator's alone. A judge sees
 * the pages of the panel roles they hold; a visitor the published results.
 */
export function areasFor(session: Session): Area[] {
  if (!session) return [STAFF_AREAS.results];
  if (session.kind === 'judge') {
    const roles = new Set(session.events.map((e) => e.role));
    const areas: Area[] = [];
    if (roles.has('judge') || roles.has('chief') || roles.has('supervisor'))
      areas.push({ label: 'nav.judge', href: '/judge', owns: /^\/judge$/ });
    if (roles.has('chief') || roles.has('supervisor')) areas.push({ label: 'nav.chief', href: '/chief', owns: /^\/chief$/ });
    if (roles.has('scorer')) areas.push({ label: 'nav.scorer', href: '/scorer', owns: /^\/scorer$/ });
    return areas;
  }
  // A password an administrator set opens nothing until it is replaced: no areas to wander into.
  if (session.mustChangePassword) return [];
  const { competitions, results, awards, levels, studios, people, admin } = STAFF_AREAS;
  const all = [competitions, results, awards, levels, studios, people];
  return session.role === 'admin' ? [...all, admin] : all;
}

/**
 * Where a person lands after signing in: the work waiting for their role. An HR officer on the
 * certified levels (with the proposals waiting for them), a studio officer on the studios, an
 * organiser or viewer on their competitions, an administrator on the organisation tree.
 */
export function landingFor(session: Session): string {
  if (!session) return '/';
  if (session.kind === 'judge') return areasFor(session)[0]?.href ?? '/judge';
  if (session.mustChangePassword) return PASSWORD_PAGE;
  switch (session.role) {
    case 'admin':
      return '/admin';
    case 'hr_officer':
      return '/hr';
    case 'studio_officer':
      return '/studios';
    default:
      return '/org';
  }
}
