/**
 * Word lists for the synthetic data generator (`clusterhub generate`): Italian company-name parts,
 * people's names, and per-cluster topics in Italian and English. Topics are what a member of each
 * cluster realistically says it does, so that search and matching see text like the real one.
 */

export const NAME_PREFIXES = [
  'Officine', 'Laboratori', 'Industrie', 'Tecnologie', 'Meccanica', 'Chimica', 'Biotech', 'Sistemi', 'Studio',
  'Ricerche', 'Innovazione', 'Soluzioni', 'Materiali', 'Impianti', 'Elettronica', 'Dermo', 'Cosmesi', 'Agro',
  'Energia', 'Automazione', 'Robotica', 'Ingegneria', 'Packaging', 'Logistica', 'Farmaceutici', 'Digital',
];

export const NAME_CORES = [
  'Adda', 'Ticino', 'Brianza', 'Lario', 'Orobica', 'Padana', 'Insubria', 'Valtellina', 'Franciacorta', 'Garda',
  'Lomellina', 'Olona', 'Serio', 'Oglio', 'Mincio', 'Sempione', 'Naviglio', 'Resegone', 'Grigna', 'Bernina',
  'Alfa', 'Delta', 'Sigma', 'Vega', 'Aurora', 'Zenit', 'Orione', 'Meridiana', 'Levante', 'Ponente', 'Atena',
  'Minerva', 'Galileo', 'Volta', 'Natta', 'Golgi', 'Cardano', 'Spallanzani', 'Beccaria', 'Manzoni',
];

export const COMPANY_FORMS = ['S.r.l.', 'S.r.l.', 'S.r.l.', 'S.p.A.', 'S.r.l. Società Benefit', 'S.n.c.', 'Soc. Coop.', 'S.r.l.s.'];

export const FIRST_NAMES = [
  'Giulia', 'Marco', 'Francesca', 'Luca', 'Chiara', 'Alessandro', 'Sara', 'Andrea', 'Valentina', 'Matteo', 'Elena',
  'Davide', 'Martina', 'Stefano', 'Federica', 'Paolo', 'Silvia', 'Giorgio', 'Laura', 'Simone', 'Anna', 'Roberto',
  'Alessia', 'Lorenzo', 'Beatrice', 'Riccardo', 'Ilaria', 'Fabio', 'Elisa', 'Tommaso',
];

export const LAST_NAMES = [
  'Rossi', 'Colombo', 'Ferrari', 'Brambilla', 'Bianchi', 'Villa', 'Galli', 'Fumagalli', 'Sala', 'Cattaneo',
  'Mariani', 'Riva', 'Bonetti', 'Moretti', 'Barbieri', 'Lombardi', 'Pozzi', 'Longhi', 'Gatti', 'Mauri',
  'Ghezzi', 'Crippa', 'Redaelli', 'Rota', 'Pirovano', 'Sironi', 'Invernizzi', 'Cereda', 'Zanetti', 'Beretta',
];

/** One topic: Italian and English phrase of the same thing. */
export interface Topic {
  it: string;
  en: string;
}

