-- Objective parts (theory exam, measurements) get their own store (objective_values). What was
-- entered as a judge's mark for one becomes version 1 of its objective value: the chief judge's
-- current mark first, else the latest one entered. The marks themselves stay (they are history).
INSERT INTO objective_values (round_id, entry_id, field, version, value, source, reason, judge_id, entered_at, idempotency_key)
SELECT round_id, entry_id, part_id, 1, value, 'mark', 'carried over from a judge''s mark', judge_id, entered_at, NULL
FROM (
  SELECT m.round_id, m.entry_id, m.part_id, m.value, m.judge_id, m.entered_at,
         row_number() OVER (PARTITION BY m.round_id, m.entry_id, m.part_id ORDER BY (j.role = 'chief') DESC, m.entered_at DESC, m.id DESC) AS pick
  FROM marks m
  JOIN judges j ON j.id = m.judge_id
  JOIN rounds r ON r.id = m.round_id
  JOIN events e ON e.id = r.event_id
  WHERE m.criterion_id = m.part_id
    AND m.version = (SELECT max(m2.version) FROM marks m2 WHERE m2.round_id = m.round_id AND m2.entry_id = m.entry_id AND m2.judge_id = m.judge_id AND m2.criterion_id = m.criterion_id)
    AND EXISTS (SELECT 1 FROM json_each(e.scheme, '$.parts') p WHERE json_extract(p.value, '$.id') = m.part_id AND json_extract(p.value, '$.marking') = 'objective')
)
WHERE pick = 1;
--> statement-breakpoint
-- Completion times already recorded become version 1 of their history.
INSERT INTO objective_values (round_id, entry_id, field, version, value, source, reason, entered_at)
SELECT round_id, entry_id, 'completionTime', 1, completion_seconds, 'round_entry', NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER)
FROM round_entries
WHERE completion_seconds IS NOT NULL;
