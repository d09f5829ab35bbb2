/**
 * Every table of the product. Times are integer milliseconds since the epoch (`timestamp_ms`
 * mode gives Date objects in code). JSON columns hold values validated by the zod contracts.
 */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Advancement, CarryOver, Scheme } from '../server/contracts/scheme.ts';

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

/** Unions (national … enterprise), HR bureaus, employers and departments form one tree. */
export const organisations = sqliteTable(
  'organisations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    parentId: integer('parent_id').references((): any => organisations.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['union', 'hr_bureau', 'employer', 'department'] }).notNull(),
    level: text('level', { enum: ['national', 'province', 'city', 'county', 'township', 'enterprise'] }),
    regionCode: text('region_code').notNull(),
    /** Materialised path of ids, e.g. `/1/4/9/`: a subtree is a prefix match. */
    path: text('path').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('organisations_parent_idx').on(t.parentId), index('organisations_path_idx').on(t.path)],
);

export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    orgId: integer('org_id').notNull().references(() => organisations.id),
    role: text('role', { enum: ['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer'] }).notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** Set when an administrator creates the account or resets its password: the first sign-in must choose a new one. */
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
    passwordChangedAt: integer('password_changed_at', { mode: 'timestamp_ms' }),
    /** Wrong passwords in a row (cleared by a success); the fifth locks the account (等保: per account, not per address). */
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('accounts_username_uq').on(t.username), index('accounts_org_idx').on(t.orgId)],
);

/** A signed-in staff account or judge. Only a hash of the cookie token is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    judgeId: integer('judge_id').references(() => judges.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    /** The last request made with it: a staff session idle for longer than the idle limit ends. */
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
    /** For a judge: which of their codes (judges.code_number) opened it, carried onto their marks. */
    judgeCodeNumber: integer('judge_code_number'),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_account_idx').on(t.accountId), index('sessions_judge_idx').on(t.judgeId)],
);

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The organisation that keeps this record (permissions follow its subtree). */
    orgId: integer('org_id').notNull().references(() => organisations.id),
    employerId: integer('employer_id').references(() => organisations.id),
    /**
     * The employer as written, when it is not an organisation of the system (a small private firm);
     * null when employer_id is set. Recusal compares it by normalised name (server/domain/recusal.ts).
     */
    employerName: text('employer_name'),
    name: text('name').notNull(),
    idNumber: text('id_number').notNull(),
    gender: text('gender', { enum: ['male', 'female'] }).notNull(),
    birthDate: text('birth_date').notNull(),
    phone: text('phone'),
    occupationCode: text('occupation_code'),
    occupationName: text('occupation_name'),
    /** Certified skill level 1 (高级技师) … 5 (初级工), null when none. */
    skillLevel: integer('skill_level'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('people_id_number_uq').on(t.idNumber),
    index('people_org_idx').on(t.orgId),
    index('people_employer_idx').on(t.employerId),
  ],
);

export const competitions = sqliteTable(
  'competitions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: integer('org_id').notNull().references(() => organisations.id),
    name: text('name').notNull(),
    grade: text('grade', { enum: ['A', 'B', 'C'] }).notNull(),
    /** 一类 / 二类 where the HR bureau leads; null otherwise. */
    competitionClass: text('competition_class', { enum: ['class1', 'class2'] }),
    year: integer('year').notNull(),
    organisers: text('organisers', { mode: 'json' }).$type<string[]>().notNull(),
    hosts: text('hosts', { mode: 'json' }).$type<string[]>().notNull(),
    venue: text('venue'),
    startDate: text('start_date'),
    endDate: text('end_date'),
    status: text('status', {
      enum: ['draft', 'registration', 'running', 'marking_closed', 'results_published', 'final'],
    })
      .notNull()
      .default('draft'),
    /** Publicity period (公示期) after results are released, in working days. */
    publicityDays: integer('publicity_days').notNull().default(5),
    /**
     * When appeals (申诉) may be lodged: during the publicity period (the default), or within
     * `appealWindowHours` after marking closes (the provincial technical rule: 2 h after the event)
     * or after the results are released online (some rules: 48 h).
     */
    appealRule: text('appeal_rule', { enum: ['publicity_period', 'hours_after_marking', 'hours_after_release'] })
      .notNull()
      .default('publicity_period'),
    /** The window of the hour-based appeal rules. */
    appealWindowHours: real('appeal_window_hours').notNull().default(2),
    /**
     * Standardised scores (WorldSkills style, mean 500, SD 100 per event; server/domain/judging/
     * standardise.ts): null or enabled false = off. showOnScreen puts them on the venue screen
     * after release; bestOfCompetition names the best standardised score across events.
     */
    standardisation: text('standardisation', { mode: 'json' }).$type<{ enabled: boolean; showOnScreen: boolean; bestOfCompetition: boolean }>(),
    /**
     * The competition-level team standing (团体总分) by placing points over events, where the
     * organiser chooses one (server/contracts/standings.ts TeamStandingSetting); null: none.
     */
    teamStanding: text('team_standing', { mode: 'json' }).$type<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [index('competitions_org_idx').on(t.orgId), index('competitions_year_idx').on(t.year)],
);

/**
 * Bodies that co-organise (联合主办) a competition besides its owner, e.g. the county HR bureau
 * beside the county union: their staff act on it in their own roles (server/features/scope.ts).
 */
export const competitionCoOrganisers = sqliteTable(
  'competition_co_organisers',
  {
    competitionId: integer('competition_id')
      .notNull()
      .references(() => competitions.id, { onDelete: 'cascade' }),
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
  },
  (t) => [uniqueIndex('competition_co_organisers_uq').on(t.competitionId, t.orgId), index('competition_co_organisers_org_idx').on(t.orgId)],
);

/**
 * Duties staff hold for one competition. The encryption officer (加密裁判) runs the draw and keeps
 * the number ↔ person sheet: with organisers, the only one who sees it before release.
 */
