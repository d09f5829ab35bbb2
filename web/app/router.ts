/**
 * The app's pages. Each page is its own chunk, loaded when first visited, so the judge's tablet
 * downloads only the shell and the judge's page. Helpers for areas add rows here.
 */
export type Route = { pattern: RegExp; tag: string; load: () => Promise<unknown> };

export const routes: Route[] = [
  { pattern: /^\/$/, tag: 'sc-home-page', load: () => import('../pages/home-page.ts') },
  { pattern: /^\/login$/, tag: 'sc-login-page', load: () => import('../pages/login-page.ts') },
  { pattern: /^\/account\/password$/, tag: 'sc-password-page', load: () => import('../pages/password-page.ts') },
  { pattern: /^\/screen\/(event|competition)\/\d+$/, tag: 'sc-screen-page', load: () => import('../pages/screen/screen-page.ts') },
  { pattern: /^\/judge$/, tag: 'sc-judge-page', load: () => import('../pages/judge/judge-page.ts') },
  { pattern: /^\/chief$/, tag: 'sc-chief-page', load: () => import('../pages/chief/chief-page.ts') },
  { pattern: /^\/scorer$/, tag: 'sc-scorer-page', load: () => import('../pages/scorer/scorer-page.ts') },
  { pattern: /^\/org(\/.*)?$/, tag: 'sc-organiser-page', load: () => import('../pages/organiser/organiser-page.ts') },
  { pattern: /^\/results(\/\d+)?$/, tag: 'sc-results-page', load: () => import('../pages/results/results-page.ts') },
  { pattern: /^\/award\/\d+$/, tag: 'sc-award-page', load: () => import('../pages/results/award-page.ts') },
  { pattern: /^\/selections\/\d+\/certificate\/[^/]+$/, tag: 'sc-title-certificate-page', load: () => import('../pages/selections/title-certificate-page.ts') },
  { pattern: /^\/studios(\/.*)?$/, tag: 'sc-studios-page', load: () => import('../pages/studios/studios-page.ts') },
  { pattern: /^\/hr$/, tag: 'sc-hr-page', load: () => import('../pages/hr/hr-page.ts') },
  { pattern: /^\/awards$/, tag: 'sc-awards-page', load: () => import('../pages/awards/awards-page.ts') },
  { pattern: /^\/awards\/selections(\/\d+(\/review)?)?$/, tag: 'sc-selections-page', load: () => import('../pages/selections/selections-page.ts') },
  { pattern: /^\/selections\/\d+\/public$/, tag: 'sc-public-selection-page', load: () => import('../pages/selections/public-selection-page.ts') },
  { pattern: /^\/people$/, tag: 'sc-people-page', load: () => import('../pages/people/people-page.ts') },
  { pattern: /^\/people\/\d+$/, tag: 'sc-person-page', load: () => import('../pages/people/person-page.ts') },
  { pattern: /^\/print\/event\/\d+$/, tag: 'sc-print-page', load: () => import('../pages/print/print-page.ts') },
  { pattern: /^\/print\/event\/\d+\/sheets$/, tag: 'sc-marking-sheets-page', load: () => import('../pages/print/marking-sheets-page.ts') },
  { pattern: /^\/admin$/, tag: 'sc-admin-page', load: () => import('../pages/admin/admin-page.ts') },
  { pattern: /^\/calendar$/, tag: 'sc-calendar-page', load: () => import('../pages/calendar/calendar-page.ts') },
];

export function matchRoute(path: string): Route | undefined {
  return routes.find((r) => r.pattern.test(path));
}