/** What members of each cluster do, by cluster slug (the ten clusters of the registry seed). */
export const CLUSTER_TOPICS: Record<string, Topic[]> = {
  aerospazio: [
    { it: 'componenti in materiale composito per velivoli', en: 'composite components for aircraft' },
    { it: 'sistemi di propulsione per piccoli satelliti', en: 'propulsion systems for small satellites' },
    { it: 'lavorazioni meccaniche di precisione in titanio', en: 'precision machining of titanium' },
    { it: 'avionica e software di bordo certificato', en: 'avionics and certified on-board software' },
    { it: 'osservazione della Terra e analisi di immagini satellitari', en: 'Earth observation and satellite image analysis' },
    { it: 'prove non distruttive su strutture aeronautiche', en: 'non-destructive testing of aircraft structures' },
  ],
  agrifood: [
    { it: 'tracciabilità della filiera lattiero-casearia', en: 'traceability of the dairy supply chain' },
    { it: 'agricoltura di precisione con sensori e droni', en: 'precision farming with sensors and drones' },
    { it: 'conservazione degli alimenti senza conservanti chimici', en: 'food preservation without chemical preservatives' },
    { it: 'valorizzazione dei sottoprodotti agroalimentari', en: 'upcycling of agri-food by-products' },
    { it: 'analisi sensoriale e shelf life dei prodotti', en: 'sensory analysis and product shelf life' },
    { it: 'proteine vegetali e alimenti alternativi', en: 'plant proteins and alternative foods' },
  ],
  'chimica-verde': [
    { it: 'bioplastiche compostabili da fonti rinnovabili', en: 'compostable bioplastics from renewable sources' },
    { it: 'catalizzatori per processi chimici sostenibili', en: 'catalysts for sustainable chemical processes' },
    { it: 'bioraffineria e chimica da biomasse', en: 'biorefinery and biomass-based chemistry' },
    { it: 'solventi verdi e tensioattivi di origine vegetale', en: 'green solvents and plant-based surfactants' },
    { it: 'riciclo chimico delle materie plastiche', en: 'chemical recycling of plastics' },
    { it: 'fermentazione industriale e biotecnologie bianche', en: 'industrial fermentation and white biotechnology' },
  ],
  'energia-ambiente': [
    { it: 'accumulo di energia e batterie stazionarie', en: 'energy storage and stationary batteries' },
    { it: 'idrogeno verde ed elettrolizzatori', en: 'green hydrogen and electrolysers' },
    { it: 'efficienza energetica degli edifici industriali', en: 'energy efficiency of industrial buildings' },
    { it: 'trattamento delle acque reflue e recupero dei fanghi', en: 'wastewater treatment and sludge recovery' },
    { it: 'monitoraggio della qualità dell\'aria', en: 'air quality monitoring' },
    { it: 'comunità energetiche e reti intelligenti', en: 'energy communities and smart grids' },
  ],
  'fabbrica-intelligente': [
    { it: 'manutenzione predittiva con apprendimento automatico', en: 'predictive maintenance with machine learning' },
    { it: 'robotica collaborativa per l\'assemblaggio', en: 'collaborative robotics for assembly' },
    { it: 'manifattura additiva di componenti metallici', en: 'additive manufacturing of metal parts' },
    { it: 'visione artificiale per il controllo qualità', en: 'machine vision for quality control' },
    { it: 'gemelli digitali di linee produttive', en: 'digital twins of production lines' },
    { it: 'sicurezza informatica degli impianti industriali', en: 'cybersecurity of industrial plants' },
  ],
  mobilita: [
    { it: 'veicoli elettrici e sistemi di ricarica', en: 'electric vehicles and charging systems' },
    { it: 'logistica urbana dell\'ultimo miglio', en: 'last-mile urban logistics' },
    { it: 'alleggerimento dei telai in alluminio', en: 'lightweight aluminium frames' },
    { it: 'sistemi di assistenza alla guida', en: 'advanced driver assistance systems' },
    { it: 'trasporto ferroviario e materiale rotabile', en: 'rail transport and rolling stock' },
    { it: 'pneumatici e materiali elastomerici', en: 'tyres and elastomer materials' },
  ],
  'scienze-della-vita': [
    { it: 'dispositivi medici impiantabili', en: 'implantable medical devices' },
    { it: 'diagnostica molecolare e biomarcatori', en: 'molecular diagnostics and biomarkers' },
    { it: 'sperimentazione clinica e servizi regolatori', en: 'clinical trials and regulatory services' },
    { it: 'terapie cellulari e medicina rigenerativa', en: 'cell therapies and regenerative medicine' },
    { it: 'sviluppo di farmaci biologici', en: 'development of biological drugs' },
    { it: 'telemedicina e sanità digitale', en: 'telemedicine and digital health' },
  ],
  'smart-cities': [
    { it: 'piattaforme di dati urbani aperti', en: 'open urban data platforms' },
    { it: 'illuminazione pubblica intelligente', en: 'smart public lighting' },
    { it: 'sensori per il monitoraggio del traffico', en: 'sensors for traffic monitoring' },
    { it: 'servizi digitali per la pubblica amministrazione', en: 'digital services for public administrations' },
    { it: 'edilizia sostenibile e riqualificazione urbana', en: 'sustainable construction and urban regeneration' },
    { it: 'sicurezza e resilienza delle infrastrutture', en: 'infrastructure safety and resilience' },
  ],
  'ambienti-di-vita': [
    { it: 'domotica e assistenza domiciliare per anziani', en: 'home automation and assisted living for the elderly' },
    { it: 'arredo e design per il benessere', en: 'furniture and design for wellbeing' },
    { it: 'tessuti tecnici e abbigliamento funzionale', en: 'technical textiles and functional clothing' },
    { it: 'ausili per la disabilità', en: 'assistive devices for disability' },
    { it: 'qualità dell\'aria e comfort degli ambienti interni', en: 'indoor air quality and comfort' },
    { it: 'materiali naturali per l\'edilizia', en: 'natural building materials' },
  ],
  cosmetica: [
    { it: 'formulazione conto terzi di creme e sieri', en: 'contract formulation of creams and serums' },
    { it: 'conservanti naturali e sistemi antimicrobici', en: 'natural preservatives and antimicrobial systems' },
    { it: 'estratti botanici e ingredienti naturali', en: 'botanical extracts and natural ingredients' },
    { it: 'packaging airless e flaconi riciclabili', en: 'airless packaging and recyclable bottles' },
    { it: 'test di sicurezza ed efficacia dei cosmetici', en: 'safety and efficacy testing of cosmetics' },
    { it: 'profumi e fragranze di alta gamma', en: 'high-end perfumes and fragrances' },
    { it: 'filtri UV e protezione solare', en: 'UV filters and sun care' },
    { it: 'trucco e pigmenti minerali', en: 'make-up and mineral pigments' },
  ],
};

export const ACTIVITY_IT = ['Sviluppiamo', 'Progettiamo', 'Produciamo', 'Offriamo servizi di', 'Facciamo ricerca su', 'Forniamo'];
export const ACTIVITY_EN = ['We develop', 'We design', 'We manufacture', 'We offer services in', 'We research', 'We supply'];

export const NEED_IT = ['Cerchiamo un partner per', 'Ci serve supporto su', 'Cerchiamo competenze in', 'Vorremmo introdurre'];
export const NEED_EN = ['We are looking for a partner for', 'We need support with', 'We seek expertise in', 'We would like to introduce'];

/** ATECO 2025 codes plausible for cluster members. */
export const ATECO_CODES = ['20.42', '20.59', '21.20', '22.29', '25.62', '26.51', '28.29', '29.32', '30.30', '32.50', '46.45', '62.10', '71.12', '72.10', '72.20', '85.42'];
