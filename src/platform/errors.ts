import type { Lang } from './i18n.js';

/**
 * The error catalogue: every error the platform returns has a stable machine-readable code,
 * an HTTP status and a message in Italian and English. Messages may hold {placeholders}.
 */
export const ERRORS = {
  'request.invalid': {
    status: 400,
    it: 'La richiesta contiene valori non validi.',
    en: 'The request contains invalid values.',
  },
  'request.malformed': {
    status: 400,
    it: 'La richiesta non è leggibile (ad esempio un JSON non valido).',
    en: 'The request cannot be read (for example, invalid JSON).',
  },
  'request.too_large': {
    status: 413,
    it: 'La richiesta è troppo grande.',
    en: 'The request is too large.',
  },
  'request.unsupported_media_type': {
    status: 415,
    it: 'Formato del contenuto non supportato.',
    en: 'Unsupported content type.',
  },
  'route.not_found': {
    status: 404,
    it: 'Risorsa non trovata: {method} {url}',
    en: 'Resource not found: {method} {url}',
  },
  'route.method_not_allowed': {
    status: 405,
    it: 'Metodo non consentito.',
    en: 'Method not allowed.',
  },
  'cluster.not_found': {
    status: 404,
    it: 'Nessun cluster con identificativo «{slug}».',
    en: 'No cluster with identifier “{slug}”.',
  },
  'auth.required': {
    status: 401,
    it: 'Per continuare devi accedere.',
    en: 'You need to sign in to continue.',
  },
  'auth.forbidden': {
    status: 403,
    it: 'Non hai i permessi per questa operazione.',
    en: 'You are not allowed to do this.',
  },
  'organisation.not_found': {
    status: 404,
    it: 'Organizzazione non trovata.',
    en: 'Organisation not found.',
  },
  'auth.rate_limited': {
    status: 429,
    it: 'Troppi tentativi di accesso non riusciti. Riprova tra {minutes} minuti.',
    en: 'Too many failed sign-in attempts. Try again in {minutes} minutes.',
  },
  'auth.invalid_credentials': {
    status: 401,
    it: 'E-mail o password non corretti.',
    en: 'Wrong e-mail or password.',
  },
  'auth.email_not_verified': {
    status: 403,
    it: 'Devi prima confermare il tuo indirizzo e-mail: ti abbiamo inviato un nuovo messaggio.',
    en: 'Please confirm your e-mail address first: we have sent you a new message.',
  },
  'auth.token_invalid': {
    status: 400,
    it: 'Il collegamento non è valido o è già stato usato.',
    en: 'The link is not valid or has already been used.',
  },
  'auth.token_expired': {
    status: 400,
    it: 'Il collegamento è scaduto: richiedine uno nuovo.',
    en: 'The link has expired: please ask for a new one.',
  },
  'auth.oidc_failed': {
    status: 400,
    it: 'L’accesso con il fornitore di identità non è riuscito.',
    en: 'Sign-in with the identity provider failed.',
  },
  'auth.oidc_email_required': {
    status: 403,
    it: 'Il fornitore di identità non ha comunicato un indirizzo e-mail verificato: senza un indirizzo verificato non è possibile accedere. Accedi con e-mail e password oppure registrati.',
    en: 'The identity provider did not supply a verified e-mail address: without one you cannot sign in. Sign in with e-mail and password, or register.',
  },
  'auth.oidc_disabled': {
    status: 404,
    it: 'L’accesso con SPID/CIE non è configurato su questa installazione.',
    en: 'SPID/CIE sign-in is not configured on this installation.',
  },
  'csrf.invalid': {
    status: 403,
    it: 'Il modulo è scaduto o non proviene da questo sito. Ricarica la pagina e riprova.',
    en: 'The form has expired or does not come from this site. Reload the page and try again.',
  },
  'person.email_taken': {
    status: 409,
    it: 'Esiste già un account con questo indirizzo e-mail.',
    en: 'An account with this e-mail address already exists.',
  },
  'membership.not_found': {
    status: 404,
    it: 'Adesione non trovata.',
    en: 'Membership not found.',
  },
  'membership.transition_forbidden': {
    status: 409,
    it: 'Operazione non consentita: un’adesione nello stato «{from}» non può essere portata a «{action}».',
    en: 'Not allowed: a membership in status “{from}” cannot be moved by “{action}”.',
  },
  'membership.not_verified': {
    status: 409,
    it: 'Il richiedente non ha ancora confermato il proprio indirizzo e-mail: la domanda non può essere decisa.',
    en: 'The applicant has not confirmed their e-mail address yet: the application cannot be decided.',
  },
  'membership.already_open': {
    status: 409,
    it: 'Questa organizzazione ha già una domanda aperta o è già socia di questo cluster.',
    en: 'This organisation already has an open application or is already a member of this cluster.',
  },
  'membership.decision_by_board': {
    status: 409,
    it: 'In questo cluster le ammissioni sono decise dal Consiglio Direttivo.',
    en: 'In this cluster admissions are decided by the board.',
  },
  'governance.not_found': {
    status: 404,
    it: 'Elemento del Consiglio Direttivo non trovato.',
    en: 'Board item not found.',
  },
  'governance.no_rules': {
    status: 409,
    it: 'Nessuna regola statutaria è in vigore alla data della riunione ({date}): registra prima le regole di quorum e maggioranza.',
    en: 'No statute rules are in force on the date of the meeting ({date}): record the quorum and majority rules first.',
  },
  'governance.no_quorum': {
    status: 409,
    it: 'Quorum non raggiunto: posti con diritto di voto presenti o rappresentati {present}, ne servono {required}. Nulla è stato registrato.',
    en: 'No quorum: voting seats present or represented {present}, {required} needed. Nothing was recorded.',
  },
  'governance.voting_not_open': {
    status: 409,
    it: 'La votazione su questa mozione non è aperta.',
    en: 'Voting on this motion is not open.',
  },
  'governance.voting_closed': {
    status: 409,
    it: 'La votazione su questa mozione è chiusa: il voto non è stato registrato.',
    en: 'Voting on this motion is closed: the vote was not recorded.',
  },
  'governance.already_voted': {
    status: 409,
    it: 'Per questo posto è già stato espresso un voto su questa mozione: ogni posto vota una sola volta.',
    en: 'A vote has already been cast for this seat on this motion: each seat votes once.',
  },
  'governance.seat_not_voting': {
    status: 409,
    it: 'Questo posto del Consiglio non ha diritto di voto.',
    en: 'This board seat has no voting rights.',
  },
  'governance.holder_suspended': {
    status: 409,
    it: 'L’adesione dell’organizzazione rappresentata è sospesa: il suo consigliere non può votare.',
    en: 'The membership of the organisation represented is suspended: its board member cannot vote.',
  },
  'governance.not_a_holder': {
    status: 403,
    it: 'Non sei titolare di un posto con diritto di voto in questa riunione, né ne porti la delega.',
    en: 'You do not hold a voting seat at this meeting, nor carry a proxy for one.',
  },
  'governance.absent': {
    status: 409,
    it: 'Il titolare di questo posto risulta assente o ha delegato: non può votare.',
    en: 'The holder of this seat is recorded as absent or has given a proxy: they cannot vote.',
  },
  'governance.convocation_in_past': {
    status: 400,
    it: 'La riunione non può essere convocata nel passato.',
    en: 'A meeting cannot be convened in the past.',
  },
  'governance.terms_overlap': {
    status: 409,
    it: 'Il mandato si sovrappone a quello di un altro titolare dello stesso posto.',
    en: 'The term overlaps with that of another holder of the same seat.',
  },
  'governance.person_has_seat': {
    status: 409,
    it: 'Questa persona occupa già un posto del Consiglio in quel periodo: una persona, un posto.',
    en: 'This person already holds a board seat in that period: one seat per person.',
  },
  'governance.constituency_full': {
    status: 409,
    it: 'Il collegio «{constituency}» ha già il numero massimo di posti ({max}).',
    en: 'The constituency “{constituency}” already has its maximum number of seats ({max}).',
  },
  'governance.holder_not_member': {
    status: 409,
    it: 'L’organizzazione del titolare deve essere socia ammessa del cluster o il suo coordinatore.',
    en: 'The holder’s organisation must be an admitted member of the cluster or its coordinator.',
  },
  'governance.person_unknown': {
    status: 404,
    it: 'Nessun account con questo indirizzo e-mail: la persona deve prima registrarsi.',
    en: 'No account with this e-mail address: the person must register first.',
  },
  'governance.meeting_closed': {
    status: 409,
    it: 'La riunione è chiusa o annullata: non si possono aggiungere o modificare punti, mozioni, presenze o documenti.',
    en: 'The meeting is closed or cancelled: items, motions, attendance and documents can no longer be added or changed.',
  },
  'governance.motions_open': {
    status: 409,
    it: 'Ci sono ancora mozioni in votazione: chiudile o ritirale prima di chiudere la riunione.',
    en: 'Some motions are still being voted on: close or withdraw them before closing the meeting.',
  },
  'governance.motion_state': {
    status: 409,
    it: 'Operazione non consentita su una mozione nello stato «{status}».',
    en: 'Not allowed on a motion in status “{status}”.',
  },
  'governance.admission_not_pending': {
    status: 409,
    it: 'Una mozione di ammissione può riguardare solo domande di adesione a questo cluster in attesa di decisione, con indirizzo confermato.',
    en: 'An admission motion may only concern confirmed applications to this cluster that await a decision.',
  },
  'governance.document_too_large': {
    status: 413,
    it: 'Il documento supera la dimensione massima di {max} MB: nulla è stato salvato.',
    en: 'The document is larger than the {max} MB limit: nothing was saved.',
  },
  'governance.document_not_pdf': {
    status: 415,
    it: 'Il documento non è un PDF (il contenuto è stato verificato): nulla è stato salvato.',
    en: 'The document is not a PDF (its content was checked): nothing was saved.',
  },
  'governance.minutes_approved': {
    status: 409,
    it: 'Il verbale è approvato e non può più essere modificato: per una correzione crea una rettifica.',
    en: 'The minutes are approved and can no longer be changed: to correct them, create an amendment.',
  },
  'governance.proxy_not_allowed': {
    status: 409,
    it: 'Lo statuto in vigore non ammette deleghe.',
    en: 'The statute in force does not allow proxies.',
  },
  'governance.proxy_limit': {
    status: 409,
    it: 'Il delegato porta già il numero massimo di deleghe ammesse ({max}).',
    en: 'The proxy holder already carries the maximum number of proxies allowed ({max}).',
  },
  'governance.proxy_invalid': {
    status: 409,
    it: 'La delega deve andare al titolare di un altro posto presente alla riunione.',
    en: 'A proxy must go to the holder of another seat present at the meeting.',
  },
  'governance.rules_retroactive': {
    status: 409,
    it: 'Una nuova versione delle regole deve valere da dopo l’ultima riunione con decisioni ({date}): le decisioni già prese restano valutate con le regole di allora.',
    en: 'A new version of the rules must apply from after the last meeting with decisions ({date}): decisions already taken stay evaluated with the rules of their time.',
  },
  'governance.rules_exist': {
    status: 409,
    it: 'Esiste già una versione delle regole in vigore dal {date}.',
    en: 'A version of the rules in force from {date} already exists.',
  },
  'governance.document_corrupt': {
    status: 500,
    it: 'Il documento archiviato non corrisponde a quello caricato (la sua impronta SHA-256 è diversa) e non viene scaricato. Il problema è stato registrato: avvisa il gestore del cluster.',
    en: 'The stored document does not match the one uploaded (its SHA-256 fingerprint differs) and is not downloaded. The problem has been logged: please tell the cluster manager.',
  },
  'governance.calendar_token_invalid': {
    status: 404,
    it: 'Il collegamento al calendario non è valido o è stato revocato.',
    en: 'The calendar link is not valid or has been revoked.',
  },
  'competence.area_not_found': {
    status: 404,
    it: 'Nessuna area di competenza con codice «{code}».',
    en: 'No competence area with code “{code}”.',
  },
  'competence.not_found': {
    status: 404,
    it: 'Competenza non trovata.',
    en: 'Competence not found.',
  },
  'facility.not_found': {
    status: 404,
    it: 'Struttura non trovata.',
    en: 'Facility not found.',
  },
  'expertise.not_found': {
    status: 404,
    it: 'Nessun profilo di competenze per questa persona.',
    en: 'No expertise profile for this person.',
  },
  'offer.not_found': {
    status: 404,
    it: 'Offerta tecnologica non trovata.',
    en: 'Technology offer not found.',
  },
  'need.not_found': {
    status: 404,
    it: 'Fabbisogno tecnologico non trovato.',
    en: 'Technology need not found.',
  },
  'item.transition_forbidden': {
    status: 409,
    it: 'Operazione non consentita: un elemento nello stato «{from}» non può essere portato a «{action}».',
    en: 'Not allowed: an item in status “{from}” cannot be moved by “{action}”.',
  },
  'item.inactive': {
    status: 409,
    it: 'L’elemento non è attivo (bozza, archiviato o scaduto il {expiresOn}): pubblicalo o rinnovalo prima.',
    en: 'The item is not active (draft, archived or expired on {expiresOn}): publish or renew it first.',
  },
  'match.text_empty': {
    status: 400,
    it: 'Scrivi il testo del fabbisogno: almeno qualche parola che descriva la tecnologia cercata.',
    en: 'Write the text of the need: at least a few words describing the technology you look for.',
  },
  'match.text_too_long': {
    status: 400,
    it: 'Il testo è troppo lungo ({length} caratteri): al massimo {max}. Riassumi il fabbisogno.',
    en: 'The text is too long ({length} characters): at most {max}. Summarise the need.',
  },
  'match.lang_unknown': {
    status: 400,
    it: 'Lingua «{lang}» non supportata: usa «it» o «en», oppure ometti il campo per rilevarla.',
    en: 'Language “{lang}” is not supported: use “it” or “en”, or leave it out to detect it.',
  },
  'interest.not_found': {
    status: 404,
    it: 'Manifestazione di interesse non trovata.',
    en: 'Expression of interest not found.',
  },
  'interest.already_sent': {
    status: 409,
    it: 'La tua organizzazione ha già manifestato interesse per questo elemento.',
    en: 'Your organisation has already expressed interest in this item.',
  },
  'interest.own_item': {
    status: 409,
    it: 'Non puoi manifestare interesse per un elemento della tua stessa organizzazione.',
    en: 'You cannot express interest in an item of your own organisation.',
  },
  'interest.already_decided': {
    status: 409,
    it: 'Questa manifestazione di interesse è già stata {status}.',
    en: 'This expression of interest has already been {status}.',
  },
  'collaboration.not_found': {
    status: 404,
    it: 'Collaborazione non trovata.',
    en: 'Collaboration not found.',
  },
  'collaboration.transition_forbidden': {
    status: 409,
    it: 'Una collaborazione nello stato «{from}» non può passare a «{to}».',
    en: 'A collaboration in status “{from}” cannot move to “{to}”.',
  },
  'internal': {
    status: 500,
    it: 'Errore interno del servizio.',
    en: 'Internal service error.',
  },
  'mail.unavailable': {
    status: 503,
    it: 'Non è stato possibile spedire l’e-mail adesso: il server di posta non risponde. Riprova tra qualche minuto.',
    en: 'The e-mail could not be sent now: the mail server is not answering. Please try again in a few minutes.',
  },
  'auth.verification_mail_unavailable': {
    status: 503,
    it: 'Il tuo account è stato creato, ma non è stato possibile spedire l’e-mail di verifica: il server di posta non risponde. Tra qualche minuto accedi con e-mail e password e te la rispediremo.',
    en: 'Your account has been created, but the verification e-mail could not be sent: the mail server is not answering. In a few minutes, sign in with your e-mail and password and we will send it again.',
  },
  'service.unavailable': {
    status: 503,
    it: 'Servizio momentaneamente non disponibile.',
    en: 'Service temporarily unavailable.',
  },
} as const satisfies Record<string, { status: number; it: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface FieldError {
  /** Where the field is: `query`, `body`, `params` or `headers`. */
  in: string;
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly fields: FieldError[] = [],
  ) {
    super(code);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
  }
}

