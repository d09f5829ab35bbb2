/**
 * `npm run verify -- FILE [FILE …]`: checks competition packages (server/domain/package) with the
 * project's scoring engine alone — no database, no server. Each event's totals, ranks,
 * advancement and prizes are recomputed from the marks in the file and compared with the
 * results it says were published: a line per event, `verified N/N events`, and exit code 0 only
 * when every event of every file matches (1 on a difference, 2 on a file that is not a package).
 */
import { readFileSync } from 'node:fs';
import { competitionPackageSchema, verificationLines, verifyPackage } from '../domain/package/index.ts';

const files = process.argv.slice(2).filter((a) => a !== '--');
if (files.length === 0) {
  console.error('usage: npm run verify -- FILE [FILE …]   (a competition package, .json)');
  process.exit(2);
}
let code = 0;
for (const file of files) {
  if (files.length > 1) console.log(`# ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`${file}: not a readable JSON file (${(err as Error).message})`);
    code = Math.max(code, 2);
    continue;
  }
  const parsed = competitionPackageSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`${file}: not a competition package (format skills-competition-package, version 1):`);
    for (const issue of parsed.error.issues.slice(0, 20)) console.error(`    ${issue.path.join('.') || '(document)'}: ${issue.message}`);
    code = Math.max(code, 2);
    continue;
  }
  const result = verifyPackage(parsed.data);
  for (const line of verificationLines(result)) console.log(line);
  if (!result.ok) code = Math.max(code, 1);
}
process.exit(code);