export const competitionOfficers = sqliteTable(
  'competition_officers',
  {
    competitionId: integer('competition_id')
      .notNull()
      .references(() => competitions.id, { onDelete: 'cascade' }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    duty: text('duty', { enum: ['encryption_officer'] }).notNull(),
  },
  (t) => [uniqueIndex('competition_officers_uq').on(t.competitionId, t.accountId, t.duty), index('competition_officers_account_idx').on(t.accountId)],
);

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    competitionId: integer('competition_id')
      .notNull()
      .references(() => competitions.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The trade (工种) the event is for; null for contests that are not a trade (a law quiz): no promotions then. */
    occupationCode: text('occupation_code'),
    occupationName: text('occupation_name'),
    targetLevel: integer('target_level'),
    mode: text('mode', { enum: ['individual', 'team'] }).notNull().default('individual'),
    minEntrants: integer('min_entrants').notNull().default(30),
    scheme: text('scheme', { mode: 'json' }).$type<Scheme>().notNull(),
    /** server/contracts/events.ts teamRankingSchema (placing points carry their table). */
    teamRanking: text('team_ranking', { mode: 'json' }).$type<{ method: 'sum' | 'mean' | 'placing_points'; bestN: number; points?: number[] } | null>(),
    /** Set when the chief judge releases results: names become visible, marks read-only. */
    releasedAt: integer('released_at', { mode: 'timestamp_ms' }),
    /** End of the publicity period; after it (and with no open appeal) the results are final. */
    publicityEndsAt: integer('publicity_ends_at', { mode: 'timestamp_ms' }),
    finalAt: integer('final_at', { mode: 'timestamp_ms' }),
    /** Prize tiers (server/contracts/awards.ts); null: the competition's default shares. */
    prizeRule: text('prize_rule', { mode: 'json' }).$type<unknown>(),
    /** Where entries withdrawn during the event stand: ranked after every other ranked entry, or not ranked. */
    withdrawnRanking: text('withdrawn_ranking', { enum: ['after_complete', 'unranked'] }).notNull().default('after_complete'),
    /** Live rankings before release: incomplete entries after the complete ones, or among them by total (server/domain/live-order.ts). */
    liveIncompleteOrder: text('live_incomplete_order', { enum: ['after_complete', 'by_total'] }).notNull().default('after_complete'),
    /** Scorers enter objective values twice, blind (server/features/objective); the chief and organisers always enter once. */
    objectiveDoubleEntry: integer('objective_double_entry', { mode: 'boolean' }).notNull().default(false),
    /** Team contests may show delegations on venue screens before release; off by default (names never). */
    showDelegationsBeforeRelease: integer('show_delegations_before_release', { mode: 'boolean' }).notNull().default(false),
    /** Venue screens mark numbers whose advancement or prize is already certain (已确定晋级 / 已锁定奖项, server/domain/certainty.ts); off by default. */
    showCertaintyOnScreen: integer('show_certainty_on_screen', { mode: 'boolean' }).notNull().default(false),
    /** An organiser's recorded reason to award prizes and titles before the publicity period ends. */
    awardsOverrideReason: text('awards_override_reason'),
    awardsOverrideAt: integer('awards_override_at', { mode: 'timestamp_ms' }),
    awardsOverrideBy: integer('awards_override_by').references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [index('events_competition_idx').on(t.competitionId)],
);

export const rounds = sqliteTable(
  'rounds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['preliminary', 'semifinal', 'final'] }).notNull(),
    carryOver: text('carry_over').$type<CarryOver>().notNull().default('none'),
    /** Who goes on from this round to the next; null for the last round. */
    advancement: text('advancement', { mode: 'json' }).$type<Advancement | null>(),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    /** The round's own scheme (a final with other tasks or weights); null: the event's. Read it through schemeForRound. */
    scheme: text('scheme', { mode: 'json' }).$type<Scheme | null>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('rounds_event_seq_uq').on(t.eventId, t.seq)],
);

export const entries = sqliteTable(
  'entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    /** The delegation / team (代表队): an organisation. */
    delegationId: integer('delegation_id').references(() => organisations.id),
    /**
     * withdrawn: left during the event (退赛), the parts done are kept; reserve (替补): registered
     * but in no round until the organiser puts them into one.
     */
    status: text('status', { enum: ['registered', 'checked_in', 'absent', 'disqualified', 'withdrawn', 'reserve'] })
      .notNull()
      .default('registered'),
    /** Published with a disqualification (the public sees 取消资格 and this reason). */
    disqualifiedReason: text('disqualified_reason'),
    /** Staff-only note on the status (details of a disqualification, why someone withdrew); never public. */
    statusNote: text('status_note'),
    drawnNumber: integer('drawn_number'),
    /**
     * The name a team entry (班组, 组合) is known by once results are released; null for an
     * individual, and for a pair shown by its members' names ("甲、乙").
     */
    teamName: text('team_name'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('entries_event_person_uq').on(t.eventId, t.personId),
    uniqueIndex('entries_event_number_uq').on(t.eventId, t.drawnNumber),
    index('entries_delegation_idx').on(t.delegationId),
  ],
);

/**
 * The people of an entry of two or more (a pair, a team): one row each, the captain (队长)
 * included, whose person is also `entries.person_id`, so everything that reads one person per
 * entry still finds the captain. An individual entry has no rows here. `event_id` repeats the
 * entry's event so that one person can be in at most one entry of an event.
 */
export const entryMembers = sqliteTable(
  'entry_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryId: integer('entry_id')
      .notNull()
      .references(() => entries.id, { onDelete: 'cascade' }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    /** Order on the entry form and in "甲、乙". */
    seq: integer('seq').notNull(),
    captain: integer('captain', { mode: 'boolean' }).notNull().default(false),
    /** What the member does in the team, as written (主操作手, 辅助); optional. */
    role: text('role'),
  },
  (t) => [
    uniqueIndex('entry_members_event_person_uq').on(t.eventId, t.personId),
    index('entry_members_entry_idx').on(t.entryId),
    index('entry_members_person_idx').on(t.personId),
  ],
);

/** Membership of an entry in a round, with what is recorded per round besides marks. */
export const roundEntries = sqliteTable(
  'round_entries',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    entryId: integer('entry_id')
      .notNull()
      .references(() => entries.id, { onDelete: 'cascade' }),
    completionSeconds: real('completion_seconds'),
    /** Difficulty coefficient (难度系数) per part id, declared before marking. */
    difficulty: text('difficulty', { mode: 'json' }).$type<Record<string, number>>().notNull().default({}),
    /**
     * Base value (基础分) per part id and criterion id, for parts whose scheme uses base values:
     * entered by staff or the chief judge before or during marking (server/features/elements).
     */
    baseValues: text('base_values', { mode: 'json' }).$type<Record<string, Record<string, number>>>().notNull().default({}),
    /**
     * Elements the chief judge declared void (无效动作), per part id and criterion id, with the
     * reason: they score 0 and expect no marks. Kept here, beside the base values the engine reads
     * with them; who declared each and when is in the audit log.
     */
    voids: text('voids', { mode: 'json' }).$type<Record<string, Record<string, string>>>().notNull().default({}),
  },
  (t) => [uniqueIndex('round_entries_uq').on(t.roundId, t.entryId), index('round_entries_entry_idx').on(t.entryId)],
);

/**
 * A judge of a competition (裁判员): one person with one sign-in code, who may sit on panels of
 * several events and rounds. What they do in each event is their assignment (judge_assignments);
 * which parts they mark is their seats (panel_seats).
 */
export const judges = sqliteTable(
  'judges',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    competitionId: integer('competition_id')
      .notNull()
      .references(() => competitions.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Recusal: a judge may not mark an entrant whose employer is this organisation. */
    employerId: integer('employer_id').references(() => organisations.id),
    /** The judge's employer as written when it is not an organisation of the system (see people.employer_name). */
    employerName: text('employer_name'),
    /** Keyed hash (HMAC-SHA-256 with the session secret) of the sign-in code; the code is shown once when issued. */
    codeHash: text('code_hash'),
    codeIssuedAt: integer('code_issued_at', { mode: 'timestamp_ms' }),
    codeExpiresAt: integer('code_expires_at', { mode: 'timestamp_ms' }),
    /** How many codes the judge has been issued: 1 the first, 2 and on reissues (each replaces the one before). */
    codeNumber: integer('code_number').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('judges_competition_idx').on(t.competitionId), uniqueIndex('judges_code_uq').on(t.codeHash)],
);

