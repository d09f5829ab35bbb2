import type { PanelRole, StaffRole } from './plugins/auth.plugin.ts';

/**
 * Who may call each API operation at all: the one table of it, by operationId.
 *
 * A caller is a staff account by its role, or a judge signed in with their code by a panel role
 * they hold. A judge holds a role per event, so the table counts a judge as a `chief` caller (say)
 * when they are chief judge of any event; the handler then asks for the role in the event at hand.
 * An entry that names every panel role (PANEL) admits any signed-in judge, as `requireJudge()`
 * with no roles does, even one not yet seated on an event.
 *
 * server/plugins/access.plugin.ts enforces this table on every /api route before anything else
 * runs (401 for a visitor, 403 for a caller not listed), and /docs shows each operation's callers.
 * The table is the coarse gate only. Every handler still narrows further, always in the same two
 * ways, which the entries do not repeat:
 * - staff act only on records in their scope: their organisation's subtree, competitions their
 *   body co-organises or they hold a duty for, an HR bureau's region (server/features/scope.ts,
 *   server/features/studios/scope.ts);
 * - a judge acts only on the events where they hold the listed role.
 * A `note` says where a handler narrows beyond that. `conditional` names the listed callers that
 * the note's condition may still refuse (403) when they are otherwise in scope. `judgeRefusals`
 * keeps the code a handler refused some judges with before the gate existed (the web app shows it
 * in words of its own): the gate refuses them the same way.
 *
 * A new route is refused at startup until it has an entry here.
 */

export type Caller = StaffRole | PanelRole;

/** A refusal with a code of its own, which the web app shows in its own words. */
export type Refusal = { code: string; message: string };

export type AccessRule = {
  callers: readonly Caller[];
  /** Where the handler narrows beyond scope and the event at hand. */
  note?: string;
  /** Listed callers that the note's condition may still refuse (403). */
  conditional?: readonly Caller[];
  /** How a judge the entry does not list is refused, by panel role, where the handler has its own code for it. */
  judgeRefusals?: Partial<Record<PanelRole, Refusal>>;
};

export type AccessEntry = 'public' | readonly Caller[] | AccessRule;

// ---- Staff groups ----

/** Every staff role. */
const STAFF = ['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer'] as const satisfies readonly StaffRole[];
const ADMINS = ['admin'] as const satisfies readonly StaffRole[];
/** Who runs competitions: set them up, register entrants, seat judges, control marking. */
const ORGANISERS = ['admin', 'organiser'] as const satisfies readonly StaffRole[];
/** Who edits people and the titles and promotions results lead to. */
const RECORD_KEEPERS = ['admin', 'organiser', 'hr_officer'] as const satisfies readonly StaffRole[];
/** Who keeps certified skill levels and training subsidies (the HR line). */
const HR_KEEPERS = ['admin', 'hr_officer'] as const satisfies readonly StaffRole[];
/** Staff who read an event's marking and results (studio officers do not). */
const EVENT_STAFF = ['admin', 'organiser', 'hr_officer', 'viewer'] as const satisfies readonly StaffRole[];
/** Who registers and looks after studios and runs their joint evaluation (both lines). */
const STUDIO_MANAGERS = ['admin', 'organiser', 'studio_officer', 'hr_officer'] as const satisfies readonly StaffRole[];
/** The union's studio staff: alliances and "five smalls" campaigns are the union's. */
const UNION_STUDIO_STAFF = ['admin', 'organiser', 'studio_officer'] as const satisfies readonly StaffRole[];

// ---- Panel groups ----

/** Every panel role: any signed-in judge. */
const PANEL = ['chief', 'judge', 'supervisor', 'scorer'] as const satisfies readonly PanelRole[];
/** The panel roles that mark. */
const MARKERS = ['judge', 'chief'] as const satisfies readonly PanelRole[];
/** The panel roles that oversee the marking of their event. */
const OVERSEERS = ['chief', 'supervisor'] as const satisfies readonly PanelRole[];

/** Who reads an event's marks, corrections, ranking, panels and publication. */
const EVENT_READERS = [...EVENT_STAFF, ...OVERSEERS] as const;