export function errorMessage(code: ErrorCode, lang: Lang, params: Record<string, string | number> = {}): string {
  return ERRORS[code][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** One validation failure as reported by Ajv (the subset we read). */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string | undefined;
}

const LIST = { it: ' oppure ', en: ' or ' } as const;

/** Turn an Ajv issue into a field name and a sentence in the reader's language. */
export function describeValidationIssue(issue: ValidationIssue, lang: Lang): { field: string; message: string } {
  const p = issue.params;
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const field =
    issue.keyword === 'required'
      ? [path, String(p.missingProperty)].filter(Boolean).join('.')
      : issue.keyword === 'additionalProperties'
        ? [path, String(p.additionalProperty)].filter(Boolean).join('.')
        : path || '(root)';
  const it = lang === 'it';
  let message: string;
  switch (issue.keyword) {
    case 'required':
      message = it ? 'è obbligatorio' : 'is required';
      break;
    case 'additionalProperties':
      message = it ? 'non è un campo previsto' : 'is not an expected field';
      break;
    case 'type':
      message = it ? `deve essere di tipo ${typeName(String(p.type), lang)}` : `must be ${typeName(String(p.type), lang)}`;
      break;
    case 'minimum':
    case 'exclusiveMinimum':
      message = it ? `deve essere almeno ${String(p.limit)}` : `must be at least ${String(p.limit)}`;
      break;
    case 'maximum':
    case 'exclusiveMaximum':
      message = it ? `deve essere al massimo ${String(p.limit)}` : `must be at most ${String(p.limit)}`;
      break;
    case 'minLength':
      message = it ? `deve avere almeno ${String(p.limit)} caratteri` : `must have at least ${String(p.limit)} characters`;
      break;
    case 'maxLength':
      message = it ? `può avere al massimo ${String(p.limit)} caratteri` : `may have at most ${String(p.limit)} characters`;
      break;
    case 'enum': {
      const allowed = (p.allowedValues as unknown[] | undefined)?.map(String).join(LIST[lang]) ?? '';
      message = it ? `deve essere uno tra: ${allowed}` : `must be one of: ${allowed}`;
      break;
    }
    case 'const':
      message = it ? `deve valere ${String(p.allowedValue)}` : `must equal ${String(p.allowedValue)}`;
      break;
    case 'pattern':
    case 'format':
      message = it ? 'non ha il formato previsto' : 'does not have the expected format';
      break;
    case 'anyOf':
    case 'oneOf':
      message = it ? 'non corrisponde a nessuna delle forme ammesse' : 'matches none of the allowed forms';
      break;
    default:
      message = it ? 'non è valido' : 'is not valid';
  }
  return { field, message };
}

function typeName(type: string, lang: Lang): string {
  const names: Record<string, [string, string]> = {
    integer: ['numero intero', 'an integer'],
    number: ['numero', 'a number'],
    string: ['testo', 'a string'],
    boolean: ['vero/falso', 'true or false'],
    array: ['elenco', 'a list'],
    object: ['oggetto', 'an object'],
    null: ['nullo', 'null'],
  };
  const entry = names[type];
  return entry ? entry[lang === 'it' ? 0 : 1] : type;
}