/**
 * A judge's place in one event's panel (裁判组) and their role there: a person may be the chief
 * judge of one event and an ordinary judge of another. At most one chief per event.
 */
export const judgeAssignments = sqliteTable(
  'judge_assignments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    judgeId: integer('judge_id')
      .notNull()
      .references(() => judges.id, { onDelete: 'cascade' }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** scorer (记分员): enters judges' signed paper sheets on their behalf, twice, blind (server/features/paper). */
    role: text('role', { enum: ['chief', 'judge', 'supervisor', 'scorer'] }).notNull(),
    /**
     * A trainee (见习裁判, shadow judge) marks like the panel on their tablet, but their marks never
     * count: not in any aggregation, not in the marks an entry expects, not on screens or results.
     * Per event assignment rather than per seat: being a trainee is about the person's standing in
     * this event, and one flag filters every mark of theirs (panels without seats included).
     * Only meaningful with role 'judge'.
     */
    trainee: integer('trainee', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('judge_assignments_uq').on(t.judgeId, t.eventId), index('judge_assignments_event_idx').on(t.eventId)],
);

/**
 * A seat on the panel of one part (or, where the part's scheme says `panel: 'criterion'`, one
 * criterion) in one round: "flight: A, B, C, D, E; mission: C, D, E, F, G". The seats of a part
 * are its panel; their number is the part's expected number of marks (minus judges recused from
 * an entry). A part without seats in a round falls back to the scheme's `expectedMarks`.
 */
export const panelSeats = sqliteTable(
  'panel_seats',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    partId: text('part_id').notNull(),
    /** '' for a seat on the whole part; a criterion id for per-criterion panels. */
    criterionId: text('criterion_id').notNull().default(''),
    judgeId: integer('judge_id')
      .notNull()
      .references(() => judges.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('panel_seats_uq').on(t.roundId, t.partId, t.criterionId, t.judgeId),
    index('panel_seats_judge_idx').on(t.judgeId),
  ],
);

/**
 * Why an entry was released with marks missing (the chief judge records one per incomplete
 * entry, or the release is refused); shown with the entry on the published results.
 */
export const incompleteReasons = sqliteTable(
  'incomplete_reasons',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    entryId: integer('entry_id')
      .notNull()
      .references(() => entries.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('incomplete_reasons_uq').on(t.eventId, t.entryId)],
);

/**
 * Marks are append-only: a correction adds a new version; the highest version of
 * (round, entry, judge, part, criterion) is the current one. Two parts may share a criterion id.
 */
export const marks = sqliteTable(
  'marks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    entryId: integer('entry_id')
      .notNull()
      .references(() => entries.id),
    judgeId: integer('judge_id')
      .notNull()
      .references(() => judges.id),
    partId: text('part_id').notNull(),
    criterionId: text('criterion_id').notNull(),
    version: integer('version').notNull(),
    value: real('value').notNull(),
    /** Why this version replaced the previous one (corrections, appeals). */
    reason: text('reason'),
    enteredAt: integer('entered_at', { mode: 'timestamp_ms' }).notNull(),
    device: text('device'),
    idempotencyKey: text('idempotency_key'),
    /** Which of the judge's codes (judges.code_number) the session that entered it was opened with; null for staff entries. */
    judgeCodeNumber: integer('judge_code_number'),
  },
  (t) => [
    uniqueIndex('marks_version_uq').on(t.roundId, t.entryId, t.judgeId, t.partId, t.criterionId, t.version),
    uniqueIndex('marks_idempotency_uq').on(t.idempotencyKey),
    index('marks_round_idx').on(t.roundId),
  ],
);

export const corrections = sqliteTable(
  'corrections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    markId: integer('mark_id')
      .notNull()
      .references(() => marks.id),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => judges.id),
    newValue: real('new_value').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] })
      .notNull()
      .default('pending'),
    decidedBy: integer('decided_by').references(() => judges.id),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    decisionNote: text('decision_note'),
    resultingMarkId: integer('resulting_mark_id').references(() => marks.id),
    createdAt: createdAt(),
  },
  (t) => [index('corrections_mark_idx').on(t.markId)],
);

/**
 * Paper sheets entered twice (记分员双录入): where judges mark on paper, two different scorers each
 * type a judge's signed sheet in, blind. One row per scorer per (round, entry, judge, part, criterion).
 * When both entries agree the value is stored as the judge's mark; when they differ nothing
 * counts until the chief judge settles the pair (paper_settlements).
 */
export const paperEntries = sqliteTable(
  'paper_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    entryId: integer('entry_id')
      .notNull()
      .references(() => entries.id),
    /** The judge whose sheet this is (the mark becomes theirs). */
    judgeId: integer('judge_id')
      .notNull()
      .references(() => judges.id),
    /** The scorer who typed it in. */
    scorerId: integer('scorer_id')
      .notNull()
      .references(() => judges.id),
    partId: text('part_id').notNull(),
    criterionId: text('criterion_id').notNull(),
    value: real('value').notNull(),
    enteredAt: integer('entered_at', { mode: 'timestamp_ms' }).notNull(),
    /** The request's key (one per sheet submission); with the part and criterion it names one row. */
    idempotencyKey: text('idempotency_key').notNull(),
  },
  (t) => [
    uniqueIndex('paper_entries_scorer_uq').on(t.roundId, t.entryId, t.judgeId, t.partId, t.criterionId, t.scorerId),
    uniqueIndex('paper_entries_idempotency_uq').on(t.idempotencyKey, t.partId, t.criterionId),
    index('paper_entries_slot_idx').on(t.roundId, t.entryId, t.judgeId),
  ],
);

/** The chief judge's ruling on two paper entries that disagree: the value that became the mark. */
export const paperSettlements = sqliteTable(
  'paper_settlements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    entryId: integer('entry_id')
      .notNull()
      .references(() => entries.id),
    judgeId: integer('judge_id')
      .notNull()
      .references(() => judges.id),
    partId: text('part_id').notNull(),
    criterionId: text('criterion_id').notNull(),
    value: real('value').notNull(),
    note: text('note').notNull(),
    settledBy: integer('settled_by')
      .notNull()
      .references(() => judges.id),
    settledAt: integer('settled_at', { mode: 'timestamp_ms' }).notNull(),
    markId: integer('mark_id')
      .notNull()
      .references(() => marks.id),
  },
  (t) => [uniqueIndex('paper_settlements_slot_uq').on(t.roundId, t.entryId, t.judgeId, t.partId, t.criterionId)],
);

/**
 * Objective values (客观分): theory exam scores, completion times and other measured results,
 * entered by staff (organisers, the chief judge, scorers), never by marking judges. Append-only
 * like marks: a change adds a version and the highest version of (round, entry, field) is the
 * current one. `field` is an objective part's id, or `completionTime` (part ids are lower-case,
 * so it never clashes); the current completion time is also kept in round_entries, which the
 * ranking reads. A null value clears a cell (a value typed against the wrong number).
 */
