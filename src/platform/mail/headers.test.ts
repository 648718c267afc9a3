import { describe, expect, it } from 'vitest';
import { decodeMimeWords, headerBlock, parseHeaderBlock } from './headers.js';

describe('mail headers', () => {
  it('decodes RFC 2047 words, joining adjacent ones', () => {
    expect(decodeMimeWords('=?UTF-8?Q?Universit=C3=A0_degli_Studi?=')).toBe('Università degli Studi');
    expect(decodeMimeWords('=?UTF-8?B?VW5pdmVyc2l0w6A=?= di Milano')).toBe('Università di Milano');
    // A character split across two words, folded with whitespace between them.
    expect(decodeMimeWords('=?utf-8?Q?Universit=C3?=\r\n =?utf-8?Q?=A0?=')).toBe('Università');
    expect(decodeMimeWords('=?ISO-8859-1?Q?caf=E9?= <bar@example.org>')).toBe('café <bar@example.org>');
    expect(decodeMimeWords('plain text')).toBe('plain text');
  });

  it('splits and unfolds a header block', () => {
    const raw = 'Subject: first\r\n second\r\nTo: a@example.org\r\nX-A: 1\r\nX-A: 2\r\n\r\nBody: not a header\r\n';
    const headers = parseHeaderBlock(headerBlock(raw));
    expect(headers.get('subject')).toEqual(['first second']);
    expect(headers.get('x-a')).toEqual(['1', '2']);
    expect(headers.has('body')).toBe(false);
  });
});
