import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import {
  addReviewerBody,
  candidateSchema,
  committeeBody,
  committeeSchema,
  craftsmanTitleSchema,
  createSelectionBody,
  decideObjectionBody,
  eligibleAccountSchema,
  importResultSchema,
  listSelectionsQuery,
  namingResultSchema,
  nominateBody,
  objectionBody,
  objectionSchema,
  paymentBody,
  paymentSchema,
  proposedListBody,
  publicObjectionReceiptSchema,
  publicSelectionSchema,
  publicSelectionItemSchema,
  forwardableTitleSchema,
  relationsBody,
  reviewerSheetSchema,
  reviewRankingSchema,
  reviewScoresBody,
  reviewSetupSchema,
  revokeBody,
  rewardsSchema,
  selectionPresetSchema,
  selectionReviewerSchema,
  selectionSchema,
  tieDecisionBody,
  updateCandidateBody,
  voteBody,
  selectionTitleSchema,
  yearlyReviewBody,
  myTasksSchema,
  reopenReviewBody,
  updateSelectionBody,
  withdrawBody,
} from '../../contracts/selections.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { listSelectionTitles, recordYearlyReview, revokeTitle } from './titles.service.ts';
import {
  closeSelection,
  createSelection,
  decideObjection,
  getSelection,
  importRecommendations,
  listCandidates,
  listObjections,
  listSelectionPresets,
  listSelections,
  lodgeObjection,
  nameSelection,
  nominate,
  openNominations,
  publicSelection,
  listPublicSelections,
  forwardableTitles,
  recheckEligibility,
  recordPayment,
  rewards,
  setProposedList,
  startPublicity,
  startReview,
  updateCandidate,
  updateSelection,
  withdrawCandidate,
} from './selections.service.ts';
import {
  addReviewer,
  castVote,
  reopenReview,
  myTasks,
  closeReview,
  decideTie,
  enterPaperScores,
  getCommittee,
  getReviewRanking,
  listEligibleAccounts,
  listReviewers,
  mySheet,
  removeReviewer,
  setCommittee,
  setRelations,
  setReviewSetup,
  submitMyScores,
} from './selection-review.service.ts';

const tags = ['craftsman selection'];
const errors = { ...commonErrors, 409: problemSchema };
/** Who reads selections (studio officers do not). */
const READERS = ['admin', 'organiser', 'hr_officer', 'viewer'] as const;
/** The owning union's staff who run it. */
const MANAGERS = ['admin', 'organiser'] as const;
/** Who nominates: the union's staff and the co-organising HR bureau's officers. */
const NOMINATORS = ['admin', 'organiser', 'hr_officer'] as const;

const selectionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/selections/presets', {
    schema: { operationId: 'listSelectionPresets', summary: 'Selection presets: 合肥工匠, 安徽工匠, 鄂尔多斯工匠 (title, quota, rules, rewards)', tags, response: { 200: z.array(selectionPresetSchema), ...commonErrors } },
    handler: async (req) => {
      requireStaff(req, ...READERS);
      return listSelectionPresets();
    },
  });

  app.get('/selections', {
    schema: { operationId: 'listSelections', summary: 'Craftsman selections (工匠评选) run in your subtree or co-organised by your body', tags, querystring: listSelectionsQuery, response: { 200: z.array(selectionSchema), ...commonErrors } },
    handler: async (req) => listSelections(app, requireStaff(req, ...READERS), req.query),
  });

  app.post('/selections', {
    schema: { operationId: 'createSelection', summary: 'Create a selection, from a preset or with its own title, quota, rules, timetable and rewards', tags, body: createSelectionBody, response: { 201: selectionSchema, ...errors } },
    handler: async (req, reply) => reply.status(201).send(createSelection(app, requireStaff(req, ...MANAGERS), req.body)),
  });

  app.get('/selections/:id', {
    schema: { operationId: 'getSelection', summary: 'A selection with its settings, timetable and candidates by status', tags, params: idParams, response: { 200: selectionSchema, ...commonErrors } },
    handler: async (req) => getSelection(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.patch('/selections/:id', {
    schema: { operationId: 'updateSelection', summary: 'Change the settings until nominations close; changed rules are applied again to every open candidate', tags, params: idParams, body: updateSelectionBody, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => updateSelection(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.post('/selections/:id/open-nominations', {
    schema: { operationId: 'openSelectionNominations', summary: 'Open nominations (accepted between the timetable’s open and close dates)', tags, params: idParams, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => openNominations(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.get('/selections/:id/candidates', {
    schema: { operationId: 'listSelectionCandidates', summary: 'Candidates with their forms, eligibility and the reasons, ranks; ID numbers masked unless you edit people', tags, params: idParams, response: { 200: z.array(candidateSchema), ...commonErrors } },
    handler: async (req) => listCandidates(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.get('/selections/:id/forwardable-titles', {
    schema: {
      operationId: 'listSelectionForwardableTitles',
      summary: 'Titles named by unions below the running one, held by people in your scope who are not candidates yet: what a lower union may forward (下级工会推荐)',
      tags,
      params: idParams,
      response: { 200: z.array(forwardableTitleSchema), ...commonErrors },
    },
    handler: async (req) => forwardableTitles(app, requireStaff(req, ...NOMINATORS), req.params.id),
  });

  app.post('/selections/:id/candidates', {
    schema: {
      operationId: 'nominateSelectionCandidate',
      summary: 'Nominate: by a unit with its form, a self-nomination recorded by staff, or a lower union’s title forwarded; checked against the rules at once',
      tags,
      params: idParams,
      body: nominateBody,
      response: { 201: candidateSchema, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(nominate(app, requireStaff(req, ...NOMINATORS), req.params.id, req.body)),
  });

  app.post('/selections/:id/import-recommendations', {
    schema: {
      operationId: 'importSelectionRecommendations',
      summary: 'Turn approved recommendations for this title from released competitions into candidates (again: only new ones)',
      tags,
      params: idParams,
      response: { 200: importResultSchema, ...errors },
    },
    handler: async (req) => importRecommendations(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.post('/selections/:id/check-eligibility', {
    schema: { operationId: 'checkSelectionEligibility', summary: 'Check every open candidate against the rules again, as of today', tags, params: idParams, response: { 200: z.array(candidateSchema), ...errors } },
    handler: async (req) => recheckEligibility(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.patch('/selection-candidates/:id', {
    schema: { operationId: 'updateSelectionCandidate', summary: 'Complete or correct a nomination form while nominations are open; the rules are applied again', tags, params: idParams, body: updateCandidateBody, response: { 200: candidateSchema, ...errors } },
    handler: async (req) => updateCandidate(app, requireStaff(req, ...NOMINATORS), req.params.id, req.body.form),
  });

  app.post('/selection-candidates/:id/withdraw', {
    schema: { operationId: 'withdrawSelectionCandidate', summary: 'Withdraw a candidate with the reason', tags, params: idParams, body: withdrawBody, response: { 200: candidateSchema, ...errors } },
    handler: async (req) => withdrawCandidate(app, requireStaff(req, ...MANAGERS), req.params.id, req.body.reason),
  });

  app.post('/selections/:id/start-review', {
    schema: { operationId: 'startSelectionReview', summary: 'Close nominations and start the review', tags, params: idParams, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => startReview(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.put('/selections/:id/proposed-list', {
    schema: {
      operationId: 'setSelectionProposedList',
      summary: 'The ranked proposed list with review scores, by hand, for a selection without a review setup; titles within the quota',
      tags,
      params: idParams,
      body: proposedListBody,
      response: { 200: z.array(candidateSchema), ...errors },
    },
    handler: async (req) => setProposedList(app, requireStaff(req, ...MANAGERS), req.params.id, req.body.items),
  });

  // ---- The review on the shared engine (selection-review.service.ts) ----

  app.put('/selections/:id/review-setup', {
    schema: {
      operationId: 'setSelectionReviewSetup',
      summary: 'The review setup: steps (e.g. a defence) with indicator sheets, bodies with weights and aggregation, threshold, majority rule; before the review starts (a preset’s `review` is a start)',
      tags,
      params: idParams,
      body: reviewSetupSchema,
      response: { 200: selectionSchema, ...errors },
    },
    handler: async (req) => setReviewSetup(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.get('/selections/:id/reviewers', {
    schema: { operationId: 'listSelectionReviewers', summary: 'The review panel: each reviewer’s body, employer, declared relations, whom they stand aside from and sheets complete', tags, params: idParams, response: { 200: z.array(selectionReviewerSchema), ...commonErrors } },
    handler: async (req) => listReviewers(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.post('/selections/:id/reviewers', {
    schema: {
      operationId: 'addSelectionReviewer',
      summary: 'Seat a reviewer for a body: an account of the running union’s or a co-organiser’s subtree, or an outside expert by name; employer and declared relations for recusal',
      tags,
      params: idParams,
      body: addReviewerBody,
      response: { 201: selectionReviewerSchema, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(addReviewer(app, requireStaff(req, ...MANAGERS), req.params.id, req.body)),
  });

  app.get('/selections/:id/eligible-accounts', {
    schema: {
      operationId: 'listSelectionEligibleAccounts',
      summary: 'The active staff accounts a manager may seat on the panel or the committee: the running union’s subtree and each co-organiser’s; name, role and organisation only',
      tags,
      params: idParams,
      response: { 200: z.array(eligibleAccountSchema), ...commonErrors },
    },
    handler: async (req) => listEligibleAccounts(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.delete('/selection-reviewers/:id', {
    schema: { operationId: 'removeSelectionReviewer', summary: 'Take a reviewer who has not scored off the panel; the panel left', tags, params: idParams, response: { 200: z.array(selectionReviewerSchema), ...errors } },
    handler: async (req) => removeReviewer(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.put('/selection-reviewers/:id/relations', {
    schema: {
      operationId: 'setSelectionReviewerRelations',
      summary: 'The candidates a reviewer declares a relation with (by the reviewer, or recorded by the running union’s organisers); points already given to them are withdrawn',
      tags,
      params: idParams,
      body: relationsBody,
      response: { 200: selectionReviewerSchema, ...errors },
    },
    handler: async (req) => setRelations(app, requireStaff(req), req.params.id, req.body.candidateIds),
  });

  app.put('/selection-reviewers/:id/scores', {
    schema: {
      operationId: 'enterSelectionPaperScores',
      summary: 'Enter a reviewer’s paper sheet (e.g. an outside expert’s) for one candidate and step; checked like the reviewer’s own',
      tags,
      params: idParams,
      body: reviewScoresBody,
      response: { 200: reviewerSheetSchema, ...errors },
    },
    handler: async (req) => enterPaperScores(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.get('/selections/my-tasks', {
    schema: {
      operationId: 'listMySelectionTasks',
      summary: 'Your work in craftsman selections wherever your account sits: the sheets you score as a reviewer (with progress) and the lists you vote on as a committee member',
      tags,
      response: { 200: myTasksSchema, ...commonErrors },
    },
    handler: async (req) => myTasks(app, requireStaff(req)),
  });

  app.get('/selections/:id/my-sheet', {
    schema: { operationId: 'getMySelectionSheet', summary: 'Your sheet as a reviewer: the selection’s name and title, your panel, whom you stand aside from; per step the candidates you score (not those you stand aside from), the items and your points. Needs no read access to the selection: a reviewer may work at a lower union or a co-organiser', tags, params: idParams, response: { 200: reviewerSheetSchema, ...commonErrors } },
    handler: async (req) => mySheet(app, requireStaff(req), req.params.id),
  });

  app.put('/selections/:id/my-scores', {
    schema: {
      operationId: 'submitMySelectionScores',
      summary: 'Your points for one candidate in one step, replacing your earlier ones; each problem named by field, its code in `params` by field (403 reviewer_conflict / reviewer_relation when you stand aside)',
      tags,
      params: idParams,
      body: reviewScoresBody,
      response: { 200: reviewerSheetSchema, ...errors },
    },
    handler: async (req) => submitMyScores(app, requireStaff(req), req.params.id, req.body),
  });

  app.get('/selections/:id/review', {
    schema: {
      operationId: 'getSelectionReview',
      summary: 'The ranking: per candidate step and body scores, final score, shared rank, pass, selected, tied at the quota line; the quota summary with the places the committee decides',
      tags,
      params: idParams,
      response: { 200: reviewRankingSchema, ...errors },
    },
    handler: async (req) => getReviewRanking(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.post('/selections/:id/close-review', {
    schema: { operationId: 'closeSelectionReview', summary: 'Close the review: scores frozen, the selected proposed for the title, those tied at the line left to the committee', tags, params: idParams, response: { 200: reviewRankingSchema, ...errors } },
    handler: async (req) => closeReview(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.post('/selections/:id/tie-decision', {
    schema: {
      operationId: 'decideSelectionTie',
      summary: 'The committee’s choice among candidates tied at the quota line: at most the places to decide, with the reason',
      tags,
      params: idParams,
      body: tieDecisionBody,
      response: { 200: reviewRankingSchema, ...errors },
    },
    handler: async (req) => decideTie(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.get('/selections/:id/committee', {
    schema: { operationId: 'getSelectionCommittee', summary: 'The review committee: members, each ballot, and the count under the majority rule', tags, params: idParams, response: { 200: committeeSchema, ...commonErrors } },
    handler: async (req) => getCommittee(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.put('/selections/:id/committee', {
    schema: { operationId: 'setSelectionCommittee', summary: 'The review committee’s members (accounts within reach, or names voting on paper); until a vote is cast', tags, params: idParams, body: committeeBody, response: { 200: committeeSchema, ...errors } },
    handler: async (req) => setCommittee(app, requireStaff(req, ...MANAGERS), req.params.id, req.body.members),
  });

  app.post('/selections/:id/votes', {
    schema: {
      operationId: 'castSelectionVote',
      summary: 'A ballot on the proposed list (for / against / abstain): the member signed in, or a paper ballot recorded by an organiser naming the member',
      tags,
      params: idParams,
      body: voteBody,
      response: { 200: committeeSchema, ...errors },
    },
    handler: async (req) => castVote(app, requireStaff(req), req.params.id, req.body),
  });

  app.post('/selections/:id/reopen-review', {
    schema: {
      operationId: 'reopenSelectionReview',
      summary: 'Send a list the committee did not pass back to the panel (退回重评), with the reason: the review opens again and the committee votes anew in the next round',
      tags,
      params: idParams,
      body: reopenReviewBody,
      response: { 200: committeeSchema, ...errors },
    },
    handler: async (req) => reopenReview(app, requireStaff(req, ...MANAGERS), req.params.id, req.body.reason),
  });

  app.post('/selections/:id/start-publicity', {
    schema: { operationId: 'startSelectionPublicity', summary: 'Put the proposed list up for the publicity period (公示期), its end counted in working days; a reviewed selection once its review is closed, the tie at the line decided and the committee’s vote passed', tags, params: idParams, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => startPublicity(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.get('/selections/:id/objections', {
    schema: { operationId: 'listSelectionObjections', summary: 'Objections (异议) lodged during the publicity period, with their decisions', tags, params: idParams, response: { 200: z.array(objectionSchema), ...commonErrors } },
    handler: async (req) => listObjections(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.post('/selections/:id/objections', {
    schema: { operationId: 'recordSelectionObjection', summary: 'Record an objection received by letter or phone during the publicity period', tags, params: idParams, body: objectionBody, response: { 201: objectionSchema, ...errors } },
    handler: async (req, reply) => reply.status(201).send(lodgeObjection(app, requireStaff(req, ...MANAGERS), req.params.id, req.body)),
  });

  app.post('/selection-objections/:id/decision', {
    schema: { operationId: 'decideSelectionObjection', summary: 'Decide an objection: upheld takes the candidate off the list, dismissed leaves it', tags, params: idParams, body: decideObjectionBody, response: { 200: objectionSchema, ...errors } },
    handler: async (req) => decideObjection(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.post('/selections/:id/name', {
    schema: {
      operationId: 'nameSelection',
      summary: 'Name the list after the publicity period with every objection decided: titles conferred with certificate numbers, never twice',
      tags,
      params: idParams,
      response: { 200: namingResultSchema, ...errors },
    },
    handler: async (req) => nameSelection(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.post('/selections/:id/close', {
    schema: { operationId: 'closeSelection', summary: 'Close a named selection (payments may still be recorded)', tags, params: idParams, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => closeSelection(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.post('/craftsman-titles/:id/revoke', {
    schema: { operationId: 'revokeCraftsmanTitle', summary: 'Revoke a title a selection conferred, with the reason (it is not conferred again)', tags, params: idParams, body: revokeBody, response: { 200: craftsmanTitleSchema, ...errors } },
    handler: async (req) => revokeTitle(app, requireStaff(req, ...MANAGERS), req.params.id, req.body.reason),
  });

  app.get('/selections/:id/titles', {
    schema: {
      operationId: 'listSelectionTitles',
      summary: 'The titles a selection conferred: standing (active / expired / revoked), term, yearly reviews and the years still without one',
      tags,
      params: idParams,
      response: { 200: z.array(selectionTitleSchema), ...commonErrors },
    },
    handler: async (req) => listSelectionTitles(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.post('/craftsman-titles/:id/yearly-reviews', {
    schema: {
      operationId: 'recordCraftsmanTitleReview',
      summary: 'The yearly review (年度考核) of a fixed-term title: passed, or failed with the reason; once per year of the term',
      tags,
      params: idParams,
      body: yearlyReviewBody,
      response: { 200: selectionTitleSchema, ...errors },
    },
    handler: async (req) => recordYearlyReview(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.get('/selections/:id/rewards', {
    schema: { operationId: 'getSelectionRewards', summary: 'Reward money: due, paid and outstanding per recipient, per selection and per budget year', tags, params: idParams, response: { 200: rewardsSchema, ...commonErrors } },
    handler: async (req) => rewards(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.post('/selections/:id/reward-payments', {
    schema: { operationId: 'recordSelectionRewardPayment', summary: 'Record a reward payment with its voucher; more than is due is refused', tags, params: idParams, body: paymentBody, response: { 201: paymentSchema, ...errors } },
    handler: async (req, reply) => reply.status(201).send(recordPayment(app, requireStaff(req, ...MANAGERS), req.params.id, req.body)),
  });

  app.get('/public/selections', {
    schema: {
      operationId: 'listPublicSelections',
      summary: 'Craftsman selections whose list is up for publicity or named, newest first; no sign-in',
      tags,
      security: [],
      response: { 200: z.array(publicSelectionItemSchema) },
    },
    handler: async () => listPublicSelections(app),
  });

  app.get('/public/selections/:id', {
    schema: {
      operationId: 'getPublicSelection',
      summary: 'The publicity list or the named list of a selection: names, employers, occupations; no ID numbers; no sign-in',
      tags,
      security: [],
      params: idParams,
      response: { 200: publicSelectionSchema, 400: problemSchema, 404: problemSchema },
    },
    handler: async (req) => publicSelection(app, req.params.id),
  });

  app.post('/public/selections/:id/objections', {
    schema: {
      operationId: 'lodgePublicSelectionObjection',
      summary: 'Lodge an objection (异议) against a candidate on the publicity list; no sign-in',
      tags,
      security: [],
      params: idParams,
      body: objectionBody,
      response: { 201: publicObjectionReceiptSchema, 400: problemSchema, 404: problemSchema, 409: problemSchema },
    },
    handler: async (req, reply) => {
      const lodged = lodgeObjection(app, null, req.params.id, req.body);
      return reply.status(201).send({ id: lodged.id, lodgedAt: lodged.lodgedAt });
    },
  });
};

export default selectionsRoutes;
