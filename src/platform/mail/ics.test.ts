import { describe, expect, it } from 'vitest';
import { buildIcs, escapeIcsText, foldIcsLine, formatIcsDate } from './ics.js';

function unfold(ics: string): string {
  return ics.replace(/\r\n[ \t]/g, '');
}

const base = {
  uid: 'meeting-42@clusterhub.example',
  start: new Date('2025-03-14T09:30:00+01:00'),
  end: new Date('2025-03-14T11:00:00+01:00'),
  summary: 'Assemblea dei soci',
  description: 'Ordine del giorno',
  stamp: new Date('2025-03-01T12:00:00.123Z'),
};

describe('ics', () => {
  it('formats instants in UTC', () => {
    expect(formatIcsDate(new Date('2025-03-14T09:30:05.999+01:00'))).toBe('20250314T083005Z');
    expect(() => formatIcsDate(new Date('nope'))).toThrow(RangeError);
  });

  it('escapes backslash, semicolon, comma and line breaks in text', () => {
    expect(escapeIcsText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeIcsText('tab\tok\u0007bell')).toBe('tab\tokbell');
  });

  it('folds lines at 75 octets without splitting UTF-8 sequences', () => {
    const ascii = `DESCRIPTION:${'x'.repeat(200)}`;
    const folded = foldIcsLine(ascii);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const [i, line] of lines.entries()) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      if (i > 0) expect(line.startsWith(' ')).toBe(true);
    }
    expect(Buffer.byteLength(lines[0]!)).toBe(75);
    expect(unfold(folded)).toBe(ascii);

    const accented = `SUMMARY:${'Università à è € 😀 '.repeat(12)}`;
    const foldedUtf8 = foldIcsLine(accented);
    for (const line of foldedUtf8.split('\r\n')) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      // Each physical line is valid UTF-8 on its own: no sequence was cut.
      expect(Buffer.from(Buffer.from(line).toString('utf8')).equals(Buffer.from(line))).toBe(true);
      expect(line).not.toContain('\uFFFD');
    }
    expect(unfold(foldedUtf8)).toBe(accented);
    expect(foldIcsLine('SHORT:line')).toBe('SHORT:line');
  });

  it('builds a REQUEST invitation with CRLF lines', () => {
    const ics = buildIcs({
      ...base,
      description: 'Punti: 1) bilancio; 2) nomine, varie\nSeconda riga',
      location: 'Sala A, Palazzo Lombardia; Milano',
      url: 'https://clusterhub.example/meetings/42?a=1,2',
      method: 'REQUEST',
      sequence: 2,
      organizer: { email: 'segreteria@cluster.example', name: 'Segreteria "CTL"' },
      attendees: [{ email: 'mario.rossi@example.it', name: 'Rossi, Mario' }],
    });
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const lines = unfold(ics).split('\r\n');
    expect(lines.slice(0, 5)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Cluster Tecnologici Lombardi//Clusterhub//IT',
      'CALSCALE:GREGORIAN',
      'METHOD:REQUEST',
    ]);
    expect(lines).toContain('UID:meeting-42@clusterhub.example');
    expect(lines).toContain('DTSTAMP:20250301T120000Z');
    expect(lines).toContain('DTSTART:20250314T083000Z');
    expect(lines).toContain('DTEND:20250314T100000Z');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines).toContain('DESCRIPTION:Punti: 1) bilancio\\; 2) nomine\\, varie\\nSeconda riga');
    expect(lines).toContain('LOCATION:Sala A\\, Palazzo Lombardia\\; Milano');
    expect(lines).toContain('URL:https://clusterhub.example/meetings/42?a=1,2');
    expect(lines).toContain('ORGANIZER;CN="Segreteria CTL":mailto:segreteria@cluster.example');
    expect(lines).toContain(
      'ATTENDEE;CN="Rossi, Mario";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:mario.rossi@example.it',
    );
    expect(lines).toContain('STATUS:CONFIRMED');
  });

  it('marks a cancellation and omits METHOD for a plain event', () => {
    const cancel = unfold(buildIcs({ ...base, method: 'CANCEL', sequence: 3 })).split('\r\n');
    expect(cancel).toContain('METHOD:CANCEL');
    expect(cancel).toContain('STATUS:CANCELLED');
    const plain = unfold(buildIcs(base)).split('\r\n');
    expect(plain.some((l) => l.startsWith('METHOD:'))).toBe(false);
    expect(plain).toContain('SEQUENCE:0');
    expect(plain.some((l) => l.startsWith('LOCATION') || l.startsWith('URL') || l.startsWith('ORGANIZER'))).toBe(false);
  });

  it('refuses inconsistent events', () => {
    expect(() => buildIcs({ ...base, end: base.start })).toThrow(RangeError);
    expect(() => buildIcs({ ...base, sequence: -1 })).toThrow(RangeError);
    expect(() => buildIcs({ ...base, uid: ' ' })).toThrow(TypeError);
    expect(() => buildIcs({ ...base, url: 'javascript:alert(1)' })).toThrow(TypeError);
    expect(() => buildIcs({ ...base, organizer: { email: 'x@y.z\r\nATTENDEE:mailto:a@b.c' } })).toThrow(TypeError);
  });
});
