/** Interface languages: Italian first, English too. */
export const LANGS = ['it', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'it';

export function isLang(value: unknown): value is Lang {
  return value === 'it' || value === 'en';
}

const it = {
  'site.name': 'Clusterhub',
  'site.tagline': 'La piattaforma dei Cluster Tecnologici Lombardi',
  'site.owner': 'Rete dei Cluster Tecnologici Lombardi',
  'nav.main': 'Menu principale',
  'nav.home': 'Home',
  'nav.clusters': 'Cluster',
  'nav.api': 'API',
  'nav.organisations': 'Organizzazioni',
  'nav.matching': 'Abbinamenti',
  'nav.search': 'Cerca',
  'nav.login': 'Accedi',
  'nav.logout': 'Esci',
  'nav.profile': 'Il mio profilo',
  'nav.manage': 'Gestione',
  'nav.skipToContent': 'Vai al contenuto principale',
  'nav.skipToFooter': 'Vai al piè di pagina',
  'nav.breadcrumb': 'Percorso di navigazione',
  'lang.label': 'Lingua',
  'lang.switchTo': 'Passa alla versione in inglese',
  'lang.current': 'Italiano',
  'footer.about': 'Clusterhub è la piattaforma aperta della rete dei Cluster Tecnologici Lombardi (CTL).',
  'footer.links': 'Collegamenti utili',
  'footer.accessibility': 'Dichiarazione di accessibilità',
  'footer.privacy': 'Informativa sulla privacy',
  'footer.api': 'Documentazione API',
  'footer.opensource': 'Software libero con licenza EUPL 1.2',
  'home.title': 'I Cluster Tecnologici Lombardi',
  'home.lead':
    'I Cluster Tecnologici Lombardi sono aggregazioni aperte di imprese, università, centri di ricerca e altri soggetti pubblici e privati, riconosciute da Regione Lombardia. Ciascun cluster è dedicato a un ambito tecnologico della Strategia di specializzazione intelligente (S3) e favorisce ricerca, innovazione e trasferimento tecnologico, soprattutto verso le PMI.',
  'home.whatTitle': 'Cosa fanno i cluster',
  'home.what1': 'Mappano le competenze di imprese, laboratori e università.',
  'home.what2': 'Mettono in contatto i bisogni delle imprese con il know-how della ricerca.',
  'home.what3': 'Costruiscono partenariati per bandi europei, nazionali e regionali.',
  'home.what4': 'Collegano scuole, ITS Academy e università con l’industria.',
  'home.clustersTitle': 'I dieci cluster della rete',
  'home.clustersCount': '{count} cluster',
  'cluster.area': 'Ambito tecnologico',
  'cluster.number': 'Cluster n. {number}',
  'cluster.managingBody': 'Soggetto gestore',
  'cluster.legalForm': 'Forma giuridica',
  'cluster.website': 'Sito web',
  'cluster.websiteNone': 'Non disponibile',
  'cluster.territory': 'Territorio',
  'cluster.status': 'Stato',
  'cluster.statusSince': 'dal {date}',
  'cluster.recognition': 'Percorso di riconoscimento',
  'cluster.recognitionAct': 'Atto',
  'cluster.coordinator': 'Coordinatore',
  'cluster.founders': 'Soci fondatori',
  'cluster.partners': 'Partner',
  'cluster.noOrganisations': 'Nessun soggetto registrato per ora.',
  'cluster.details': 'Scheda del cluster',
  'cluster.apply': 'Candida la tua organizzazione',
  'cluster.members': 'Elenco dei soci',
  'cluster.board': 'Consiglio Direttivo',
  'cluster.open': 'Vai alla scheda di {name}',
  'cluster.organisations': 'Soggetti',
  'step.costituito': 'Costituito',
  'step.presa_d_atto': 'Presa d’atto della Giunta regionale',
  'step.riconosciuto': 'Riconosciuto',
  'step.operativo': 'Operativo',
  'step.sospeso': 'Sospeso',
  'step.revocato': 'Revocato',
  'legalForm.recognised_association': 'Associazione riconosciuta',
  'legalForm.association': 'Associazione',
  'legalForm.foundation': 'Fondazione',
  'orgType.company': 'Impresa',
  'orgType.university': 'Università',
  'orgType.research_centre': 'Centro di ricerca',
  'orgType.its_academy': 'ITS Academy',
  'orgType.school': 'Scuola',
  'orgType.public_body': 'Ente pubblico',
  'orgType.chamber_of_commerce': 'Camera di commercio',
  'orgType.association': 'Associazione',
  'orgType.spin_off': 'Spin-off / start-up',
  'orgType.other': 'Altro',
  'error.title': 'Errore',
  'error.notFoundTitle': 'Pagina non trovata',
  'error.notFoundLead': 'La pagina che cerchi non esiste o è stata spostata.',
  'error.serverTitle': 'Si è verificato un errore',
  'error.serverLead': 'Il servizio non è riuscito a completare la richiesta. Riprova tra qualche minuto.',
  'error.badRequestTitle': 'Richiesta non valida',
  'error.requestId': 'Codice della richiesta (da indicare se contatti l’assistenza): {id}',
  'error.backHome': 'Torna alla home',
  'a11y.title': 'Dichiarazione di accessibilità',
  'privacy.title': 'Informativa sulla privacy',
  'apiDocs.title': 'Documentazione API',
  'apiDocs.lead':
    'Clusterhub espone un’API REST in formato JSON. Il documento OpenAPI 3.1 completo è disponibile all’indirizzo {url}.',
  'apiDocs.parameters': 'Parametri',
  'apiDocs.responses': 'Risposte',
  'apiDocs.name': 'Nome',
  'apiDocs.in': 'Posizione',
  'apiDocs.required': 'Obbligatorio',
  'apiDocs.description': 'Descrizione',
  'apiDocs.yes': 'sì',
  'apiDocs.no': 'no',
  'apiDocs.none': 'Nessun parametro.',
} as const;

export type MessageKey = keyof typeof it;

const en: Record<MessageKey, string> = {
  'site.name': 'Clusterhub',
  'site.tagline': 'The platform of the Lombardy Technology Clusters',
  'site.owner': 'Network of the Lombardy Technology Clusters',
  'nav.main': 'Main menu',
  'nav.home': 'Home',
  'nav.clusters': 'Clusters',
  'nav.api': 'API',
  'nav.organisations': 'Organisations',
  'nav.matching': 'Matchmaking',
  'nav.search': 'Search',
  'nav.login': 'Sign in',
  'nav.logout': 'Sign out',
  'nav.profile': 'My profile',
  'nav.manage': 'Manage',
  'nav.skipToContent': 'Skip to main content',
  'nav.skipToFooter': 'Skip to footer',
  'nav.breadcrumb': 'Breadcrumb',
  'lang.label': 'Language',
  'lang.switchTo': 'Switch to the Italian version',
  'lang.current': 'English',
  'footer.about': 'Clusterhub is the open platform of the network of Lombardy Technology Clusters (CTL).',
  'footer.links': 'Useful links',
  'footer.accessibility': 'Accessibility statement',
  'footer.privacy': 'Privacy notice',
  'footer.api': 'API documentation',
  'footer.opensource': 'Free software under the EUPL 1.2 licence',
  'home.title': 'The Lombardy Technology Clusters',
  'home.lead':
    'The Lombardy Technology Clusters are open networks of companies, universities, research centres and other public and private bodies, recognised by Regione Lombardia. Each cluster is devoted to a technology area of the regional Smart Specialisation Strategy (S3) and fosters research, innovation and technology transfer, above all towards SMEs.',
  'home.whatTitle': 'What the clusters do',
  'home.what1': 'They map the competences of companies, labs and universities.',
  'home.what2': 'They connect the needs of companies with the know-how of research.',
  'home.what3': 'They build consortia for European, national and regional calls.',
  'home.what4': 'They link schools, ITS academies and universities with industry.',
  'home.clustersTitle': 'The ten clusters of the network',
  'home.clustersCount': '{count} clusters',
  'cluster.area': 'Technology area',
  'cluster.number': 'Cluster no. {number}',
  'cluster.managingBody': 'Managing body',
  'cluster.legalForm': 'Legal form',
  'cluster.website': 'Website',
  'cluster.websiteNone': 'Not available',
  'cluster.territory': 'Territory',
  'cluster.status': 'Status',
  'cluster.statusSince': 'since {date}',
  'cluster.recognition': 'Recognition process',
  'cluster.recognitionAct': 'Act',
  'cluster.coordinator': 'Coordinator',
  'cluster.founders': 'Founding members',
  'cluster.partners': 'Partners',
  'cluster.noOrganisations': 'No organisation registered yet.',
  'cluster.details': 'Cluster profile',
  'cluster.apply': 'Apply to join',
  'cluster.members': 'Member list',
  'cluster.board': 'Board (Consiglio Direttivo)',
  'cluster.open': 'Open the profile of {name}',
  'cluster.organisations': 'Organisations',
  'step.costituito': 'Constituted',
  'step.presa_d_atto': 'Acknowledged by the regional executive',
  'step.riconosciuto': 'Recognised',
  'step.operativo': 'Operating',
  'step.sospeso': 'Suspended',
  'step.revocato': 'Revoked',
  'legalForm.recognised_association': 'Recognised association',
  'legalForm.association': 'Association',
  'legalForm.foundation': 'Foundation',
  'orgType.company': 'Company',
  'orgType.university': 'University',
  'orgType.research_centre': 'Research centre',
  'orgType.its_academy': 'ITS academy',
  'orgType.school': 'School',
  'orgType.public_body': 'Public body',
  'orgType.chamber_of_commerce': 'Chamber of commerce',
  'orgType.association': 'Association',
  'orgType.spin_off': 'Spin-off / start-up',
  'orgType.other': 'Other',
  'error.title': 'Error',
  'error.notFoundTitle': 'Page not found',
  'error.notFoundLead': 'The page you are looking for does not exist or has been moved.',
  'error.serverTitle': 'Something went wrong',
  'error.serverLead': 'The service could not complete the request. Please try again in a few minutes.',
  'error.badRequestTitle': 'Invalid request',
  'error.requestId': 'Request code (quote it if you contact support): {id}',
  'error.backHome': 'Back to the home page',
  'a11y.title': 'Accessibility statement',
  'privacy.title': 'Privacy notice',
  'apiDocs.title': 'API documentation',
  'apiDocs.lead': 'Clusterhub offers a JSON REST API. The complete OpenAPI 3.1 document is at {url}.',
  'apiDocs.parameters': 'Parameters',
  'apiDocs.responses': 'Responses',
  'apiDocs.name': 'Name',
  'apiDocs.in': 'In',
  'apiDocs.required': 'Required',
  'apiDocs.description': 'Description',
  'apiDocs.yes': 'yes',
  'apiDocs.no': 'no',
  'apiDocs.none': 'No parameters.',
};

const catalogues: Record<Lang, Record<MessageKey, string>> = { it, en };

export function t(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const template = catalogues[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** Pick the text in the reader's language, falling back to Italian (the required one). */
export function pick(lang: Lang, it: string, en: string | null | undefined): { text: string; fallback: boolean } {
  if (lang === 'en' && en) return { text: en, fallback: false };
  return { text: it, fallback: lang === 'en' };
}

/** Language of an API caller: `?lang=`, then Accept-Language, then Italian. */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return DEFAULT_LANG;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (isLang(base)) return base;
  }
  return DEFAULT_LANG;
}

/**
 * A feature's own message catalogue: Italian is the reference, English must have every key.
 * Returns a translate function typed by the catalogue's keys.
 */
export function defineMessages<K extends string>(
  itMessages: Record<K, string>,
  enMessages: Record<K, string>,
): (lang: Lang, key: K, params?: Record<string, string | number>) => string {
  const catalogues: Record<Lang, Record<K, string>> = { it: itMessages, en: enMessages };
  return (lang, key, params) => {
    const template = catalogues[lang][key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      params[name] === undefined ? whole : String(params[name]),
    );
  };
}
