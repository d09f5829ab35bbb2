import type { z } from 'zod';
import type { PrizeRule, TitleRuleSet } from '../../../server/contracts/awards.ts';
import type { Competition } from '../../../server/contracts/competitions.ts';
import type { Event as ScEvent } from '../../../server/contracts/events.ts';
import type { MarkOut } from '../../../server/contracts/marks.ts';
import type { appealSchema, publicationSchema, recheckListSchema } from '../../../server/contracts/publication.ts';
import type { EventRanking } from '../../../server/contracts/ranking.ts';
import type { generateResultSchema, proposalSchema, titleRuleRowSchema, titleTypeSchema } from '../../../server/contracts/titles.ts';

/** The wire shapes the awards page reads (types only: nothing of zod reaches the bundle). */
export type { Competition, MarkOut, PrizeRule, ScEvent, TitleRuleSet };
export type Publication = z.infer<typeof publicationSchema>;
export type Appeal = z.infer<typeof appealSchema>;
export type RecheckList = z.infer<typeof recheckListSchema>;
export type Proposal = z.infer<typeof proposalSchema>;
export type GenerateResult = z.infer<typeof generateResultSchema>;
export type TitleType = z.infer<typeof titleTypeSchema>;
export type TitleRuleRow = z.infer<typeof titleRuleRowSchema>;
export type Presets = {
  titleRules: TitleRuleSet[];
  titleTypes: { key: string; name: string; level: string }[];
  prizeRules: { key: string; rule: PrizeRule }[];
};
export type StaffRanking = EventRanking & {
  staffRows: { entryId: number; number: number | null; name: string | null; delegation: string | null; rank: number | null; status: 'registered' | 'checked_in' | 'absent' | 'disqualified' | 'withdrawn' | 'reserve'; provisional: boolean; total: number }[];
};
export type AwardedPrize = {
  id: number;
  tier: number;
  label: string;
  moneyYuan: number;
  rank: number | null;
  entryId: number | null;
  number: number | null;
  name: string | null;
  delegation: string | null;
  /** Why the prize is lower than the place gives (a tier's minimum score), as stored. */
  note?: string | null;
};
export type PrizePreview = {
  rule: PrizeRule;
  teamAwards: { teamId: number; delegation: string; rank: number; label: string; moneyYuan: number }[];
};

/** Fired (bubbling, composed) by a panel after it changed something the others show. */
export class AwardsChangedEvent extends Event {
  static readonly type = 'sc-awards-changed';
  constructor() {
    super(AwardsChangedEvent.type, { bubbles: true, composed: true });
  }
}
