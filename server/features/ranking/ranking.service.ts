import type { Db } from '../../../db/client.ts';
import type { LiveHub } from '../../plugins/live.plugin.ts';

export class RankingService {
  constructor(
    private readonly db: Db,
    private readonly live: LiveHub,
  ) {}

  invalidate(_eventId: number): void {}
}