export const objectiveValues = sqliteTable(
  'objective_values',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    entryId: integer('entry_id')
      .notNull()
      .references(() => entries.id),
    field: text('field').notNull(),
    version: integer('version').notNull(),
    value: real('value'),
    /** How the value arrived: typed in the grid, imported from the exam system's file, agreed or settled double entry, an appeal ruling, the round-entry form, the demo data, or carried over from a judge's mark (migration 0005). */
    source: text('source', { enum: ['grid', 'import', 'double_entry', 'settlement', 'appeal', 'round_entry', 'seed', 'mark'] }).notNull(),
    /** Why this version replaced the previous one (required for a change). */
    reason: text('reason'),
    /** Who entered it: a staff account or a panel member (chief judge or scorer), exactly one of the two. */
    accountId: integer('account_id').references(() => accounts.id),
    judgeId: integer('judge_id').references(() => judges.id),
    enteredAt: integer('entered_at', { mode: 'timestamp_ms' }).notNull(),
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [
    uniqueIndex('objective_values_version_uq').on(t.roundId, t.entryId, t.field, t.version),
    uniqueIndex('objective_values_idempotency_uq').on(t.idempotencyKey),
    index('objective_values_entry_idx').on(t.entryId),
  ],
);

/**
 * Objective values typed in twice by two scorers, blind (双录入), where the event asks for it:
 * one row per scorer per (round, entry, field). Agreeing entries store the value
 * (objective_values, source double_entry); differing ones wait for the chief judge (source settlement).
 */
export const objectiveDoubleEntries = sqliteTable(
  'objective_double_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    entryId: integer('entry_id')
      .notNull()
      .references(() => entries.id),
    field: text('field').notNull(),
    scorerId: integer('scorer_id')
      .notNull()
      .references(() => judges.id),
    value: real('value').notNull(),
    enteredAt: integer('entered_at', { mode: 'timestamp_ms' }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
  },
  (t) => [
    uniqueIndex('objective_double_entries_scorer_uq').on(t.roundId, t.entryId, t.field, t.scorerId),
    uniqueIndex('objective_double_entries_idempotency_uq').on(t.idempotencyKey),
  ],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorKind: text('actor_kind', { enum: ['account', 'judge', 'system', 'public'] }).notNull(),
    actorId: integer('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id'),
    /** The organisation the record belongs to, so the log is scoped like the record. */
    orgId: integer('org_id'),
    /**
     * That organisation's path when the row was written: the log stays scoped (and visible to the
     * bodies above) after the organisation itself is deleted. Rows are append-only (triggers).
     */
    orgPath: text('org_path'),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
  },
  (t) => [index('audit_entity_idx').on(t.entityType, t.entityId), index('audit_at_idx').on(t.at), index('audit_org_path_idx').on(t.orgPath)],
);

/** One row that /health writes to prove the database takes writes (not read-only, not locked by another process). */
export const healthProbe = sqliteTable('health_probe', {
  id: integer('id').primaryKey(),
  checkedAt: integer('checked_at', { mode: 'timestamp_ms' }).notNull(),
});

/** An appeal (申诉) against an event's results, decided by the supervision and arbitration group. */
export const appeals = sqliteTable(
  'appeals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    entryId: integer('entry_id').references(() => entries.id),
    lodgedBy: text('lodged_by').notNull(),
    contact: text('contact'),
    reason: text('reason').notNull(),
    lodgedAt: integer('lodged_at', { mode: 'timestamp_ms' }).notNull(),
    status: text('status', { enum: ['lodged', 'upheld', 'dismissed'] }).notNull().default('lodged'),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    decidedBy: text('decided_by'),
    decisionNote: text('decision_note'),
    recordedBy: integer('recorded_by').references(() => accounts.id),
  },
  (t) => [index('appeals_event_idx').on(t.eventId)],
);

/** The pre-release results check: every top-10 result and a drawn 15 % sample of the rest. */
export const rechecks = sqliteTable(
  'rechecks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    entryId: integer('entry_id')
      .notNull()
      .references(() => entries.id, { onDelete: 'cascade' }),
    selection: text('selection', { enum: ['top10', 'sample'] }).notNull(),
    drawnAt: integer('drawn_at', { mode: 'timestamp_ms' }).notNull(),
    checkedAt: integer('checked_at', { mode: 'timestamp_ms' }),
    checkedBy: integer('checked_by').references(() => judges.id),
    note: text('note'),
  },
  (t) => [uniqueIndex('rechecks_event_entry_uq').on(t.eventId, t.entryId)],
);

/** Prizes awarded from released results (individual: entry; team: delegation). */
export const prizes = sqliteTable(
  'prizes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    entryId: integer('entry_id').references(() => entries.id),
    delegationId: integer('delegation_id').references(() => organisations.id),
    tier: integer('tier').notNull(),
    label: text('label').notNull(),
    moneyYuan: real('money_yuan').notNull().default(0),
    rank: integer('rank'),
    /** Why the prize is lower than the place alone would give: a tier's minimum score (分数线), in words. */
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('prizes_event_idx').on(t.eventId)],
);

/** A kind of honour (荣誉称号), e.g. 肥西县技术能手, with its level and one-off reward. */
export const titleTypes = sqliteTable(
  'title_types',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    level: text('level', { enum: ['county', 'city', 'province', 'national'] }).notNull(),
    conferringBodies: text('conferring_bodies', { mode: 'json' }).$type<string[]>().notNull(),
    rewardYuan: real('reward_yuan').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('title_types_org_key_uq').on(t.orgId, t.key)],
);

/** Rules that turn locked results into proposals; the rule body is data (server/contracts/awards.ts). */
export const titleRules = sqliteTable('title_rules', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  orgId: integer('org_id')
    .notNull()
    .references(() => organisations.id),
  name: text('name').notNull(),
  presetKey: text('preset_key'),
  rule: text('rule', { mode: 'json' }).$type<unknown>().notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: createdAt(),
});

/** A proposed title, recommendation or level promotion; the union and the HR bureau each sign off. */
export const awardProposals = sqliteTable(
  'award_proposals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    ruleId: integer('rule_id').references(() => titleRules.id),
    kind: text('kind', { enum: ['title', 'recommendation', 'promotion'] }).notNull(),
    titleTypeId: integer('title_type_id').references(() => titleTypes.id),
    recommendedTitle: text('recommended_title'),
    fromLevel: integer('from_level'),
    toLevel: integer('to_level'),
    year: integer('year').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['proposed', 'approved', 'rejected'] }).notNull().default('proposed'),
    unionApprovedBy: integer('union_approved_by').references(() => accounts.id),
    unionApprovedAt: integer('union_approved_at', { mode: 'timestamp_ms' }),
    hrApprovedBy: integer('hr_approved_by').references(() => accounts.id),
    hrApprovedAt: integer('hr_approved_at', { mode: 'timestamp_ms' }),
    rejectedBy: integer('rejected_by').references(() => accounts.id),
    rejectReason: text('reject_reason'),
    createdAt: createdAt(),
  },
  (t) => [index('award_proposals_event_idx').on(t.eventId), index('award_proposals_person_idx').on(t.personId)],
);

