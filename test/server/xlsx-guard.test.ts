import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_CONTENT_TYPE } from '../../server/contracts/import.ts';
import { assertXlsxUnpackedSize, ParseGate } from '../../server/features/import/xlsx-guard.ts';
import { loginAs } from '../helpers/factories.ts';
import { makeScenario, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/** A zip of deflated parts, each declaring `declare(size)` as its unpacked size (a liar declares less). */
function zipOf(parts: { name: string; data: Buffer }[], declare: (size: number) => number = (n) => n): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const packed = deflateRawSync(p.data);
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(declare(p.data.length), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(declare(p.data.length), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A worksheet part of `mb` megabytes of the same row over and over: it packs to a few dozen KB. */
const hugeSheet = (mb: number) => Buffer.alloc(mb * 1024 * 1024, '<row><c t="inlineStr"><is><t>x</t></is></c></row>');

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
