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
  'internal': {
    status: 500,
    it: 'Errore interno del servizio.',
    en: 'Internal service error.',
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
