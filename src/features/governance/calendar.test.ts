import { describe, expect, it } from 'vitest';
import { addressOf, buildIcsFeed, meetingUid } from './calendar.js';

describe('board calendar', () => {
  it('builds a feed with one event per meeting, folded and escaped by the platform', () => {
    const feed = buildIcsFeed('Consiglio Direttivo; Cosmetica', [
      { uid: meetingUid('a', 'https://clusterhub.example.it'), start: new Date('2026-12-10T09:00:00Z'), end: new Date('2026-12-10T11:00:00Z'), summary: 'Riunione, prima', description: 'Ordine del giorno' },
      { uid: 'b@x', start: new Date('2026-12-11T09:00:00Z'), end: new Date('2026-12-11T10:00:00Z'), summary: 'Seconda', description: '', status: undefined } as never,
    ]);
    expect(feed.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(feed.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(feed.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(feed).toContain('UID:board-meeting-a@clusterhub.example.it');
    expect(feed).toContain('SUMMARY:Riunione\\, prima');
    expect(feed).toContain('X-WR-CALNAME:Consiglio Direttivo\\; Cosmetica');
    expect(feed).not.toContain('METHOD:REQUEST');
    for (const line of feed.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('reads the address of a sender', () => {
    expect(addressOf('Clusterhub <noreply@example.it>')).toBe('noreply@example.it');
    expect(addressOf('noreply@example.it')).toBe('noreply@example.it');
  });
});
