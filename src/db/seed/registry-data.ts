import type { ClusterRole, LegalForm, OrganisationType, RecognitionStep } from '../schema.js';

/**
 * The registry of the ten Cluster Tecnologici Lombardi, from public sources: the Region's press
 * release of 17 Feb 2026 and the regional decrees of 2014 (see ../shared/DOMAIN.md §1).
 * Only public facts; a field that no source states is left empty rather than guessed.
 */
export interface SeedCluster {
  slug: string;
  number: number;
  nameIt: string;
  nameEn: string;
  shortName: string;
  areaIt: string;
  areaEn: string;
  managingBody: string;
  legalForm: LegalForm;
  website: string | null;
  descriptionIt: string;
  descriptionEn: string;
  territoryIt: string;
  territoryEn: string;
  steps: SeedStep[];
  organisations?: { ref: string; roles: ClusterRole[] }[];
}

export interface SeedStep {
  step: RecognitionStep;
  occurredOn: string;
  act: string;
  noteIt?: string;
  noteEn?: string;
}

export interface SeedOrganisation {
  ref: string;
  legalName: string;
  shortName: string | null;
  type: OrganisationType;
  website: string | null;
  city: string | null;
  provinceCode: string | null;
}

const RECOGNISED_2014: SeedStep = {
  step: 'riconosciuto',
  occurredOn: '2014-07-22',
  act: 'Decreti regionali n. 4638 del 30/05/2014 e n. 6980 del 22/07/2014',
  noteIt:
    'Riconosciuto tra i primi nove cluster con i decreti del 2014 (aggiornati nel 2016); la data indicata è quella del secondo decreto.',
  noteEn:
    'Recognised among the first nine clusters by the 2014 decrees (updated in 2016); the date shown is that of the second decree.',
};

const OPERATING_2026: SeedStep = {
  step: 'operativo',
  occurredOn: '2026-02-17',
  act: 'Comunicato stampa di Regione Lombardia del 17/02/2026',
  noteIt: 'Elencato tra i cluster operativi alla data del comunicato.',
  noteEn: 'Listed among the operating clusters on the date of the press release.',
};

function recognisedCluster(
  fields: Omit<SeedCluster, 'steps' | 'territoryIt' | 'territoryEn' | 'descriptionIt' | 'descriptionEn'> & {
    focusIt: string;
    focusEn: string;
  },
): SeedCluster {
  const { focusIt, focusEn, ...rest } = fields;
  return {
    ...rest,
    descriptionIt: `Cluster Tecnologico Lombardo per l'area ${fields.areaIt}: aggrega imprese, università, centri di ricerca e altri soggetti lombardi attivi su ${focusIt}, per favorire ricerca, innovazione e trasferimento tecnologico.`,
    descriptionEn: `Lombardy Technology Cluster for the ${fields.areaEn} area: it brings together companies, universities, research centres and other Lombard actors working on ${focusEn}, to foster research, innovation and technology transfer.`,
    territoryIt: 'Lombardia',
    territoryEn: 'Lombardy',
    steps: [RECOGNISED_2014, OPERATING_2026],
  };
}

