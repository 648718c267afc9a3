/**
 * iCalendar (RFC 5545) events for mail invitations, e.g. the convocation of a cluster body.
 * Attach the result with content type `text/calendar; method=<METHOD>; charset=UTF-8` and a
 * `.ics` file name.
 */

export interface IcsPerson {
  email: string;
  name?: string;
}

export interface IcsEvent {
  /** Globally unique and stable across updates and the cancellation, e.g. `meeting-42@clusterhub.example`. */
  uid: string;
  start: Date;
  /** Must be after `start`. */
  end: Date;
  summary: string;
  description: string;
  location?: string;
  /** Absolute http(s) URL of the event page. */
  url?: string;
  /** iTIP method (RFC 5546); without it the file is a plain event, not an invitation. */
  method?: 'REQUEST' | 'CANCEL';
  /** Revision number: raise it on each update and on the cancellation. Defaults to 0. */
  sequence?: number;
  /** iTIP wants an organizer on REQUEST and CANCEL; most clients show it as the sender. */
  organizer?: IcsPerson;
  attendees?: IcsPerson[];
  /** DTSTAMP, when the object was created; defaults to now. */
  stamp?: Date;
}

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;

/** UTC date-time form: `20250314T092653Z`. */
export function formatIcsDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date in calendar event');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks; other controls are dropped. */
export function escapeIcsText(value: string): string {
  return value
    .replace(/[\\;,]/g, (ch) => `\\${ch}`)
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\x00-\x08\x0A-\x1F\x7F]/g, '');
}

/**
 * Fold a content line (RFC 5545 §3.1): no line longer than 75 octets without its CRLF, a
 * continuation starting with one space, and never inside a UTF-8 sequence.
 */
export function foldIcsLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = MAX_LINE_OCTETS - 1; // the leading space counts
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** A parameter value, always quoted; a quoted string cannot hold DQUOTE or controls (§3.1). */
function paramValue(value: string): string {
  return `"${value.replace(/["\x00-\x08\x0A-\x1F\x7F]/g, '')}"`;
}

function calAddress(person: IcsPerson, what: string): string {
  if (!/^[^\s@"<>;:,\\]+@[^\s@"<>;:,\\]+$/.test(person.email)) {
    throw new TypeError(`Invalid e-mail address for the ${what} of a calendar event: ${person.email}`);
  }
  return `mailto:${person.email}`;
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Calendar event URL must be absolute: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`Calendar event URL must use http or https: ${url}`);
  }
  if (/[\s\x00-\x1F\x7F"]/.test(url)) throw new TypeError('Calendar event URL must not contain spaces or controls');
  return url;
}

export function buildIcs(event: IcsEvent): string {
  const { uid, start, end, summary, description, location, url, method, organizer, attendees = [] } = event;
  const sequence = event.sequence ?? 0;
  if (uid.trim() === '') throw new TypeError('Calendar event UID is required');
  if (!Number.isInteger(sequence) || sequence < 0) {
    throw new RangeError('Calendar event SEQUENCE must be a non-negative integer');
  }
  const dtStart = formatIcsDate(start);
  const dtEnd = formatIcsDate(end);
  if (end.getTime() <= start.getTime()) throw new RangeError('Calendar event must end after it starts');

  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Cluster Tecnologici Lombardi//Clusterhub//IT',
    'CALSCALE:GREGORIAN',
  ];
  if (method) lines.push(`METHOD:${method}`);
  lines.push(
    'BEGIN:VEVENT',
    `UID:${escapeIcsText(uid)}`,
    `DTSTAMP:${formatIcsDate(event.stamp ?? new Date())}`,
    `DTSTART:${dtStart}`,
    `DTEND:${dtEnd}`,
    `SEQUENCE:${sequence}`,
    `SUMMARY:${escapeIcsText(summary)}`,
    `DESCRIPTION:${escapeIcsText(description)}`,
  );
  if (location) lines.push(`LOCATION:${escapeIcsText(location)}`);
  if (url) lines.push(`URL:${checkUrl(url)}`);
  if (organizer) {
    const cn = organizer.name ? `;CN=${paramValue(organizer.name)}` : '';
    lines.push(`ORGANIZER${cn}:${calAddress(organizer, 'organizer')}`);
  }
  for (const attendee of attendees) {
    const cn = attendee.name ? `;CN=${paramValue(attendee.name)}` : '';
    const params = `${cn};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE`;
    lines.push(`ATTENDEE${params}:${calAddress(attendee, 'attendee')}`);
  }
  lines.push(`STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`, 'TRANSP:OPAQUE');
  lines.push('END:VEVENT', 'END:VCALENDAR');
  return lines.map(foldIcsLine).join(CRLF) + CRLF;
}
