import { defineMessages } from '../../platform/i18n.js';

export const au = defineMessages(
  {
    title: 'Registro delle attività',
    clusterTitle: 'Registro delle attività – {cluster}',
    regionTitle: 'Registro delle attività della piattaforma',
    clusterLead:
      'Le modifiche che riguardano il cluster e le organizzazioni che vi hanno aderito o presentato domanda, dalla più recente. Chi, che cosa, quando, com’era prima e com’è dopo.',
    regionLead: 'Tutte le modifiche registrate sulla piattaforma, dalla più recente. Chi, che cosa, quando, com’era prima e com’è dopo.',
    filters: 'Filtri',
    actionPrefix: 'Azione',
    actionPrefixHint: 'Inizio del codice dell’azione, ad esempio «membership.» oppure «organisation.updated».',
    entityType: 'Tipo di oggetto',
    allEntityTypes: 'Tutti',
    from: 'Dal giorno',
    to: 'Al giorno',
    apply: 'Applica i filtri',
    reset: 'Azzera i filtri',
    when: 'Quando',
    who: 'Chi',
    action: 'Azione',
    entity: 'Oggetto',
    changes: 'Modifiche',
    cluster: 'Cluster',
    empty: 'Nessuna attività corrisponde ai filtri.',
    noChanges: 'Nessun dettaglio registrato.',
    absent: '(assente)',
    becomes: 'diventa',
    older: 'Attività meno recenti',
    newest: 'Torna alle più recenti',
    pagination: 'Pagine del registro',
    requestId: 'Richiesta {id}',
    'actor.system': 'Sistema',
    'actor.anonymous': 'Anonimo',
    'actor.deleted-account': 'Account eliminato',
    'actor.cli': 'Riga di comando (server)',
    'entityType.person': 'Persona',
    'entityType.organisation': 'Organizzazione',
    'entityType.membership': 'Adesione',
    'entityType.member_class': 'Classe di adesione',
    'entityType.cluster': 'Cluster',
    outboxTitle: 'Posta in uscita (sviluppo)',
    outboxLead:
      'Senza un server SMTP configurato (SMTP_URL) la piattaforma non spedisce le e-mail: le scrive come file .eml nella cartella «outbox» della directory dei dati. Qui puoi leggerle.',
    outboxSmtp:
      'Le e-mail vengono spedite tramite il server SMTP configurato (SMTP_URL): la posta in uscita di sviluppo non è in uso.',
    outboxEmpty: 'La posta in uscita è vuota.',
    outboxShown: 'Sono mostrate le {count} e-mail più recenti.',
    date: 'Data',
    recipient: 'Destinatario',
    subject: 'Oggetto',
    noSubject: '(senza oggetto)',
    raw: 'Messaggio completo (formato .eml)',
    rawHint: 'Il testo è mostrato così come viene spedito: alcune parti possono essere codificate (quoted-printable o base64).',
    backToOutbox: 'Torna alla posta in uscita',
    file: 'File',
  },
  {
    title: 'Audit log',
    clusterTitle: 'Audit log – {cluster}',
    regionTitle: 'Platform audit log',
    clusterLead:
      'Changes concerning the cluster and the organisations that joined it or applied to it, newest first. Who, what, when, what it was before and what it is after.',
    regionLead: 'Every change recorded on the platform, newest first. Who, what, when, what it was before and what it is after.',
    filters: 'Filters',
    actionPrefix: 'Action',
    actionPrefixHint: 'Start of the action code, for example “membership.” or “organisation.updated”.',
    entityType: 'Object type',
    allEntityTypes: 'All',
    from: 'From',
    to: 'To',
    apply: 'Apply the filters',
    reset: 'Clear the filters',
    when: 'When',
    who: 'Who',
    action: 'Action',
    entity: 'Object',
    changes: 'Changes',
    cluster: 'Cluster',
    empty: 'No activity matches the filters.',
    noChanges: 'No details recorded.',
    absent: '(none)',
    becomes: 'becomes',
    older: 'Older activity',
    newest: 'Back to the newest',
    pagination: 'Audit log pages',
    requestId: 'Request {id}',
    'actor.system': 'System',
    'actor.anonymous': 'Anonymous',
    'actor.deleted-account': 'Deleted account',
    'actor.cli': 'Command line (server)',
    'entityType.person': 'Person',
    'entityType.organisation': 'Organisation',
    'entityType.membership': 'Membership',
    'entityType.member_class': 'Membership class',
    'entityType.cluster': 'Cluster',
    outboxTitle: 'Outbox (development)',
    outboxLead:
      'Without an SMTP server configured (SMTP_URL) the platform does not send e-mails: it writes them as .eml files in the “outbox” folder of the data directory. You can read them here.',
    outboxSmtp: 'E-mails are sent through the configured SMTP server (SMTP_URL): the development outbox is not in use.',
    outboxEmpty: 'The outbox is empty.',
    outboxShown: 'The {count} most recent e-mails are shown.',
    date: 'Date',
    recipient: 'Recipient',
    subject: 'Subject',
    noSubject: '(no subject)',
    raw: 'Whole message (.eml format)',
    rawHint: 'The text is shown as it is sent: some parts may be encoded (quoted-printable or base64).',
    backToOutbox: 'Back to the outbox',
    file: 'File',
  },
);

export type AuditMessageKey = Parameters<typeof au>[1];

const KNOWN_ACTORS = new Set(['system', 'anonymous', 'deleted-account', 'cli']);
const KNOWN_ENTITY_TYPES = new Set(['person', 'organisation', 'membership', 'member_class', 'cluster']);

/** The actor as readers see it: platform labels translated, e-mail addresses as recorded. */
export function actorLabel(lang: 'it' | 'en', label: string | null): string {
  if (label === null) return '—';
  return KNOWN_ACTORS.has(label) ? au(lang, `actor.${label}` as AuditMessageKey) : label;
}

/** A known entity type in the reader's language; any other as recorded. */
export function entityTypeLabel(lang: 'it' | 'en', type: string): string {
  return KNOWN_ENTITY_TYPES.has(type) ? au(lang, `entityType.${type}` as AuditMessageKey) : type;
}
