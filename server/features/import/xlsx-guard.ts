import { inflateRawSync } from 'node:zlib';
import { AppError } from '../../errors.ts';

/**
 * What an uploaded .xlsx may unpack to. A sheet of 5,000 certificate rows unpacks to about 3 MB;
 * a "zip bomb" of 349 KB unpacked to 314 MB, took 35 s and 3 GB of memory in the parser and
 * stalled the server. The guard reads the archive's own directory and inflates each part with a
 * hard output cap before the parser sees it, so neither a declared nor a lying size gets past it.
 */
export const XLSX_UNPACKED_LIMIT = 32 * 1024 * 1024;

const tooLarge = (limit: number) =>
  new AppError(413, 'sheet_too_large', `The .xlsx file unpacks to more than ${Math.round(limit / 1024 / 1024)} MB: split it, or save it as CSV`, undefined, {
    limitMb: Math.round(limit / 1024 / 1024),
  });
const unreadable = () => new AppError(400, 'unreadable_file', 'The .xlsx file could not be read');

/** Refuses an .xlsx whose parts unpack, declared or in fact, to more than `limit` bytes in all. */
export function assertXlsxUnpackedSize(zip: Buffer, limit = XLSX_UNPACKED_LIMIT): void {
  // End of central directory: 22 bytes, within the last 64 KB (after an optional comment).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw unreadable();
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  let declared = 0;
  let actual = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) throw unreadable();
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    // ZIP64 (sizes of 4 GB and more) has no place in a sheet upload.
    if (size === 0xffffffff || compressed === 0xffffffff) throw tooLarge(limit);
    declared += size;
    if (declared > limit) throw tooLarge(limit);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) throw unreadable();
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    if (method === 0) actual += data.length;
    else if (method === 8) {
      try {
        actual += inflateRawSync(data, { maxOutputLength: Math.max(1, limit - actual) }).length;
      } catch (err) {
        if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit);
        throw unreadable();
      }
    } else throw unreadable();
    if (actual > limit) throw tooLarge(limit);
    at += 46 + nameLength + extraLength + commentLength;
  }
}

/**
 * At most `size` spreadsheets are parsed at once; the others wait their turn. Parsing is CPU work
 * on the one event loop: a queue keeps sign-ins, marks and /health answering during a burst of
 * imports.
 */
export class ParseGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
