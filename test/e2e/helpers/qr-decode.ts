import jsQR from 'jsqr';
import type { Locator, Page } from 'playwright-core';

/**
 * Reads the QR code an <img> on the page shows, as a phone's camera would: the image is drawn
 * on a canvas in the page and its pixels decoded by jsQR (a well-kept decoder, dev-only).
 * Returns the text it encodes, or null when no code is found.
 */
export async function readQrCode(page: Page, img: Locator): Promise<string | null> {
  const src = await img.getAttribute('src');
  if (!src) throw new Error('the QR image has no source');
  return readQrSource(page, src);
}

/** The same for a QR code drawn as inline <svg> (the certificates'). */
export async function readQrSvg(page: Page, svg: Locator): Promise<string | null> {
  const markup = await svg.evaluate((el) => new XMLSerializer().serializeToString(el));
  return readQrSource(page, `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`);
}

async function readQrSource(page: Page, src: string): Promise<string | null> {
  const { width, height, pixels } = await page.evaluate(async (source) => {
    const image = new Image();
    image.src = source;
    await image.decode();
    // Drawn larger with a white quiet zone, as a printed code is seen.
    const side = 600;
    const margin = 40;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = side + 2 * margin;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(image, margin, margin, side, side);
    return { width: canvas.width, height: canvas.height, pixels: Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data) };
  }, src);
  return jsQR(Uint8ClampedArray.from(pixels), width, height)?.data ?? null;
}