export const SEED_CLUSTERS: SeedCluster[] = [
  recognisedCluster({
    slug: 'aerospazio',
    number: 1,
    nameIt: 'Lombardia Aerospace Cluster',
    nameEn: 'Lombardia Aerospace Cluster',
    shortName: 'Lombardia Aerospace Cluster',
    areaIt: 'Aerospazio',
    areaEn: 'Aerospace',
    managingBody: 'Lombardia Aerospace Cluster',
    legalForm: 'recognised_association',
    website: 'https://www.aerospacelombardia.it',
    focusIt: 'aeronautica, spazio e relative filiere',
    focusEn: 'aeronautics, space and their supply chains',
  }),
  recognisedCluster({
    slug: 'agrifood',
    number: 2,
    nameIt: 'CAT.AL – Cluster Alta Tecnologia Agrofood Lombardia',
    nameEn: 'CAT.AL – Lombardy High-Technology Agrifood Cluster',
    shortName: 'CAT.AL',
    areaIt: 'Agrifood',
    areaEn: 'Agrifood',
    managingBody: 'CAT.AL – Cluster Alta Tecnologia Agrofood Lombardia',
    legalForm: 'association',
    website: 'https://www.clusteragrofoodlombardia.eu',
    focusIt: 'agricoltura, trasformazione alimentare e nutrizione',
    focusEn: 'agriculture, food processing and nutrition',
  }),
  recognisedCluster({
    slug: 'chimica-verde',
    number: 3,
    nameIt: 'LGCA – Lombardy Green Chemistry Association',
    nameEn: 'LGCA – Lombardy Green Chemistry Association',
    shortName: 'LGCA',
    areaIt: 'Chimica verde',
    areaEn: 'Green chemistry',
    managingBody: 'LGCA – Lombardy Green Chemistry Association',
    legalForm: 'association',
    website: 'https://www.chimicaverdelombardia.it',
    focusIt: 'chimica da fonti rinnovabili, bioraffinerie e materiali bio-based',
    focusEn: 'chemistry from renewable sources, biorefineries and bio-based materials',
  }),
  recognisedCluster({
    slug: 'energia-ambiente',
    number: 4,
    nameIt: 'LE2C – Lombardy Energy Cleantech Cluster',
    nameEn: 'LE2C – Lombardy Energy Cleantech Cluster',
    shortName: 'LE2C',
    areaIt: 'Energia e ambiente',
    areaEn: 'Energy and environment',
    managingBody: 'LE2C – Lombardy Energy Cleantech Cluster',
    legalForm: 'association',
    website: 'https://www.energycluster.it',
    focusIt: 'energia, efficienza energetica e tecnologie ambientali',
    focusEn: 'energy, energy efficiency and environmental technologies',
  }),
  recognisedCluster({
    slug: 'fabbrica-intelligente',
    number: 5,
    nameIt: 'AFIL – Associazione Fabbrica Intelligente Lombardia',
    nameEn: 'AFIL – Lombardy Intelligent Factory Association',
    shortName: 'AFIL',
    areaIt: 'Fabbrica intelligente',
    areaEn: 'Smart manufacturing',
    managingBody: 'AFIL – Associazione Fabbrica Intelligente Lombardia',
    legalForm: 'recognised_association',
    website: 'https://www.afil.it',
    focusIt: 'manifattura avanzata, automazione e digitalizzazione della produzione',
    focusEn: 'advanced manufacturing, automation and the digitalisation of production',
  }),
  recognisedCluster({
    slug: 'mobilita',
    number: 6,
    nameIt: 'CLM – Cluster Lombardo della Mobilità',
    nameEn: 'CLM – Lombardy Mobility Cluster',
    shortName: 'CLM',
    areaIt: 'Mobilità',
    areaEn: 'Mobility',
    managingBody: 'CLM – Cluster Lombardo della Mobilità',
    legalForm: 'association',
    website: 'https://www.clusterlombardomobilita.it',
    focusIt: 'veicoli, trasporti e sistemi di mobilità sostenibile',
    focusEn: 'vehicles, transport and sustainable mobility systems',
  }),
  recognisedCluster({
    slug: 'scienze-della-vita',
    number: 7,
    nameIt: 'Cluster Lombardo Scienze della Vita',
    nameEn: 'Lombardy Life Sciences Cluster',
    shortName: 'Scienze della Vita',
    areaIt: 'Scienze della vita',
    areaEn: 'Life sciences',
    managingBody: 'Cluster Lombardo Scienze della Vita',
    legalForm: 'association',
    website: 'https://www.lombardialifesciences.it',
    focusIt: 'farmaceutica, biotecnologie, dispositivi medici e salute',
    focusEn: 'pharmaceuticals, biotechnology, medical devices and health',
  }),
  recognisedCluster({
    slug: 'smart-cities',
    number: 8,
    nameIt: 'Fondazione Cluster Tecnologie per le Smart Cities & Communities',
    nameEn: 'Smart Cities & Communities Technology Cluster Foundation',
    shortName: 'SCC',
    areaIt: 'Smart Cities & Communities',
    areaEn: 'Smart Cities & Communities',
    managingBody: 'Fondazione Cluster Tecnologie per le Smart Cities & Communities',
    legalForm: 'foundation',
    website: 'https://www.clusterscclombardia.it',
    focusIt: 'tecnologie e servizi per città e comunità intelligenti',
    focusEn: 'technologies and services for smart cities and communities',
  }),
  recognisedCluster({
    slug: 'ambienti-di-vita',
    number: 9,
    nameIt: 'Fondazione Cluster TAV «Tech For Life»',
    nameEn: 'TAV “Tech For Life” Cluster Foundation',
    shortName: 'TAV Tech For Life',
    areaIt: 'Tecnologie per gli ambienti di vita',
    areaEn: 'Technologies for living environments',
    managingBody: 'Fondazione Cluster TAV «Tech For Life»',
    legalForm: 'foundation',
    website: 'https://cluster.techforlife.it',
    focusIt: 'tecnologie per la casa, l’assistenza e la qualità della vita',
    focusEn: 'technologies for the home, care and quality of life',
  }),
  {
    slug: 'cosmetica',
    number: 10,
    nameIt: 'Cluster Tecnologico Lombardo del Made in Italy – Sistema Cosmetico',
    nameEn: 'Lombardy Technology Cluster for Made in Italy – Cosmetics',
    shortName: 'Sistema Cosmetico',
    areaIt: 'Made in Italy – Sistema Cosmetico',
    areaEn: 'Made in Italy – Cosmetics',
    managingBody: 'Associazione Cluster Tecnologico Lombardo per il Made in Italy – Sistema Cosmetico',
    legalForm: 'association',
    website: null,
    descriptionIt:
      'Il decimo Cluster Tecnologico Lombardo, dedicato alla cosmetica, filiera d’eccellenza della manifattura lombarda. ' +
      'Nasce per facilitare il trasferimento tecnologico tra ricerca e PMI, rafforzare la proiezione internazionale della filiera attraverso reti e iniziative europee, ' +
      'promuovere un modello inclusivo con l’adesione continua di nuovi soggetti e collegare scuole, ITS Academy e università con l’industria. ' +
      'Il partenariato include l’ITS Academy Nuove Tecnologie della Vita «Giulio Natta», enti locali e camerali.',
    descriptionEn:
      'The tenth Lombardy Technology Cluster, devoted to cosmetics, a leading supply chain of Lombard manufacturing. ' +
      'It aims to ease technology transfer between research and SMEs, strengthen the international reach of the supply chain through European networks and initiatives, ' +
      'promote an inclusive model with continuous admission of new members, and link schools, ITS academies and universities with industry. ' +
      'Its partners include the ITS Academy Nuove Tecnologie della Vita “Giulio Natta”, local authorities and chambers of commerce.',
    territoryIt: 'Principalmente Crema, Lodi, Milano e Monza',
    territoryEn: 'Mainly Crema, Lodi, Milan and Monza',
    steps: [
      {
        step: 'costituito',
        occurredOn: '2025-12-15',
        act: 'Atto costitutivo dell’associazione',
        noteIt: 'Consiglio Direttivo in carica dal 16/01/2026.',
        noteEn: 'Board (Consiglio Direttivo) in office since 16 Jan 2026.',
      },
      {
        step: 'presa_d_atto',
        occurredOn: '2026-02-17',
        act: 'Deliberazione della Giunta regionale del 17/02/2026 (presa d’atto della costituzione)',
        noteIt:
          'Passaggio propedeutico al riconoscimento da parte della Direzione generale Università, Ricerca e Innovazione.',
        noteEn:
          'Preliminary step to recognition by the Directorate-General for Universities, Research and Innovation.',
      },
    ],
    organisations: [
      { ref: 'seed:rei-reindustria-innovazione', roles: ['coordinator', 'founder'] },
      { ref: 'seed:politecnico-di-milano', roles: ['founder'] },
      { ref: 'seed:universita-degli-studi-di-milano', roles: ['founder'] },
      { ref: 'seed:universita-milano-bicocca', roles: ['founder'] },
      { ref: 'seed:ancorotti-cosmetics', roles: ['founder'] },
      { ref: 'seed:regi', roles: ['founder'] },
      { ref: 'seed:lumson', roles: ['founder'] },
      { ref: 'seed:its-giulio-natta', roles: ['partner'] },
    ],
  },
];