/** Titles a person holds. A title is never conferred twice. */
export const personTitles = sqliteTable(
  'person_titles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    titleTypeId: integer('title_type_id')
      .notNull()
      .references(() => titleTypes.id),
    conferredAt: integer('conferred_at', { mode: 'timestamp_ms' }).notNull(),
    proposalId: integer('proposal_id').references(() => awardProposals.id),
    /** The craftsman selection (工匠评选) that named it, when it came from one. */
    selectionId: integer('selection_id').references((): any => craftsmanSelections.id),
    certificateNumber: text('certificate_number'),
    /** Last day of a fixed-term title (`YYYY-MM-DD`); null for a title held for life. */
    termEnds: text('term_ends'),
    /** A revoked title keeps its row: the unique index still stops it being conferred again. */
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    revokeReason: text('revoke_reason'),
  },
  (t) => [uniqueIndex('person_titles_uq').on(t.personId, t.titleTypeId), uniqueIndex('person_titles_certificate_uq').on(t.certificateNumber)],
);

/**
 * The yearly review (年度考核) of a fixed-term craftsman title: one outcome per title and year,
 * recorded by the union that named it. A failed review does not revoke by itself: revoking is its
 * own decision with its own reason (person_titles.revoked_at).
 */
export const titleYearlyReviews = sqliteTable(
  'title_yearly_reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personTitleId: integer('person_title_id')
      .notNull()
      .references(() => personTitles.id),
    year: integer('year').notNull(),
    outcome: text('outcome', { enum: ['passed', 'failed'] }).notNull(),
    note: text('note').notNull().default(''),
    recordedBy: integer('recorded_by')
      .notNull()
      .references(() => accounts.id),
    recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('title_yearly_reviews_uq').on(t.personTitleId, t.year)],
);

/** Certified skill levels (职业技能等级): issued certificates and pending ones from promotions. */
export const skillCertificates = sqliteTable(
  'skill_certificates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    /** The organisation keeping the record (an HR bureau's subtree). */
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    occupationCode: text('occupation_code').notNull(),
    occupationName: text('occupation_name').notNull(),
    trade: text('trade').notNull().default('--'),
    /** 1 = 一级/高级技师 … 5 = 五级/初级工. */
    level: integer('level').notNull(),
    certificateNumber: text('certificate_number'),
    issueDate: text('issue_date'),
    evaluationBody: text('evaluation_body'),
    basis: text('basis', { enum: ['exam', 'competition_promotion', 'transfer', 'other'] }).notNull(),
    theoryScore: real('theory_score'),
    practicalScore: real('practical_score'),
    status: text('status', { enum: ['pending', 'issued'] }).notNull().default('issued'),
    proposalId: integer('proposal_id').references(() => awardProposals.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('skill_certificates_number_uq').on(t.certificateNumber),
    index('skill_certificates_person_idx').on(t.personId),
    index('skill_certificates_issue_idx').on(t.issueDate),
    index('skill_certificates_org_idx').on(t.orgId),
  ],
);

/**
 * The working-day calendar (server/domain/working-days.ts): per year, whether its days come from
 * the shipped State Council notice or were edited by an administrator.
 */
export const holidayCalendarYears = sqliteTable('holiday_calendar_years', {
  year: integer('year').primaryKey(),
  /** official: the shipped notice; provisional: shipped without the notice (to be checked); edited: changed by an administrator. */
  status: text('status', { enum: ['official', 'provisional', 'edited'] }).notNull(),
  source: text('source').notNull().default(''),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  updatedBy: integer('updated_by').references(() => accounts.id),
});

/** Days that differ from Monday–Friday: public holidays off (放假) and make-up working days (调休上班). */
export const holidayCalendarDays = sqliteTable(
  'holiday_calendar_days',
  {
    date: text('date').primaryKey(),
    year: integer('year')
      .notNull()
      .references(() => holidayCalendarYears.year, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
    name: text('name').notNull().default(''),
  },
  (t) => [index('holiday_calendar_days_year_idx').on(t.year)],
);

/** Per-organisation settings kept as JSON (e.g. the HR upload's column layout). */
export const orgSettings = sqliteTable(
  'org_settings',
  {
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    key: text('key').notNull(),
    value: text('value', { mode: 'json' }).$type<unknown>().notNull(),
  },
  (t) => [uniqueIndex('org_settings_uq').on(t.orgId, t.key)],
);

// ---------------------------------------------------------------------------------------------
// Innovation studios (创新工作室): the registry, its life cycle, the joint evaluation, achievements,
// alliances and the "five smalls" (五小) campaigns. Rules live in server/domain/studios; these
// tables keep the facts the rules are applied to. Dates of decisions are `YYYY-MM-DD` text (the
// date on the decision document, no time zone), as the domain functions take them.

/**
 * A studio: kind, host employer (依托单位, the organisation it belongs to: permissions follow the
 * host's subtree), leader (领办人) and the life-cycle state the domain's `transition` returns.
 *
 * The leader's honours (劳动模范, 五一劳动奖章, 工匠 …) are stored here as honour codes, declared
 * on application and checked against the certificates by the registering officer: most of them
 * are conferred outside this system, so person_titles cannot hold them. The leader's skill level
 * is read from people.skill_level (kept by the HR bureau from issued certificates).
 */
export const studios = sqliteTable(
  'studios',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['model_worker', 'craftsman', 'worker', 'blue_collar', 'skill_master', 'traditional_craft'] }).notNull(),
    hostEmployerId: integer('host_employer_id')
      .notNull()
      .references(() => organisations.id),
    leaderPersonId: integer('leader_person_id')
      .notNull()
      .references(() => people.id),
    leaderHonours: text('leader_honours', { mode: 'json' }).$type<string[]>().notNull(),
    field: text('field').notNull().default(''),
    siteAreaM2: real('site_area_m2'),
    foundedOn: text('founded_on'),
    /** Of technical_innovation, problem_tackling, apprenticeship, craft_heritage. */
    functions: text('functions', { mode: 'json' }).$type<string[]>().notNull(),
    description: text('description').notNull().default(''),
    status: text('status', {
      enum: ['applied', 'under_evaluation', 'recognised', 'warned', 'expired', 'rejected', 'withdrawn', 'delisted'],
    }).notNull(),
    level: text('level', { enum: ['county', 'city', 'province', 'national_demonstration'] }),
    recognisedOn: text('recognised_on'),
    termStartsOn: text('term_starts_on'),
    termEndsOn: text('term_ends_on'),
    bannedUntil: text('banned_until'),
    lastStepOn: text('last_step_on').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('studios_host_idx').on(t.hostEmployerId),
    index('studios_leader_idx').on(t.leaderPersonId),
    index('studios_status_idx').on(t.status),
  ],
);

/** People working in a studio besides its leader: core members and apprentices (徒弟). */
export const studioMembers = sqliteTable(
  'studio_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studioId: integer('studio_id')
      .notNull()
      .references(() => studios.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    role: text('role', { enum: ['core', 'member', 'apprentice'] }).notNull(),
    joinedOn: text('joined_on'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('studio_members_uq').on(t.studioId, t.personId)],
);

/** Subsidies and funding a studio received (Hefei: 50,000 yuan for a new studio, 30,000 on re-confirmation). */
export const studioFunding = sqliteTable(
  'studio_funding',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studioId: integer('studio_id')
      .notNull()
      .references(() => studios.id),
    year: integer('year').notNull(),
    kind: text('kind', { enum: ['new_studio', 'reconfirmation', 'annual', 'project', 'other'] }).notNull(),
    amountYuan: real('amount_yuan').notNull(),
    source: text('source').notNull(),
    receivedOn: text('received_on'),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('studio_funding_studio_idx').on(t.studioId, t.year)],
);

