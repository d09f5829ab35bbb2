import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema.ts';

/**
 * Migration 0007 moves judges from one event to the competition. A database written before it
 * (judges with event_id and role, marks, sessions) must come through with every judge, their
 * ids, their events and roles, and everything pointing at them.
 */

const migrations = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The migrations folder as it was before `tag` (the journal cut there). */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  dirs.push(dir);
  cpSync(migrations, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe('migration 0007: competition judges and panels', () => {
  it('keeps old judges as competition judges with their event, role, marks and sessions', () => {
    const sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: migrationsBefore('0007_competition_judges_and_panels') });
    sqlite.exec(`
      insert into organisations (id, name, kind, level, region_code, path) values (1, '肥西县总工会', 'union', 'county', '340123', '/1/');
      insert into competitions (id, org_id, name, grade, year, organisers, hosts) values (7, 1, '大赛', 'B', 2026, '[]', '[]');
      insert into events (id, competition_id, name, occupation_code, occupation_name, scheme) values (10, 7, '无人机驾驶', '4-99-00-00', '无人机驾驶员', '{}'), (11, 7, '消防救援', '3-02-03-01', '消防员', '{}');
      insert into rounds (id, event_id, seq, name, kind) values (20, 10, 1, '决赛', 'final');
      insert into people (id, org_id, name, id_number, gender, birth_date) values (30, 1, '选手', '340123199003070012', 'male', '1990-03-07');
      insert into entries (id, event_id, person_id, status, drawn_number) values (40, 10, 30, 'checked_in', 1);
      insert into judges (id, event_id, name, role, code_hash, code_expires_at) values (50, 10, '裴光明', 'chief', 'h1', 4102444800000), (51, 10, '张裁判', 'judge', 'h2', 4102444800000), (52, 11, '李裁判', 'judge', null, null);
      insert into sessions (token_hash, judge_id, expires_at) values ('s1', 51, 4102444800000);
      insert into marks (round_id, entry_id, judge_id, part_id, criterion_id, version, value, entered_at) values (20, 40, 51, 'flight', 'quality', 1, 30, 1);
      insert into corrections (mark_id, requested_by, new_value, reason) values (1, 51, 31, '误录');
    `);

    migrate(db, { migrationsFolder: migrations });

    expect(sqlite.prepare('select id, competition_id, name, code_hash from judges order by id').all()).toEqual([
      { id: 50, competition_id: 7, name: '裴光明', code_hash: 'h1' },
      { id: 51, competition_id: 7, name: '张裁判', code_hash: 'h2' },
      { id: 52, competition_id: 7, name: '李裁判', code_hash: null },
    ]);
    expect(sqlite.prepare('select judge_id, event_id, role from judge_assignments order by judge_id').all()).toEqual([
      { judge_id: 50, event_id: 10, role: 'chief' },
      { judge_id: 51, event_id: 10, role: 'judge' },
      { judge_id: 52, event_id: 11, role: 'judge' },
    ]);
    // The signed-in judge stays signed in; their mark and correction still point at them.
    expect(sqlite.prepare('select judge_id from sessions').all()).toEqual([{ judge_id: 51 }]);
    expect(sqlite.prepare('select judge_id from marks').all()).toEqual([{ judge_id: 51 }]);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(sqlite.prepare(`select name from sqlite_master where name like '__old%'`).all()).toEqual([]);
    // Marks are keyed by part now: the same criterion id in another part is a new slot.
    sqlite.prepare(`insert into marks (round_id, entry_id, judge_id, part_id, criterion_id, version, value, entered_at) values (20, 40, 51, 'mission', 'quality', 1, 20, 2)`).run();
    expect(() =>
      sqlite.prepare(`insert into marks (round_id, entry_id, judge_id, part_id, criterion_id, version, value, entered_at) values (20, 40, 51, 'mission', 'quality', 1, 21, 3)`).run(),
    ).toThrow(/UNIQUE/);
    // New judges get fresh ids after the kept ones.
    expect(Number(sqlite.prepare(`insert into judges (competition_id, name) values (7, '新裁判')`).run().lastInsertRowid)).toBe(53);
    sqlite.close();
  });
});
