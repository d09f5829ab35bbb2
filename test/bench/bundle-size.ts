/**
 * What each page of the built web app makes the browser download, in gzipped JavaScript, from
 * Vite's manifest (dist/web/.vite/manifest.json): the shell entry and its static imports, plus the
 * page's lazily loaded chunk with its own imports (and anything the page itself loads lazily).
 *
 * The judge's tablet is on venue Wi-Fi, so its page has a budget: 80 KB (80 × 1024 bytes) gzipped.
 *
 *   npm run build && npm run size        (exits 1 when the judge's page is over budget)
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const JUDGE_PAGE = 'pages/judge/judge-page.ts';
export const JUDGE_BUDGET_BYTES = 80 * 1024;

type Chunk = { file: string; name?: string; src?: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[]; dynamicImports?: string[] };
type Manifest = Record<string, Chunk>;

export type PageSize = { page: string; files: string[]; rawBytes: number; gzipBytes: number };

export function measureBundles(distDir = resolve('dist/web')): { shell: PageSize; pages: PageSize[] } {
  const manifestPath = resolve(distDir, '.vite/manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run \`npm run build\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entryKey) throw new Error('the manifest has no entry chunk');

  const sizes = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = (file: string) => {
    let s = sizes.get(file);
    if (!s) {
      const bytes = readFileSync(resolve(distDir, file));
      s = { raw: bytes.length, gzip: gzipSync(bytes).length };
      sizes.set(file, s);
    }
    return s;
  };

  /** A chunk and its static imports; with `lazy`, also what it loads lazily (and so on). */
  const closure = (key: string, lazy: boolean, into = new Set<string>()): Set<string> => {
    if (into.has(key)) return into;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest has no chunk ${key}`);
    into.add(key);
    for (const k of chunk.imports ?? []) closure(k, lazy, into);
    if (lazy) for (const k of chunk.dynamicImports ?? []) closure(k, lazy, into);
    return into;
  };

  const total = (page: string, keys: Set<string>): PageSize => {
    const files = [...keys].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
    const sum = files.reduce((acc, f) => ({ raw: acc.raw + sizeOf(f).raw, gzip: acc.gzip + sizeOf(f).gzip }), { raw: 0, gzip: 0 });
    return { page, files, rawBytes: sum.raw, gzipBytes: sum.gzip };
  };

  const shellKeys = closure(entryKey, false);
  const pages = (manifest[entryKey]!.dynamicImports ?? []).map((pageKey) => {
    const keys = new Set(shellKeys);
    closure(pageKey, true, keys);
    return total(pageKey, keys);
  });
  return { shell: total(entryKey, shellKeys), pages };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(7);

function main(): void {
  const { shell, pages } = measureBundles();
  const rows = [{ ...shell, page: `${shell.page} (shell alone)` }, ...pages];
  const width = Math.max(...rows.map((r) => r.page.length));
  console.log(`${'page (shell + its chunks)'.padEnd(width)}  files   raw KB  gzip KB`);
  for (const r of rows) console.log(`${r.page.padEnd(width)}  ${String(r.files.length).padStart(5)}  ${kb(r.rawBytes)}  ${kb(r.gzipBytes)}`);
  const judge = pages.find((p) => p.page === JUDGE_PAGE);
  if (!judge) {
    console.error(`\nno ${JUDGE_PAGE} in the manifest`);
    process.exit(1);
  }
  const over = judge.gzipBytes > JUDGE_BUDGET_BYTES;
  console.log(`\njudge's page: ${(judge.gzipBytes / 1024).toFixed(1)} KB gzip of ${JUDGE_BUDGET_BYTES / 1024} KB budget: ${over ? 'OVER BUDGET' : 'ok'}`);
  if (over) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