/** An evaluation indicator sheet (评估指标) a body keeps for its evaluations. */
export const studioIndicatorSheets = sqliteTable(
  'studio_indicator_sheets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    items: text('items', { mode: 'json' }).$type<{ id: string; name: string; max: number; guidance: string }[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('studio_indicator_sheets_org_idx').on(t.orgId)],
);

/**
 * A joint performance evaluation round (联合绩效评估). The sheet is copied in when the round is
 * created, so editing the body's sheet later never changes scores already given.
 */
export const studioEvaluations = sqliteTable(
  'studio_evaluations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    year: integer('year').notNull(),
    sheetId: integer('sheet_id').references(() => studioIndicatorSheets.id),
    sheet: text('sheet', { mode: 'json' })
      .$type<{ name: string; items: { id: string; name: string; max: number; guidance: string }[] }>()
      .notNull(),
    unionWeight: real('union_weight').notNull(),
    hrWeight: real('hr_weight').notNull(),
    threshold: real('threshold').notNull(),
    aggregation: text('aggregation', { mode: 'json' }).$type<unknown>().notNull(),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    closedOn: text('closed_on'),
    createdAt: createdAt(),
  },
  (t) => [index('studio_evaluations_org_idx').on(t.orgId)],
);

export const studioEvaluationApplicants = sqliteTable(
  'studio_evaluation_applicants',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: integer('evaluation_id')
      .notNull()
      .references(() => studioEvaluations.id),
    studioId: integer('studio_id')
      .notNull()
      .references(() => studios.id),
  },
  (t) => [uniqueIndex('studio_evaluation_applicants_uq').on(t.evaluationId, t.studioId), index('studio_evaluation_applicants_studio_idx').on(t.studioId)],
);

/** A staff account on the panel for one body, with the employer the conflict rule (回避) looks at. */
export const studioEvaluationReviewers = sqliteTable(
  'studio_evaluation_reviewers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: integer('evaluation_id')
      .notNull()
      .references(() => studioEvaluations.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    body: text('body', { enum: ['union', 'hr_bureau'] }).notNull(),
    employerId: integer('employer_id').references(() => organisations.id),
  },
  (t) => [uniqueIndex('studio_evaluation_reviewers_uq').on(t.evaluationId, t.accountId)],
);

export const studioEvaluationScores = sqliteTable(
  'studio_evaluation_scores',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: integer('evaluation_id')
      .notNull()
      .references(() => studioEvaluations.id),
    reviewerId: integer('reviewer_id')
      .notNull()
      .references(() => studioEvaluationReviewers.id),
    studioId: integer('studio_id')
      .notNull()
      .references(() => studios.id),
    itemId: text('item_id').notNull(),
    points: real('points').notNull(),
    enteredAt: integer('entered_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('studio_evaluation_scores_uq').on(t.reviewerId, t.studioId, t.itemId),
    index('studio_evaluation_scores_evaluation_idx').on(t.evaluationId),
  ],
);

/** The recorded life cycle of a studio: one row per step, with date, decision and deciding body. */
export const studioSteps = sqliteTable(
  'studio_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studioId: integer('studio_id')
      .notNull()
      .references(() => studios.id),
    action: text('action', {
      enum: ['apply', 'start_evaluation', 'recognise', 'reject', 'withdraw', 'renew', 'warn', 'delist', 'expire', 'reconfirm'],
    }).notNull(),
    decision: text('decision').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    date: text('date').notNull(),
    body: text('body', { enum: ['union', 'hr_bureau', 'joint', 'applicant'] }).notNull(),
    bodyOrgId: integer('body_org_id').references(() => organisations.id),
    bodyName: text('body_name').notNull().default(''),
    level: text('level'),
    termEndsOn: text('term_ends_on'),
    bannedUntil: text('banned_until'),
    note: text('note').notNull().default(''),
    /** The evaluation round a recognition came from, if any. */
    evaluationId: integer('evaluation_id').references(() => studioEvaluations.id),
    recordedBy: integer('recorded_by').references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [index('studio_steps_studio_idx').on(t.studioId, t.date)],
);

/**
 * Results of a studio and its members, one row per record: innovation results, patents (with
 * kind, number and date), technical breakthroughs, five-smalls results, economic benefit in yuan,
 * apprentices trained and promoted. Which columns are set follows `type` (the contract's union).
 */
export const studioAchievements = sqliteTable(
  'studio_achievements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studioId: integer('studio_id')
      .notNull()
      .references(() => studios.id),
    year: integer('year').notNull(),
    type: text('type', {
      enum: ['innovation_result', 'patent', 'technical_breakthrough', 'five_smalls', 'economic_benefit', 'apprentices'],
    }).notNull(),
    count: integer('count'),
    patentKind: text('patent_kind', { enum: ['invention', 'utility_model', 'design'] }),
    patentNumber: text('patent_number'),
    amountYuan: real('amount_yuan'),
    trained: integer('trained'),
    promoted: integer('promoted'),
    title: text('title').notNull().default(''),
    /** The member the result is credited to, when it is one person's. */
    personId: integer('person_id').references(() => people.id),
    achievedOn: text('achieved_on'),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('studio_achievements_studio_idx').on(t.studioId, t.year)],
);

/** An alliance (创新工作室联盟) of studios and employers, kept by a union. */
export const studioAlliances = sqliteTable(
  'studio_alliances',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    field: text('field').notNull().default(''),
    foundedOn: text('founded_on'),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('studio_alliances_org_idx').on(t.orgId)],
);

/** A member studio or employer, joined on application and approval. */
export const studioAllianceMembers = sqliteTable(
  'studio_alliance_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    allianceId: integer('alliance_id')
      .notNull()
      .references(() => studioAlliances.id),
    memberType: text('member_type', { enum: ['studio', 'employer'] }).notNull(),
    studioId: integer('studio_id').references(() => studios.id),
    employerId: integer('employer_id').references(() => organisations.id),
    status: text('status', { enum: ['applied', 'approved', 'rejected'] }).notNull(),
    appliedOn: text('applied_on').notNull(),
    decidedOn: text('decided_on'),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    index('studio_alliance_members_alliance_idx').on(t.allianceId),
    uniqueIndex('studio_alliance_members_studio_uq').on(t.allianceId, t.studioId),
    uniqueIndex('studio_alliance_members_employer_uq').on(t.allianceId, t.employerId),
  ],
);

/** The rotating lead member (轮值牵头单位): one row per term, the open one has no end. */
export const studioAllianceLeads = sqliteTable(
  'studio_alliance_leads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    allianceId: integer('alliance_id')
      .notNull()
      .references(() => studioAlliances.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => studioAllianceMembers.id),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date'),
  },
  (t) => [index('studio_alliance_leads_alliance_idx').on(t.allianceId, t.fromDate)],
);

