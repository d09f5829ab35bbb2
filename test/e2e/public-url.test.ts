import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, events, prizes } from '../../db/schema.ts';
import { launchBrowser, newPage, startServer, type E2eServer } from './helpers/browser.ts';
import { readQrSvg } from './helpers/qr-decode.ts';

/**
 * PUBLIC_URL: a certificate printed on the venue laptop (the app at http://127.0.0.1:…) carries a
 * QR code that opens the public address, not the laptop's.
 */
const PUBLIC = 'https://skills.example.gov.cn';
let server: E2eServer;
let browser: Browser;
let prizeId: number;
let competitionId: number;

beforeAll(async () => {
  server = await startServer({ PUBLIC_URL: `${PUBLIC}/` });
  browser = await launchBrowser();
  // The demo's released welding contest: a first prize for one of its entrants.
  const welding = server.app.db.select().from(events).where(eq(events.name, '焊工')).get()!;
  competitionId = welding.competitionId;
  const entry = server.app.db.select().from(entries).where(eq(entries.eventId, welding.id)).all()[0]!;
  prizeId = server.app.db.insert(prizes).values({ eventId: welding.id, entryId: entry.id, tier: 1, label: '一等奖', moneyYuan: 3000, rank: 1 }).returning().get().id;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a configured public address', () => {
  it('is what the session tells every page (the trailing slash dropped)', async () => {
    const res = (await (await fetch(`${server.base}/api/auth/session`)).json()) as { publicUrl: string | null };
    expect(res.publicUrl).toBe(PUBLIC);
  });

  it('is where the certificate’s QR code points, whatever address printed it', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await page.goto(`${server.base}/award/${prizeId}`);
      const svg = page.locator('sc-award-page .qr svg');
      await svg.waitFor();
      const number = (await page.getByTestId('certificate-number').innerText()).replace('证书编号：', '');
      expect(await readQrSvg(page, svg)).toBe(`${PUBLIC}/results/${competitionId}?certificate=${encodeURIComponent(number)}`);
    } finally {
      await context.close();
    }
  });
});