// ---- Rules shared by several entries ----

/** Studio changes: each line only the kinds of studio it manages (server/features/studios/scope.ts). */
const BY_STUDIO_LINE = {
  callers: STUDIO_MANAGERS,
  note: 'each line changes only the kinds of studio it manages: union staff the union kinds, HR officers the HR bureau kinds (skill-master studios); admins both',
  conditional: ['organiser', 'studio_officer', 'hr_officer'],
} as const satisfies AccessRule;
const REVIEWERS_ONLY = "only a reviewer seated on the round's panel";
/** Craftsman selections are run by their union: co-organising bodies read them and nominate, never manage them. */
const SELECTION_OWNER = "only staff of the union running the selection (its subtree); a co-organiser's staff are refused";
const SELECTION_REVIEWER = "only a reviewer seated on the selection's panel";

// ---- Refusals the handlers word themselves ----

const NOT_A_MARKER: Partial<Record<PanelRole, Refusal>> = {
  supervisor: { code: 'not_a_marking_judge', message: 'Supervisors watch; they do not mark' },
  scorer: { code: 'not_a_marking_judge', message: 'Scorers enter judges’ paper sheets; they do not mark' },
};
const OBJECTIVE_ENTRY_NOT_ALLOWED: Refusal = {
  code: 'objective_entry_not_allowed',
  message: 'Theory scores, completion times and other measured values are entered by the chief judge, scorers or organisers, never by the judges who mark',
};
/** Judges who mark, and supervisors, never enter objective values (server/features/objective/objective.service.ts). */
const NOT_AN_OBJECTIVE_ENTERER = { judge: OBJECTIVE_ENTRY_NOT_ALLOWED, supervisor: OBJECTIVE_ENTRY_NOT_ALLOWED };