export const studioAllianceProjects = sqliteTable(
  'studio_alliance_projects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    allianceId: integer('alliance_id')
      .notNull()
      .references(() => studioAlliances.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: ['planned', 'ongoing', 'completed'] }).notNull(),
    startedOn: text('started_on'),
    endedOn: text('ended_on'),
    /** Alliance member ids taking part. */
    memberIds: text('member_ids', { mode: 'json' }).$type<number[]>().notNull(),
    outcome: text('outcome').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('studio_alliance_projects_alliance_idx').on(t.allianceId)],
);

/** A "five smalls" (五小) campaign: screening rules, scoring setup and award tiers as contract JSON. */
export const fiveSmallsCampaigns = sqliteTable(
  'five_smalls_campaigns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    year: integer('year').notNull(),
    /** FiveSmallsScreening without `exclusions` (those are on the entries). */
    screening: text('screening', { mode: 'json' }).$type<unknown>().notNull(),
    maxPoints: real('max_points').notNull(),
    requireAllDepartments: integer('require_all_departments', { mode: 'boolean' }).notNull(),
    /** AwardTiersConfig: counts, prize money, tie rule. */
    tiers: text('tiers', { mode: 'json' }).$type<unknown>().notNull(),
    status: text('status', { enum: ['open', 'awarded'] }).notNull().default('open'),
    awardedOn: text('awarded_on'),
    createdAt: createdAt(),
  },
  (t) => [index('five_smalls_campaigns_org_idx').on(t.orgId)],
);

/** A scoring department (评审部门) of a campaign, with its criterion weights. */
export const fiveSmallsDepartments = sqliteTable(
  'five_smalls_departments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => fiveSmallsCampaigns.id),
    name: text('name').notNull(),
    organisationId: integer('organisation_id').references(() => organisations.id),
    weights: text('weights', { mode: 'json' }).$type<{ economic: number; social: number; safety: number; management: number }>().notNull(),
  },
  (t) => [index('five_smalls_departments_campaign_idx').on(t.campaignId)],
);

export const fiveSmallsEntries = sqliteTable(
  'five_smalls_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => fiveSmallsCampaigns.id),
    category: text('category', { enum: ['invention', 'creation', 'innovation', 'design', 'suggestion'] }).notNull(),
    title: text('title').notNull(),
    submitterType: text('submitter_type', { enum: ['worker', 'studio'] }).notNull(),
    personId: integer('person_id').references(() => people.id),
    studioId: integer('studio_id').references(() => studios.id),
    /** The submitter's employer (a worker's, or the studio's host): scope and display. */
    employerId: integer('employer_id').references(() => organisations.id),
    completedOn: text('completed_on').notNull(),
    implemented: integer('implemented', { mode: 'boolean' }).notNull(),
    previouslyAwarded: integer('previously_awarded', { mode: 'boolean' }).notNull().default(false),
    summary: text('summary').notNull().default(''),
    /** Screened out by hand (资格审查), with the group's reason; null = not excluded. */
    exclusionReason: text('exclusion_reason'),
    createdAt: createdAt(),
  },
  (t) => [index('five_smalls_entries_campaign_idx').on(t.campaignId)],
);

export const fiveSmallsScores = sqliteTable(
  'five_smalls_scores',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => fiveSmallsCampaigns.id),
    entryId: integer('entry_id')
      .notNull()
      .references(() => fiveSmallsEntries.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => fiveSmallsDepartments.id),
    criterion: text('criterion', { enum: ['economic', 'social', 'safety', 'management'] }).notNull(),
    points: real('points').notNull(),
  },
  (t) => [
    uniqueIndex('five_smalls_scores_uq').on(t.entryId, t.departmentId, t.criterion),
    index('five_smalls_scores_campaign_idx').on(t.campaignId),
  ],
);

// ---------------------------------------------------------------------------------------------
// Craftsman selection (工匠评选): a union's yearly selection of a title by nomination, review,
// publicity and naming. The rules are data (server/domain/selections); conferral reuses
// person_titles.

/**
 * One selection, e.g. 2027年度合肥工匠评选. Dates of the timetable are `YYYY-MM-DD` (China dates).
 * JSON columns hold values validated by server/contracts/selections.ts.
 */
export const craftsmanSelections = sqliteTable(
  'craftsman_selections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The union that runs it: its organisers and administrators manage it. */
    orgId: integer('org_id')
      .notNull()
      .references(() => organisations.id),
    /** Co-organising bodies (e.g. the HR bureau), whose staff read it and may nominate. */
    coOrganiserIds: text('co_organiser_ids', { mode: 'json' }).$type<number[]>().notNull(),
    name: text('name').notNull(),
    year: integer('year').notNull(),
    presetKey: text('preset_key'),
    titleTypeId: integer('title_type_id')
      .notNull()
      .references(() => titleTypes.id),
    /** How many may be named; null = no quota (安徽工匠). */
    quota: integer('quota'),
    eligibilityRules: text('eligibility_rules', { mode: 'json' }).$type<unknown>().notNull(),
    nominationsOpen: text('nominations_open').notNull(),
    nominationsClose: text('nominations_close').notNull(),
    reviewBy: text('review_by'),
    publicityWorkingDays: integer('publicity_working_days').notNull().default(5),
    namingDate: text('naming_date'),
    /** Per title: { kind: 'one_off', yuan } | { kind: 'monthly', yuan, months } | { kind: 'none' }. */
    reward: text('reward', { mode: 'json' }).$type<unknown>().notNull(),
    /** The nomination award (提名奖), per candidate given it; null when the selection has none. */
    nominationAwardYuan: real('nomination_award_yuan'),
    /** Years a conferred title runs; null = for life. */
    titleTermYears: integer('title_term_years'),
    status: text('status', { enum: ['draft', 'nominating', 'reviewing', 'publicity', 'named', 'closed'] })
      .notNull()
      .default('draft'),
    publicityStartsAt: integer('publicity_starts_at', { mode: 'timestamp_ms' }),
    publicityEndsAt: integer('publicity_ends_at', { mode: 'timestamp_ms' }),
    namedAt: integer('named_at', { mode: 'timestamp_ms' }),
    /**
     * The review on the shared engine (server/domain/review): steps with their indicator sheets,
     * bodies with weights and aggregation, the threshold and the committee's majority rule.
     * Null: no review setup, the proposed list is set by hand.
     */
    reviewSetup: text('review_setup', { mode: 'json' }).$type<unknown>(),
    /** When the review was closed: scores are frozen and the proposed list comes from the engine. */
    reviewClosedAt: integer('review_closed_at', { mode: 'timestamp_ms' }),
    /** The committee's choice among candidates tied at the quota line: { candidateIds, reason, decidedBy, decidedAt }. */
    tieDecision: text('tie_decision', { mode: 'json' }).$type<unknown>(),
    /** The committee's current vote on the list; a list voted down goes back to the panel and is voted on again in the next round. */
    voteRound: integer('vote_round').notNull().default(1),
    /** Each time a voted-down list went back to the panel: [{ round, reason, by, at }]. */
    reviewReopenings: text('review_reopenings', { mode: 'json' }).$type<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [index('craftsman_selections_org_idx').on(t.orgId), index('craftsman_selections_year_idx').on(t.year)],
);

