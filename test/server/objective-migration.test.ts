import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { objectiveValues } from '../../db/schema.ts';
import { schemeSchema } from '../../server/contracts/scheme.ts';
import { SIMPLE_SCHEME } from '../helpers/scenario.ts';

const folder = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'objective-migration-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The migrations up to (not including) the one that adds objective values: a database as it was before. */
function migrationsBefore(tag: string): string {
  const dir = join(tmp, 'before');
  cpSync(folder, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag.startsWith(tag));
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe('migrating theory results out of marks', () => {
  it('makes the current chief judge’s mark of an objective part its value, and recorded times their first version', () => {
    const db = openDb(':memory:');
    migrate(db, { migrationsFolder: migrationsBefore('0004') });
    const run = (sql: string, ...args: unknown[]) => db.$client.prepare(sql).run(...args);
    run(`insert into organisations (id, name, kind, region_code, path) values (1, '肥西县总工会', 'union', '340123', '/1/')`);
    run(`insert into competitions (id, org_id, name, grade, year, organisers, hosts) values (1, 1, '大赛', 'B', 2026, '[]', '[]')`);
    run(`insert into events (id, competition_id, name, occupation_code, occupation_name, scheme) values (1, 1, '电工', '6-31-01-03', '电工', ?)`, JSON.stringify(schemeSchema.parse(SIMPLE_SCHEME)));
    run(`insert into rounds (id, event_id, seq, name, kind) values (1, 1, 1, '决赛', 'final')`);
    for (const [id, idNumber] of [
      [1, '340123198501010018'],
      [2, '340123198501010034'],
    ] as const) {
      run(`insert into people (id, org_id, name, id_number, gender, birth_date) values (?, 1, ?, ?, 'male', '1985-01-01')`, id, `选手${id}`, idNumber);
      run(`insert into entries (id, event_id, person_id, status, drawn_number) values (?, 1, ?, 'checked_in', ?)`, id, id, id);
    }
    run(`insert into round_entries (round_id, entry_id, completion_seconds) values (1, 1, 754), (1, 2, null)`);
    run(`insert into judges (id, event_id, name, role) values (1, 1, '裁判长', 'chief'), (2, 1, '裁判1', 'judge')`);
    const mark = (id: number, entry: number, judge: number, part: string, criterion: string, version: number, value: number, at: number) =>
      run(
        `insert into marks (id, round_id, entry_id, judge_id, part_id, criterion_id, version, value, entered_at) values (?, 1, ?, ?, ?, ?, ?, ?, ?)`,
        id, entry, judge, part, criterion, version, value, at,
      );
    mark(1, 1, 1, 'theory', 'theory', 1, 80, 1000);
    mark(2, 1, 1, 'theory', 'theory', 2, 82, 2000); // the chief's correction: current
    mark(3, 1, 2, 'theory', 'theory', 1, 0, 3000); // a marking judge posted the theory part later
    mark(4, 2, 2, 'theory', 'theory', 1, 64, 1500); // only a judge entered number 2
    mark(5, 1, 2, 'task1', 'c1', 1, 50, 1600); // a practical mark stays a mark

    migrate(db, { migrationsFolder: folder });
    const rows = db.select().from(objectiveValues).all().map((v) => [v.entryId, v.field, v.version, v.value, v.source, v.judgeId]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [1, 'theory', 1, 82, 'mark', 1],
        [2, 'theory', 1, 64, 'mark', 2],
        [1, 'completionTime', 1, 754, 'round_entry', null],
      ]),
    );
    expect(rows).toHaveLength(3);
    db.$client.close();
  });
});
