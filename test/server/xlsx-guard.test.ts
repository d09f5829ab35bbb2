import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_CONTENT_TYPE } from '../../server/contracts/import.ts';
import { assertXlsxUnpackedSize, ParseGate } from '../../server/features/import/xlsx-guard.ts';
import { loginAs } from '../helpers/factories.ts';
import { makeScenario, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';
import { hugeSheet, zipOf } from '../helpers/zip.ts';

let app: TestApp;
let s: Scenario;
let organiser: string;
beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 1, judgeCount: 1 });
  organiser = await loginAs(app, 'organiser', s.orgId);
});
afterAll(() => app.close());

describe('a spreadsheet that unpacks to far more than it weighs (zip bomb)', () => {
  it('is refused 413 naming the limit, before the parser sees it, whether it declares its size or lies', async () => {
    for (const bomb of [zipOf([{ name: 'xl/worksheets/sheet1.xml', data: hugeSheet(64) }]), zipOf([{ name: 'xl/worksheets/sheet1.xml', data: hugeSheet(64) }], () => 1000)]) {
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const started = Date.now();
      const res = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/entries/import?dryRun=true`, headers: { 'content-type': XLSX_CONTENT_TYPE }, payload: bomb });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ code: 'sheet_too_large', params: { limitMb: 32 } });
      // Stopped at the limit: nowhere near the seconds the parser took on the whole bomb.
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });

  it('lets an ordinary archive through and calls a broken one unreadable', () => {
    expect(() => assertXlsxUnpackedSize(zipOf([{ name: 'a.xml', data: Buffer.from('<x/>') }]))).not.toThrow();
    expect(() => assertXlsxUnpackedSize(Buffer.from('PK not really a zip'))).toThrow(/could not be read/);
  });
});

describe('parsing gate', () => {
  it('runs at most its size at once, the rest in turn', async () => {
    const gate = new ParseGate(2);
    let running = 0;
    let most = 0;
    const work = () =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
      });
    await Promise.all(Array.from({ length: 7 }, work));
    expect(most).toBe(2);
  });
});
