import { formatDateTime } from './dates.js';
import type { Lang } from './i18n.js';

export interface HistoryEntry {
  /** What happened, already in the reader's language (e.g. the status reached). */
  label: string;
  at: Date;
  actor?: string | null;
  note?: string | null;
}

/** The dated history of a record (an application, a collaboration), oldest first. */
export function HistoryTimeline({ lang, entries }: { lang: Lang; entries: HistoryEntry[] }) {
  return (
    <ol class="ch-timeline mt-3">
      {entries.map((e) => (
        <li>
          <p class="mb-1">
            <strong>{e.label}</strong> — {formatDateTime(e.at, lang)}
            {e.actor ? ` · ${e.actor}` : ''}
          </p>
          {e.note ? <p class="mb-0 small">{e.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
