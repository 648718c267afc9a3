/**
 * Just enough RFC 5322 / RFC 2047 header reading for the development outbox, so that listing the
 * outbox needs no mail parser at run time (mailparser is a development dependency only).
 */

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** The header block of a raw message: everything before the first empty line. */
export function headerBlock(raw: string): string {
  const match = /\r?\n\r?\n/.exec(raw);
  return match ? raw.slice(0, match.index) : raw;
}

/** Unfold and split a header block into lower-cased names and raw (still encoded) values. */
export function parseHeaderBlock(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const unfolded = block.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const values = headers.get(name);
    if (values) values.push(value);
    else headers.set(name, [value]);
  }
  return headers;
}

function decodeBytes(bytes: Buffer, charset: string): string {
  const label = charset.split('*')[0]!.toLowerCase(); // RFC 2231 language suffix: UTF-8*it
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const hex = text.slice(i + 1, i + 3);
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (ch === '_') {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(ch, 'latin1'));
    }
  }
  return Buffer.from(bytes);
}

/**
 * Decode RFC 2047 encoded words (`=?UTF-8?Q?Universit=C3=A0?=`). Whitespace between adjacent
 * encoded words is dropped, and their bytes are joined before decoding, so a character split
 * across two words still comes out whole.
 */
export function decodeMimeWords(value: string): string {
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | undefined;
  const flush = () => {
    if (pending) out += decodeBytes(Buffer.concat(pending.bytes), pending.charset);
    pending = undefined;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [whole, charset = '', encoding = '', text = ''] = match;
    const between = value.slice(last, match.index);
    // Only whitespace since the previous encoded word: it is not part of the text (RFC 2047 §6.2).
    const adjacent = pending !== undefined && /^\s*$/.test(between);
    const bytes = wordBytes(encoding, text);
    if (adjacent && pending!.charset.toLowerCase() === charset.toLowerCase()) {
      pending!.bytes.push(bytes);
    } else {
      flush();
      if (!adjacent) out += between;
      pending = { charset, bytes: [bytes] };
    }
    last = match.index + whole.length;
  }
  flush();
  return out + value.slice(last);
}
