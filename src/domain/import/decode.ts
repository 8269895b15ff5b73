// Bytes of a file as spreadsheets and shops write them, to text: UTF-8 with or without a
// BOM, UTF-16 (Excel's "Unicode text"), and Windows-1252 (Excel on Windows in Western
// locales, also a superset of Latin-1 for what people type). Decoding is iconv-lite's;
// this only chooses which encoding to ask it for.
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** Whether the file began with a byte order mark. */
  bom: boolean;
}

/** Whether the bytes are valid UTF-8 (a Windows-1252 file with accents almost never is). */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** UTF-16 without a BOM: ASCII text has a zero in every other byte. */
function utf16WithoutBom(bytes: Uint8Array): TextEncoding | undefined {
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = sample / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Detects the encoding (or uses the one given) and decodes; the BOM is not part of the text. */
export function decodeBytes(bytes: Uint8Array, encoding?: TextEncoding): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let detected: TextEncoding;
  let bom = false;
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) [detected, bom] = ['utf-8', true];
  else if (buffer[0] === 0xff && buffer[1] === 0xfe) [detected, bom] = ['utf-16le', true];
  else if (buffer[0] === 0xfe && buffer[1] === 0xff) [detected, bom] = ['utf-16be', true];
  else detected = utf16WithoutBom(buffer) ?? (isUtf8(buffer) ? 'utf-8' : 'windows-1252');
  const chosen = encoding ?? detected;
  // iconv-lite strips a BOM of the encoding it decodes by default.
  const text = iconv.decode(buffer, chosen);
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: chosen, bom };
}