/** A person nominated for a selection, however they came in; one row per person and selection. */
export const craftsmanCandidates = sqliteTable(
  'craftsman_candidates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    selectionId: integer('selection_id')
      .notNull()
      .references(() => craftsmanSelections.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    source: text('source', { enum: ['competition_recommendation', 'unit_nomination', 'forwarded', 'self_nomination'] }).notNull(),
    /** competition_recommendation: the approved recommendation it came from. */
    proposalId: integer('proposal_id').references(() => awardProposals.id),
    /** unit_nomination: the nominating organisation. */
    nominatingOrgId: integer('nominating_org_id').references(() => organisations.id),
    /** forwarded: the lower union's title the person holds. */
    forwardedTitleId: integer('forwarded_title_id').references(() => personTitles.id),
    form: text('form', { mode: 'json' }).$type<unknown>().notNull(),
    /** The last check against the rules: { eligible, checkedOn, failures: [{ code, reason }] }. */
    eligibility: text('eligibility', { mode: 'json' }).$type<unknown>().notNull(),
    /** Filled by the review (for now by hand with the proposed list). */
    reviewScore: real('review_score'),
    rank: integer('rank'),
    /** On the proposed list: named with the title, or given the nomination award (提名奖). */
    proposedAward: text('proposed_award', { enum: ['title', 'nomination_award'] }),
    status: text('status', { enum: ['nominated', 'ineligible', 'withdrawn', 'proposed', 'not_selected', 'named', 'nomination_award'] })
      .notNull()
      .default('nominated'),
    withdrawReason: text('withdraw_reason'),
    recordedBy: integer('recorded_by').references(() => accounts.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [uniqueIndex('craftsman_candidates_uq').on(t.selectionId, t.personId), index('craftsman_candidates_person_idx').on(t.personId)],
);

/** An objection (异议) lodged against a candidate on the list during the publicity period. */
export const craftsmanObjections = sqliteTable(
  'craftsman_objections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    selectionId: integer('selection_id')
      .notNull()
      .references(() => craftsmanSelections.id),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => craftsmanCandidates.id),
    lodgedBy: text('lodged_by').notNull(),
    contact: text('contact'),
    reason: text('reason').notNull(),
    lodgedAt: integer('lodged_at', { mode: 'timestamp_ms' }).notNull(),
    /** The staff member who wrote down an objection received by letter or phone; null when lodged on the public page. */
    recordedBy: integer('recorded_by').references(() => accounts.id),
    /** upheld: the candidate leaves the list; dismissed: it stays. Null while open. */
    decision: text('decision', { enum: ['upheld', 'dismissed'] }),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    decidedBy: integer('decided_by').references(() => accounts.id),
    note: text('note'),
  },
  (t) => [index('craftsman_objections_selection_idx').on(t.selectionId), index('craftsman_objections_candidate_idx').on(t.candidateId)],
);

/**
 * Reward money paid to a named craftsman (per person_titles row) or to a nomination award
 * winner (no title: the candidate alone). The amount due comes from the selection's reward.
 */
export const craftsmanRewardPayments = sqliteTable(
  'craftsman_reward_payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => craftsmanCandidates.id),
    personTitleId: integer('person_title_id').references(() => personTitles.id),
    paidOn: text('paid_on').notNull(),
    amountYuan: real('amount_yuan').notNull(),
    voucherNumber: text('voucher_number').notNull(),
    budgetYear: integer('budget_year').notNull(),
    recordedBy: integer('recorded_by')
      .notNull()
      .references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [index('craftsman_reward_payments_candidate_idx').on(t.candidateId), index('craftsman_reward_payments_year_idx').on(t.budgetYear)],
);

/**
 * A reviewer on a selection's panel (评审专家组): a staff account (scores on their own sheet) or an
 * outside expert by name (paper sheets entered by the union's staff), for one body of the review
 * setup. The employer (an organisation or a name as written) and the declared relations drive
 * recusal (回避).
 */
export const craftsmanReviewers = sqliteTable(
  'craftsman_reviewers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    selectionId: integer('selection_id')
      .notNull()
      .references(() => craftsmanSelections.id),
    accountId: integer('account_id').references(() => accounts.id),
    /** An outside expert without an account: their name. Null for an account. */
    expertName: text('expert_name'),
    /** A body key of the review setup, e.g. union, hr_bureau, expert. */
    body: text('body').notNull(),
    employerId: integer('employer_id').references(() => organisations.id),
    /** The employer as written when it is no organisation of the system; null when employer_id is set. */
    employerName: text('employer_name'),
    /** Candidate ids the reviewer declared a relation with (亲属、师徒…) and stands aside from. */
    relations: text('relations', { mode: 'json' }).$type<number[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('craftsman_reviewers_account_uq').on(t.selectionId, t.accountId), index('craftsman_reviewers_selection_idx').on(t.selectionId)],
);

/** One reviewer's points for one item of one candidate in one step. */
export const craftsmanReviewScores = sqliteTable(
  'craftsman_review_scores',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    selectionId: integer('selection_id')
      .notNull()
      .references(() => craftsmanSelections.id),
    reviewerId: integer('reviewer_id')
      .notNull()
      .references(() => craftsmanReviewers.id),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => craftsmanCandidates.id),
    step: text('step').notNull(),
    itemId: text('item_id').notNull(),
    points: real('points').notNull(),
    /** Who typed it: the reviewer themselves, or staff entering a paper sheet. */
    enteredBy: integer('entered_by')
      .notNull()
      .references(() => accounts.id),
    enteredAt: integer('entered_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('craftsman_review_scores_uq').on(t.reviewerId, t.candidateId, t.step, t.itemId),
    index('craftsman_review_scores_selection_idx').on(t.selectionId),
  ],
);

/** A member of the selection's review committee (评审委员会): an account, or a name whose paper ballot staff record. */
export const craftsmanCommittee = sqliteTable(
  'craftsman_committee',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    selectionId: integer('selection_id')
      .notNull()
      .references(() => craftsmanSelections.id),
    accountId: integer('account_id').references(() => accounts.id),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('craftsman_committee_account_uq').on(t.selectionId, t.accountId), index('craftsman_committee_selection_idx').on(t.selectionId)],
);

/** A committee member's ballot on the proposed list: one per member per selection and vote round. */
export const craftsmanVotes = sqliteTable(
  'craftsman_votes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    selectionId: integer('selection_id')
      .notNull()
      .references(() => craftsmanSelections.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => craftsmanCommittee.id),
    choice: text('choice', { enum: ['for', 'against', 'abstain'] }).notNull(),
    /** The vote round (craftsman_selections.vote_round) the ballot was cast in; earlier rounds stay as history. */
    round: integer('round').notNull().default(1),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    /** The member themselves, or staff recording a paper ballot. */
    recordedBy: integer('recorded_by')
      .notNull()
      .references(() => accounts.id),
  },
  (t) => [uniqueIndex('craftsman_votes_uq').on(t.selectionId, t.memberId, t.round)],
);
