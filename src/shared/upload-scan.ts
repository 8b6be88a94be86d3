import { open } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';

/**
 * Content checks beyond the magic bytes, for the files customers upload: a file that is a valid
 * image, PDF or video and also carries markup or script (a polyglot) is refused, since a browser
 * or viewer that sniffs it could run it.
 */

// Long enough that random compressed bytes essentially never contain them (false positives on a
// 200 MB video stay below one in a million).
const MARKUP =
  /<script|<!doctype\s+html|<html[\s>]|<body[\s>]|<iframe|<object[\s>]|<embed[\s>]|<svg[\s>]|<\?php|javascript:|\bon(?:error|load)\s*=/i;

/** Markup anywhere in the bytes (read as Latin-1 so every byte maps to one character). */
export const hasMarkup = (bytes: Buffer) => MARKUP.test(bytes.toString('latin1'));

function jpegTrailer(bytes: Buffer): Buffer | null {
  const end = bytes.lastIndexOf(Buffer.from([0xff, 0xd9]));
  return end < 0 ? null : bytes.subarray(end + 2);
}

function pngTrailer(bytes: Buffer): Buffer | null {
  const iend = bytes.lastIndexOf(Buffer.from('IEND', 'latin1'));
  return iend < 0 ? null : bytes.subarray(iend + 8); // chunk type + CRC
}

// PDF names may hide letters as #xx escapes (/J#61vaScript); decode before matching.
const decodePdfNames = (text: string) => text.replace(/#([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const PDF_ACTIVE = /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFile|RichMedia|XFA|SubmitForm|ImportData)\b/;

/** Every FlateDecode stream inflated (object streams can hide dictionaries). */
function pdfStreams(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const text = bytes.toString('latin1');
  const re = /stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      out.push(inflateSync(bytes.subarray(start, end)));
    } catch {
      // Not deflated (or not whole): scanned as raw bytes already.
    }
    re.lastIndex = end;
  }
  return out;
}

/** Why an image or PDF receipt is refused, or null. */
export function activeContentInDocument(bytes: Buffer, mime: string): string | null {
  if (mime === 'application/pdf') {
    for (const part of [bytes, ...pdfStreams(bytes)]) {
      const hit = PDF_ACTIVE.exec(decodePdfNames(part.toString('latin1')));
      if (hit) return `PDF with /${hit[1]}`;
      if (hasMarkup(part)) return 'PDF with embedded markup';
    }
    return null;
  }
  if (hasMarkup(bytes)) return 'markup or script inside the image';
  const trailer = mime === 'image/jpeg' ? jpegTrailer(bytes) : mime === 'image/png' ? pngTrailer(bytes) : null;
  // A few padding bytes after the end marker are normal; anything substantial is a second file.
  if (trailer && trailer.length > 16 && trailer.some((b) => b !== 0 && b !== 0xff && b !== 0x0a && b !== 0x0d))
    return 'data after the end of the image';
  return null;
}

/** Scans a stored file in chunks (videos are too large to hold in memory); overlap catches markers across chunk edges. */
export async function fileHasMarkup(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    const overlap = 64;
    let position = 0;
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) return false;
      const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (hasMarkup(window)) return true;
      carry = Buffer.from(window.subarray(Math.max(0, window.length - overlap)));
      position += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