export const ACCESS_POLICY = {
  // ---- Sign-in ----
  login: 'public',
  judgeLogin: 'public',
  logout: 'public',
  getSession: 'public',
  getMe: [...STAFF, ...PANEL],
  changePassword: { callers: STAFF, note: 'their own account only' },

  // ---- Organisations and accounts ----
  listOrganisations: STAFF,
  createOrganisation: ADMINS,
  getOrganisation: STAFF,
  updateOrganisation: ADMINS,
  deleteOrganisation: ADMINS,
  listAccounts: ADMINS,
  createAccount: ADMINS,
  getAccount: ADMINS,
  updateAccount: ADMINS,
  deactivateAccount: ADMINS,
  listAudit: ORGANISERS,
  exportAudit: ORGANISERS,

  // ---- People ----
  listPeople: STAFF,
  createPerson: RECORD_KEEPERS,
  getPersonByIdNumber: STAFF,
  getPersonRecord: STAFF,
  getPerson: STAFF,
  updatePerson: RECORD_KEEPERS,
  deletePerson: RECORD_KEEPERS,

  // ---- Competitions, events and rounds ----
  listCoOrganiserCandidates: ORGANISERS,
  listOfficerCandidates: ORGANISERS,
  listCompetitions: STAFF,
  createCompetition: ORGANISERS,
  getCompetition: STAFF,
  updateCompetition: ORGANISERS,
  deleteCompetition: ORGANISERS,
  changeCompetitionStatus: ORGANISERS,
  listEvents: STAFF,
  createEvent: ORGANISERS,
  getEvent: STAFF,
  updateEvent: ORGANISERS,
  deleteEvent: ORGANISERS,
  listRounds: STAFF,
  createRound: ORGANISERS,
  updateRound: ORGANISERS,
  deleteRound: ORGANISERS,
  exportSchemeWorkbook: STAFF,
  importSchemeWorkbook: ORGANISERS,

  // ---- Entries ----
  listEntries: STAFF,
  createEntry: ORGANISERS,
  registerEntriesInBulk: ORGANISERS,
  importEntries: ORGANISERS,
  entrantImportTemplate: STAFF,
  drawLots: {
    callers: STAFF,
    note: "roles other than admin and organiser only as the competition's encryption officer (加密裁判)",
    conditional: ['hr_officer', 'studio_officer', 'viewer'],
  },
  getEntry: STAFF,
  updateEntry: ORGANISERS,
  setEntryMembers: ORGANISERS,
  deleteEntry: ORGANISERS,
  setEntryStatus: ORGANISERS,
  checkInEntries: ORGANISERS,
  getDifficultyGrid: STAFF,
  setDifficultyCoefficients: ORGANISERS,
  addRoundEntry: ORGANISERS,
  removeRoundEntry: ORGANISERS,
  updateRoundEntry: ORGANISERS,

  // ---- Judges, panels and sign-in codes ----
  listCompetitionJudges: STAFF,
  createJudge: ORGANISERS,
  getJudge: { callers: [...STAFF, 'chief'], note: 'a chief judge: only judges sitting on an event they are chief of' },
  updateJudge: ORGANISERS,
  deleteJudge: ORGANISERS,
  listEventJudges: [...STAFF, 'chief'],
  addEventJudge: ORGANISERS,
  updateEventJudgeRole: ORGANISERS,
  removeEventJudge: ORGANISERS,
  getPanels: EVENT_READERS,
  setPanels: [...ORGANISERS, 'chief'],
  issueJudgeCode: { callers: [...ORGANISERS, 'chief'], note: 'a chief judge: only for judges sitting on an event they are chief of, never for themself' },
  revokeJudgeCode: { callers: [...ORGANISERS, 'chief'], note: 'a chief judge: only for judges sitting on an event they are chief of' },
  issueEventJudgeCodes: { callers: [...ORGANISERS, 'chief'], note: "the chief judge's own code is left alone" },
  issueCompetitionJudgeCodes: ORGANISERS,

  // ---- Marking ----
  submitMarks: { callers: MARKERS, judgeRefusals: NOT_A_MARKER },
  getJudgePanel: PANEL,
  listJudgeEntries: PANEL,
  listOwnMarks: PANEL,
  listEventMarks: EVENT_READERS,
  getMarkHistory: { callers: [...EVENT_READERS, 'judge'], note: 'a judge who is not chief or supervisor of the event: only their own marks' },
  chiefCorrectMark: ['chief'],
  requestCorrection: { callers: MARKERS, note: 'only their own marks' },
  listCorrections: EVENT_READERS,
  decideCorrection: ['chief'],
  closeMarking: [...ORGANISERS, 'chief'],
  reopenMarking: [...ORGANISERS, 'chief'],
  releaseResults: [...ORGANISERS, 'chief'],
  listIncompleteEntries: EVENT_READERS,
  advanceRound: [...ORGANISERS, 'chief'],
  getMarkingProgress: [...ORGANISERS, ...OVERSEERS],
  /** Live certainty (已确定晋级 / 已锁定奖项) by drawn number: who runs and oversees the marking. */
  getEventCertainty: [...ORGANISERS, ...OVERSEERS],

  // ---- Trainee judges, judge quality (server/features/judging) ----
  setJudgeTrainee: [...ORGANISERS, 'chief'],
  getTraineeReport: [...ORGANISERS, ...OVERSEERS],
  getEventJudgeQuality: [...ORGANISERS, ...OVERSEERS],
  exportEventJudgeQuality: [...ORGANISERS, ...OVERSEERS],
  getCompetitionJudgeQuality: { callers: [...ORGANISERS, ...OVERSEERS], note: 'a chief judge or supervisor: only the events where they hold that role' },
  exportCompetitionJudgeQuality: { callers: [...ORGANISERS, ...OVERSEERS], note: 'a chief judge or supervisor: only the events where they hold that role' },

  // ---- Paper sheets entered twice by scorers ----
  getPaperPanel: ['scorer'],
  enterPaperSheet: ['scorer'],
  listOwnPaperSheets: ['scorer'],
  openPaperSheet: ['scorer'],
  getMarkingSheets: [...ORGANISERS, 'chief'],
  listPaperDisagreements: [...ORGANISERS, ...OVERSEERS],
  settlePaperDisagreement: ['chief'],

  // ---- Objective values (theory scores, times, measurements) ----
  getObjectiveGrid: [...EVENT_READERS, 'scorer'],
  objectiveImportTemplate: [...EVENT_READERS, 'scorer'],
  getObjectiveValueHistory: [...EVENT_READERS, 'scorer'],
  writeObjectiveValues: { callers: [...ORGANISERS, 'chief', 'scorer'], judgeRefusals: NOT_AN_OBJECTIVE_ENTERER },
  importObjectiveValues: { callers: [...ORGANISERS, 'chief'], judgeRefusals: NOT_AN_OBJECTIVE_ENTERER },
  listObjectiveDisputes: EVENT_READERS,
  settleObjectiveDispute: { callers: ['chief'], judgeRefusals: NOT_AN_OBJECTIVE_ENTERER },
  setObjectiveSettings: { callers: [...ORGANISERS, 'chief'], judgeRefusals: NOT_AN_OBJECTIVE_ENTERER },

  // ---- Elements: base values and void elements (server/features/elements) ----
  getElementGrid: EVENT_READERS,
  setBaseValues: [...ORGANISERS, 'chief'],
  setVoidElement: { callers: ['chief'], note: "a void element is the chief judge's call: organisers enter base values but do not void elements" },

  // ---- Rankings and public results (venue screens, no sign-in) ----
  getPublicEventRanking: 'public',
  streamEventRanking: 'public',
  getPublicCompetitionRanking: 'public',
  streamCompetitionRanking: 'public',
  listPublicCompetitions: 'public',
  listPublishedCompetitions: 'public',
  getPublishedResults: 'public',
  getAwardCertificate: 'public',
  getEventRanking: EVENT_READERS,
  downloadPublishedEventResults: 'public',
  downloadPublishedResults: 'public',
  downloadEventResults: { callers: EVENT_READERS, note: 'names before release only for organisers, admins and the encryption officer' },
  downloadCompetitionResults: { callers: EVENT_STAFF, note: 'names before release only for organisers, admins and the encryption officer' },
  setStandardisation: ORGANISERS,
  getCompetitionStandardised: { callers: EVENT_STAFF, note: 'names before release only for organisers, admins and the encryption officer' },
  getPublicStandardised: 'public',

  // ---- Standings: rounds, final standings, team standing (server/features/standings) ----
  getEventStandings: { callers: EVENT_READERS, note: 'names before release only for organisers, admins and the encryption officer' },
  getPublicEventStandings: 'public',
  getPublicCompetitionStandings: 'public',
  getCompetitionTeamStanding: EVENT_STAFF,
  setCompetitionTeamStanding: ORGANISERS,

  // ---- The open competition package (server/features/package) ----
  getPackageSchema: 'public',
  getPublicCompetitionPackage: 'public',
  exportCompetitionPackage: { callers: ORGANISERS, note: 'the competition in their scope; audited' },
  importCompetitionPackage: ORGANISERS,
  verifyEventResults: [...ORGANISERS, ...OVERSEERS],

  // ---- Results check, appeals, publication and prizes ----
  listRechecks: EVENT_READERS,
  drawRechecks: [...ORGANISERS, 'chief'],
  checkResult: ['chief'],
  listAppeals: EVENT_READERS,
  lodgeAppeal: [...ORGANISERS, 'supervisor'],
  decideAppeal: [...ORGANISERS, 'supervisor'],
  getPublication: EVENT_READERS,
  overrideAwardsGate: ORGANISERS,
  finaliseResults: ORGANISERS,
  previewPrizes: EVENT_READERS,
  setPrizeRule: ORGANISERS,
  awardPrizes: ORGANISERS,
  listPrizes: EVENT_READERS,

  // ---- Titles and promotions ----
  listTitleTypes: STAFF,
  createTitleType: RECORD_KEEPERS,
  listAwardPresets: STAFF,
  listTitleRules: STAFF,
  createTitleRule: RECORD_KEEPERS,
  updateTitleRule: { callers: RECORD_KEEPERS, note: 'only staff of the organisation that set the rules' },
  generateProposals: RECORD_KEEPERS,
  listProposals: STAFF,
  signProposal: { callers: RECORD_KEEPERS, note: 'each for their side: HR officers (and admins of an HR bureau) the HR bureau, the others the union' },
  rejectProposal: RECORD_KEEPERS,

  // ---- Craftsman selection (工匠评选) ----
  listSelectionPresets: EVENT_STAFF,
  listSelections: EVENT_STAFF,
  createSelection: ORGANISERS,
  getSelection: EVENT_STAFF,
  getSelectionReport: EVENT_STAFF,
  exportSelectionReport: EVENT_STAFF,
  updateSelection: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  openSelectionNominations: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  listSelectionCandidates: EVENT_STAFF,
  listSelectionForwardableTitles: RECORD_KEEPERS,
  nominateSelectionCandidate: RECORD_KEEPERS,
  importSelectionRecommendations: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  checkSelectionEligibility: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  updateSelectionCandidate: RECORD_KEEPERS,
  withdrawSelectionCandidate: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  startSelectionReview: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  setSelectionProposedList: { callers: ORGANISERS, note: `${SELECTION_OWNER}; only without a review setup`, conditional: ORGANISERS },
  setSelectionReviewSetup: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  listSelectionReviewers: EVENT_STAFF,
  addSelectionReviewer: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  listSelectionEligibleAccounts: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  removeSelectionReviewer: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  setSelectionReviewerRelations: { callers: STAFF, note: 'the reviewer themselves, or organisers of the union running the selection', conditional: STAFF },
  enterSelectionPaperScores: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  listMySelectionTasks: STAFF,
  getMySelectionSheet: { callers: STAFF, note: SELECTION_REVIEWER, conditional: STAFF },
  submitMySelectionScores: { callers: STAFF, note: `${SELECTION_REVIEWER}, never for a candidate they stand aside from (same employer, declared relation)`, conditional: STAFF },
  getSelectionReview: EVENT_STAFF,
  closeSelectionReview: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  decideSelectionTie: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  reopenSelectionReview: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  getSelectionCommittee: EVENT_STAFF,
  setSelectionCommittee: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  castSelectionVote: { callers: STAFF, note: "a committee member for themselves, or organisers of the union running the selection recording a paper ballot", conditional: STAFF },
  startSelectionPublicity: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  listSelectionObjections: EVENT_STAFF,
  recordSelectionObjection: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  decideSelectionObjection: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  nameSelection: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  closeSelection: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  revokeCraftsmanTitle: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  listSelectionTitles: EVENT_STAFF,
  recordCraftsmanTitleReview: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  getSelectionRewards: EVENT_STAFF,
  recordSelectionRewardPayment: { callers: ORGANISERS, note: SELECTION_OWNER, conditional: ORGANISERS },
  listPublicSelections: 'public',
  getPublicSelection: 'public',
  lodgePublicSelectionObjection: 'public',

  // ---- Certified skill levels and training subsidies ----
  listCertificates: STAFF,
  createCertificate: HR_KEEPERS,
  getCertificate: STAFF,
  updateCertificate: HR_KEEPERS,
  exportCertifiedLevels: STAFF,
  getExportLayout: STAFF,
  setExportLayout: HR_KEEPERS,
  importCertifiedLevels: HR_KEEPERS,
  certificateImportTemplate: STAFF,
  getSubsidyRates: STAFF,
  setSubsidyRates: HR_KEEPERS,
  listSubsidies: STAFF,
  exportSubsidies: STAFF,

  // ---- Dashboard and working-day calendar ----
  getDashboard: STAFF,
  listCalendarYears: STAFF,
  getCalendarYear: STAFF,
  putCalendarYear: ADMINS,

  // ---- Innovation studios ----
  getStudioSettings: STAFF,
  setStudioSettings: ADMINS,
  listStudios: STAFF,
  exportStudioRegistry: STAFF,
  getStudio: STAFF,
  applyForStudio: BY_STUDIO_LINE,
  updateStudio: BY_STUDIO_LINE,
  decideStudio: { ...BY_STUDIO_LINE, note: `${BY_STUDIO_LINE.note}; a decision is taken by the body it belongs to (403 wrong_body)` },
  addStudioMember: BY_STUDIO_LINE,
  removeStudioMember: BY_STUDIO_LINE,
  addStudioFunding: BY_STUDIO_LINE,
  removeStudioFunding: BY_STUDIO_LINE,
  listStudioAchievements: STAFF,
  addStudioAchievement: BY_STUDIO_LINE,
  removeStudioAchievement: BY_STUDIO_LINE,
  getStudioFigures: STAFF,
  getStudioDashboard: STAFF,
  lookupStudioHosts: STAFF,
  lookupStudioPeople: STAFF,
  lookupStudioReviewers: STUDIO_MANAGERS,

  // ---- Joint studio evaluation ----
  listIndicatorSheets: STAFF,
  createIndicatorSheet: STUDIO_MANAGERS,
  updateIndicatorSheet: { callers: STUDIO_MANAGERS, note: 'only staff of the body that keeps the sheet, or an admin' },
  listStudioEvaluations: STAFF,
  createStudioEvaluation: STUDIO_MANAGERS,
  getStudioEvaluation: STAFF,
  updateStudioEvaluation: STUDIO_MANAGERS,
  addEvaluationApplicant: STUDIO_MANAGERS,
  removeEvaluationApplicant: STUDIO_MANAGERS,
  addEvaluationReviewer: STUDIO_MANAGERS,
  removeEvaluationReviewer: STUDIO_MANAGERS,
  getMyEvaluationSheet: { callers: STAFF, note: REVIEWERS_ONLY, conditional: STAFF },
  submitEvaluationScores: { callers: STAFF, note: `${REVIEWERS_ONLY}, never for a studio of their own employer`, conditional: STAFF },
  closeStudioEvaluation: STUDIO_MANAGERS,

  // ---- Studio alliances and "five smalls" campaigns (the union's) ----
  listStudioAlliances: STAFF,
  createStudioAlliance: UNION_STUDIO_STAFF,
  getStudioAlliance: STAFF,
  updateStudioAlliance: UNION_STUDIO_STAFF,
  applyToStudioAlliance: UNION_STUDIO_STAFF,
  decideStudioAllianceApplication: UNION_STUDIO_STAFF,
  rotateStudioAllianceLead: UNION_STUDIO_STAFF,
  createStudioAllianceProject: UNION_STUDIO_STAFF,
  updateStudioAllianceProject: UNION_STUDIO_STAFF,
  listFiveSmallsCampaigns: STAFF,
  createFiveSmallsCampaign: UNION_STUDIO_STAFF,
  getFiveSmallsCampaign: STAFF,
  updateFiveSmallsCampaign: UNION_STUDIO_STAFF,
  exportFiveSmallsCampaign: STAFF,
  addFiveSmallsEntry: UNION_STUDIO_STAFF,
  setFiveSmallsExclusion: UNION_STUDIO_STAFF,
  scoreFiveSmallsEntry: UNION_STUDIO_STAFF,
  awardFiveSmallsCampaign: UNION_STUDIO_STAFF,
} as const satisfies Record<string, AccessEntry>;

/** The entry of an operation, or undefined when the table has none. */
export function accessEntry(operationId: string): AccessEntry | undefined {
  return Object.hasOwn(ACCESS_POLICY, operationId) ? (ACCESS_POLICY as Record<string, AccessEntry>)[operationId] : undefined;
}

/** The callers an entry admits, or 'public'. */
export function callersOf(entry: AccessEntry): 'public' | readonly Caller[] {
  return entry === 'public' ? 'public' : ruleOf(entry).callers;
}

/** The entry as a rule (a bare list of callers has no note, conditions or refusals of its own). */
export function ruleOf(entry: Exclude<AccessEntry, 'public'>): AccessRule {
  return 'callers' in entry ? entry : { callers: entry };
}

/** Whether a caller is a panel role (a judge's), not a staff role. */
export function isPanelRole(caller: Caller): caller is PanelRole {
  return (PANEL as readonly Caller[]).includes(caller);
}

/** Whether callers admit any signed-in judge (they name every panel role). */
export function admitsAnyJudge(callers: readonly Caller[]): boolean {
  return PANEL.every((r) => callers.includes(r));
}
