import { buildIcs, type IcsEvent } from '../../platform/mail/ics.js';

const CRLF = '\r\n';

/** The e-mail address inside a sender such as `Clusterhub <noreply@example.it>`. */
export function addressOf(sender: string): string {
  return /<([^>]+)>/.exec(sender)?.[1] ?? sender.trim();
}

/** The stable UID of a meeting across its updates and its cancellation. */
export function meetingUid(meetingId: string, baseUrl: string): string {
  return `board-meeting-${meetingId}@${new URL(baseUrl).hostname}`;
}

/**
 * A calendar feed (a VCALENDAR with many events) for subscription in a calendar app. Each event is
 * built by buildIcs, so escaping and line folding are the platform's.
 */
export function buildIcsFeed(name: string, events: IcsEvent[]): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Cluster Tecnologici Lombardi//Clusterhub//IT',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${name.replace(/[\\;,]/g, (ch) => `\\${ch}`).replace(/[\r\n]/g, ' ')}`,
    'X-PUBLISHED-TTL:PT1H',
  ];
  for (const event of events) {
    const ics = buildIcs({ ...event, method: undefined });
    const start = ics.indexOf(`BEGIN:VEVENT${CRLF}`);
    const end = ics.indexOf(`END:VEVENT${CRLF}`);
    lines.push(ics.slice(start, end + 'END:VEVENT'.length));
  }
  lines.push('END:VCALENDAR');
  return lines.join(CRLF) + CRLF;
}