export const SEED_ORGANISATIONS: SeedOrganisation[] = [
  {
    ref: 'seed:rei-reindustria-innovazione',
    legalName: 'REI Reindustria Innovazione',
    shortName: 'REI',
    type: 'other',
    website: null,
    city: 'Crema',
    provinceCode: 'CR',
  },
  {
    ref: 'seed:politecnico-di-milano',
    legalName: 'Politecnico di Milano',
    shortName: 'PoliMi',
    type: 'university',
    website: 'https://www.polimi.it',
    city: 'Milano',
    provinceCode: 'MI',
  },
  {
    ref: 'seed:universita-degli-studi-di-milano',
    legalName: 'Università degli Studi di Milano',
    shortName: 'UniMi',
    type: 'university',
    website: 'https://www.unimi.it',
    city: 'Milano',
    provinceCode: 'MI',
  },
  {
    ref: 'seed:universita-milano-bicocca',
    legalName: 'Università degli Studi di Milano-Bicocca',
    shortName: 'Milano-Bicocca',
    type: 'university',
    website: 'https://www.unimib.it',
    city: 'Milano',
    provinceCode: 'MI',
  },
  {
    ref: 'seed:ancorotti-cosmetics',
    legalName: 'Ancorotti Cosmetics S.p.A.',
    shortName: 'Ancorotti Cosmetics',
    type: 'company',
    website: null,
    city: 'Crema',
    provinceCode: 'CR',
  },
  {
    ref: 'seed:regi',
    legalName: 'Regi S.r.l.',
    shortName: 'Regi',
    type: 'company',
    website: null,
    city: null,
    provinceCode: null,
  },
  {
    ref: 'seed:lumson',
    legalName: 'Lumson S.p.A.',
    shortName: 'Lumson',
    type: 'company',
    website: null,
    city: null,
    provinceCode: null,
  },
  {
    ref: 'seed:its-giulio-natta',
    legalName: 'ITS Academy Nuove Tecnologie della Vita «Giulio Natta»',
    shortName: 'ITS Giulio Natta',
    type: 'its_academy',
    website: null,
    city: null,
    provinceCode: null,
  },
];
