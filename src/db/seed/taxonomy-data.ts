/**
 * The starter competence taxonomy of the cosmetics cluster (../shared/DOMAIN.md §6): ten areas,
 * each with five sub-areas. Codes are stable identifiers; labels and synonyms (IT/EN) are what
 * search expands a query with, so that "conservanti" also finds "preservatives".
 */
export interface SeedArea {
  code: string;
  it: string;
  en: string;
  synIt?: string[];
  synEn?: string[];
  children?: SeedArea[];
}

export const COSMETICS_TAXONOMY: SeedArea[] = [
  {
    code: 'FOR', it: 'Formulazione', en: 'Formulation',
    synIt: ['formulazioni', 'sviluppo formule', 'formulatore'], synEn: ['formulations', 'formula development', 'formulator'],
    children: [
      { code: 'FOR.SKIN', it: 'Cura della pelle', en: 'Skin care', synIt: ['skincare', 'creme', 'crema viso', 'sieri', 'dermocosmesi'], synEn: ['skincare', 'creams', 'face cream', 'serums', 'dermocosmetics'] },
      { code: 'FOR.MKUP', it: 'Trucco', en: 'Make-up', synIt: ['make-up', 'cosmetici decorativi', 'rossetti', 'mascara', 'fondotinta'], synEn: ['makeup', 'colour cosmetics', 'color cosmetics', 'lipsticks', 'mascara', 'foundation'] },
      { code: 'FOR.HAIR', it: 'Cura dei capelli', en: 'Hair care', synIt: ['capelli', 'shampoo', 'balsamo', 'tinture per capelli'], synEn: ['haircare', 'shampoo', 'conditioner', 'hair dyes'] },
      { code: 'FOR.SUN', it: 'Protezione solare', en: 'Sun care', synIt: ['solari', 'filtri UV', 'SPF'], synEn: ['sunscreen', 'sun protection', 'UV filters', 'SPF'] },
      { code: 'FOR.FRAG', it: 'Profumi e deodoranti', en: 'Fragrance & deo', synIt: ['profumeria', 'fragranze', 'deodoranti', 'essenze'], synEn: ['fragrances', 'perfumes', 'perfumery', 'deodorants'] },
    ],
  },
  {
    code: 'MPA', it: 'Materie prime e attivi', en: 'Raw materials & actives',
    synIt: ['ingredienti', 'materie prime', 'principi attivi'], synEn: ['ingredients', 'raw materials', 'active ingredients'],
    children: [
      { code: 'MPA.BOT', it: 'Estratti botanici', en: 'Botanical extracts', synIt: ['estratti vegetali', 'fitoestratti', 'oli essenziali', 'ingredienti naturali'], synEn: ['plant extracts', 'herbal extracts', 'essential oils', 'natural ingredients'] },
      { code: 'MPA.BIO', it: 'Biotecnologie e fermentazione', en: 'Biotech & fermentation', synIt: ['biotecnologie', 'fermentazione', 'microbioma', 'ingredienti biotech'], synEn: ['biotechnology', 'fermentation', 'microbiome', 'biotech ingredients'] },
      { code: 'MPA.EMS', it: 'Emollienti e tensioattivi', en: 'Emollients & surfactants', synIt: ['emollienti', 'tensioattivi', 'emulsionanti'], synEn: ['emollients', 'surfactants', 'emulsifiers'] },
      { code: 'MPA.PIG', it: 'Pigmenti e polveri', en: 'Pigments & powders', synIt: ['pigmenti', 'polveri', 'coloranti', 'perle'], synEn: ['pigments', 'powders', 'colorants', 'pearls'] },
      { code: 'MPA.PRES', it: 'Sistemi conservanti', en: 'Preservation systems', synIt: ['conservanti', 'conservante', 'conservazione', 'antimicrobici'], synEn: ['preservatives', 'preservative', 'preservation', 'antimicrobials'] },
    ],
  },
  {
    code: 'PKG', it: 'Packaging', en: 'Packaging',
    synIt: ['imballaggio', 'confezione', 'contenitori'], synEn: ['containers', 'pack'],
    children: [
      { code: 'PKG.RIG', it: 'Plastica rigida e airless', en: 'Rigid plastic & airless', synIt: ['flaconi in plastica', 'airless', 'vasetti'], synEn: ['plastic bottles', 'airless', 'jars'] },
      { code: 'PKG.GLM', it: 'Vetro e metallo', en: 'Glass & metal', synIt: ['vetro', 'alluminio', 'metallo'], synEn: ['glass', 'aluminium', 'aluminum', 'metal'] },
      { code: 'PKG.PAP', it: 'Carta e imballo secondario', en: 'Paper & secondary packaging', synIt: ['astucci', 'cartone', 'imballo secondario'], synEn: ['cartons', 'paperboard', 'secondary packaging'] },
      { code: 'PKG.DISP', it: 'Dispenser e applicatori', en: 'Dispensers & applicators', synIt: ['pompe', 'erogatori', 'applicatori', 'spray'], synEn: ['pumps', 'dispensers', 'applicators', 'sprays'] },
      { code: 'PKG.ECO', it: 'Eco-design, ricarica e riciclabilità', en: 'Eco-design, refill & recyclability', synIt: ['ecodesign', 'ricariche', 'riciclabilità', 'riciclabile'], synEn: ['ecodesign', 'refills', 'recyclability', 'recyclable'] },
    ],
  },
  {
    code: 'PRD', it: 'Produzione', en: 'Manufacturing',
    synIt: ['produzione', 'fabbricazione', 'stabilimento'], synEn: ['production', 'manufacture', 'plant'],
    children: [
      { code: 'PRD.CMO', it: 'Produzione conto terzi full service', en: 'Full-service contract manufacturing', synIt: ['conto terzi', 'terzista', 'contoterzismo', 'private label'], synEn: ['contract manufacturing', 'third-party manufacturing', 'private label', 'CMO'] },
      { code: 'PRD.FILL', it: 'Riempimento e confezionamento', en: 'Filling & packing', synIt: ['riempimento', 'confezionamento', 'infialamento'], synEn: ['filling', 'packing', 'packaging line'] },
      { code: 'PRD.GMP', it: 'GMP (ISO 22716) e qualità', en: 'GMP (ISO 22716) & QA', synIt: ['buone pratiche di fabbricazione', 'ISO 22716', 'controllo qualità', 'assicurazione qualità'], synEn: ['good manufacturing practice', 'ISO 22716', 'quality control', 'quality assurance'] },
      { code: 'PRD.SCALE', it: 'Scale-up industriale', en: 'Scale-up', synIt: ['scale-up', 'industrializzazione', 'lotti pilota'], synEn: ['scale up', 'industrialisation', 'pilot batches'] },
      { code: 'PRD.AUTO', it: 'Macchine e automazione', en: 'Machinery & automation', synIt: ['macchinari', 'automazione', 'linee automatiche'], synEn: ['machines', 'automation', 'automated lines'] },
    ],
  },
  {
    code: 'TST', it: 'Test e analisi', en: 'Testing',
    synIt: ['analisi', 'laboratorio di prova', 'prove'], synEn: ['tests', 'analysis', 'testing laboratory'],
    children: [
      { code: 'TST.STAB', it: 'Analisi chimico-fisiche e stabilità', en: 'Physico-chemical & stability testing', synIt: ['stabilità', 'analisi chimiche', 'chimico-fisiche'], synEn: ['stability', 'chemical analysis', 'physico-chemical'] },
      { code: 'TST.MICRO', it: 'Microbiologia e challenge test', en: 'Microbiology & challenge test', synIt: ['microbiologia', 'challenge test', 'efficacia conservante'], synEn: ['microbiology', 'challenge test', 'preservative efficacy'] },
      { code: 'TST.INVITRO', it: 'Metodi in vitro e alternativi', en: 'In-vitro & alternative methods', synIt: ['in vitro', 'metodi alternativi', 'senza animali'], synEn: ['in vitro', 'alternative methods', 'animal-free'] },
      { code: 'TST.EFF', it: 'Efficacia clinica e strumentale', en: 'Clinical & instrumental efficacy', synIt: ['test clinici', 'efficacia', 'test su volontari'], synEn: ['clinical testing', 'efficacy', 'consumer panel'] },
      { code: 'TST.COMP', it: 'Compatibilità contenitore-contenuto', en: 'Container–content compatibility', synIt: ['compatibilità', 'interazione contenitore contenuto'], synEn: ['compatibility', 'packaging interaction'] },
    ],
  },
  {
    code: 'REG', it: 'Regolatorio (Reg. UE 1223/2009)', en: 'Regulatory (EU Reg. 1223/2009)',
    synIt: ['normativa', 'affari regolatori', '1223/2009'], synEn: ['regulatory affairs', 'compliance', '1223/2009'],
    children: [
      { code: 'REG.PIF', it: 'Persona responsabile e PIF', en: 'Responsible person & PIF', synIt: ['persona responsabile', 'fascicolo informativo', 'PIF'], synEn: ['responsible person', 'product information file', 'PIF'] },
      { code: 'REG.SAFE', it: 'Valutazione della sicurezza', en: 'Safety assessment', synIt: ['valutatore della sicurezza', 'CPSR', 'tossicologia'], synEn: ['safety assessor', 'CPSR', 'toxicology'] },
      { code: 'REG.CPNP', it: 'Notifica CPNP ed etichettatura INCI', en: 'CPNP notification & INCI labelling', synIt: ['CPNP', 'INCI', 'etichettatura'], synEn: ['CPNP', 'INCI', 'labelling', 'labeling'] },
      { code: 'REG.CLAIM', it: 'Supporto ai claim', en: 'Claim substantiation', synIt: ['claim', 'dichiarazioni'], synEn: ['claims', 'claim support'] },
      { code: 'REG.NONEU', it: 'Registrazioni extra UE', en: 'Non-EU registration', synIt: ['extra UE', 'registrazione estero', 'Cina', 'USA'], synEn: ['non-EU', 'international registration', 'China', 'FDA'] },
    ],
  },
  {
    code: 'SUS', it: 'Sostenibilità', en: 'Sustainability',
    synIt: ['sostenibile', 'ambiente', 'green'], synEn: ['sustainable', 'environment', 'green'],
    children: [
      { code: 'SUS.GREEN', it: 'Chimica verde e bio-based', en: 'Green chemistry & bio-based', synIt: ['chimica verde', 'bio-based', 'biobased', 'rinnovabile'], synEn: ['green chemistry', 'bio-based', 'biobased', 'renewable'] },
      { code: 'SUS.LCA', it: 'LCA e PEF', en: 'LCA/PEF', synIt: ['analisi del ciclo di vita', 'impronta ambientale', 'carbon footprint'], synEn: ['life cycle assessment', 'environmental footprint', 'carbon footprint'] },
      { code: 'SUS.BIODEG', it: 'Biodegradabilità ed ecotossicità', en: 'Biodegradability & ecotoxicity', synIt: ['biodegradabile', 'ecotossicologia'], synEn: ['biodegradable', 'ecotoxicology'] },
      { code: 'SUS.CERT', it: 'Certificazioni (COSMOS, Ecolabel)', en: 'Certifications (COSMOS, Ecolabel)', synIt: ['COSMOS', 'Ecolabel', 'cosmetico biologico', 'certificazione bio'], synEn: ['COSMOS', 'Ecolabel', 'organic cosmetics', 'organic certification'] },
      { code: 'SUS.CIRC', it: 'Economia circolare e upcycling dei sottoprodotti', en: 'Circular economy & by-product upcycling', synIt: ['economia circolare', 'upcycling', 'sottoprodotti', 'scarti'], synEn: ['circular economy', 'upcycling', 'by-products', 'waste valorisation'] },
    ],
  },
  {
    code: 'DIG', it: 'Digitale', en: 'Digital',
    synIt: ['digitalizzazione', 'software'], synEn: ['digitalisation', 'software'],
    children: [
      { code: 'DIG.TRACE', it: 'Tracciabilità della filiera', en: 'Supply-chain traceability', synIt: ['tracciabilità', 'filiera', 'blockchain'], synEn: ['traceability', 'supply chain', 'blockchain'] },
      { code: 'DIG.DPP', it: 'Passaporto digitale di prodotto', en: 'Digital product passport', synIt: ['passaporto digitale', 'DPP'], synEn: ['DPP', 'product passport'] },
      { code: 'DIG.AI', it: 'Formulazione assistita dall’IA', en: 'AI-assisted formulation', synIt: ['intelligenza artificiale', 'IA', 'machine learning'], synEn: ['artificial intelligence', 'AI', 'machine learning'] },
      { code: 'DIG.ECOM', it: 'E-commerce e prova virtuale', en: 'E-commerce & virtual try-on', synIt: ['commercio elettronico', 'realtà aumentata', 'prova virtuale'], synEn: ['online sales', 'augmented reality', 'virtual try-on'] },
      { code: 'DIG.PLM', it: 'Software PLM e LIMS', en: 'PLM/LIMS software', synIt: ['PLM', 'LIMS', 'gestionale di laboratorio'], synEn: ['PLM', 'LIMS', 'laboratory information system'] },
    ],
  },
  {
    code: 'MKT', it: 'Mercati', en: 'Markets',
    synIt: ['mercato', 'commerciale'], synEn: ['market', 'commercial'],
    children: [
      { code: 'MKT.BRAND', it: 'Marca e design', en: 'Brand & design', synIt: ['brand', 'branding', 'design'], synEn: ['branding', 'design'] },
      { code: 'MKT.CONS', it: 'Ricerche sui consumatori', en: 'Consumer research', synIt: ['consumatori', 'ricerche di mercato', 'analisi sensoriale'], synEn: ['consumers', 'market research', 'sensory analysis'] },
      { code: 'MKT.EXP', it: 'Export', en: 'Export', synIt: ['esportazione', 'internazionalizzazione', 'mercati esteri'], synEn: ['exports', 'internationalisation', 'foreign markets'] },
      { code: 'MKT.DIST', it: 'Distribuzione', en: 'Distribution', synIt: ['distributori', 'retail', 'grande distribuzione'], synEn: ['distributors', 'retail', 'wholesale'] },
      { code: 'MKT.IP', it: 'Proprietà intellettuale', en: 'Intellectual property', synIt: ['brevetti', 'marchi', 'proprietà industriale'], synEn: ['patents', 'trademarks', 'IP'] },
    ],
  },
  {
    code: 'HCF', it: 'Competenze e ricerca', en: 'Skills & research',
    synIt: ['ricerca', 'formazione', 'competenze'], synEn: ['research', 'training', 'skills'],
    children: [
      { code: 'HCF.ACAD', it: 'Ricerca accademica', en: 'Academic research', synIt: ['università', 'ricerca scientifica', 'dottorato'], synEn: ['university', 'scientific research', 'PhD'] },
      { code: 'HCF.ITS', it: 'Formazione tecnica (ITS)', en: 'Technical training (ITS)', synIt: ['ITS', 'formazione tecnica', 'tecnici'], synEn: ['ITS', 'technical training', 'vocational training'] },
      { code: 'HCF.LAB', it: 'Laboratori condivisi e infrastrutture di ricerca', en: 'Shared labs & research infrastructure', synIt: ['laboratori condivisi', 'infrastrutture di ricerca', 'strumentazione'], synEn: ['shared laboratories', 'research infrastructure', 'instrumentation'] },
      { code: 'HCF.TT', it: 'Trasferimento tecnologico e spin-off', en: 'Technology transfer & spin-offs', synIt: ['trasferimento tecnologico', 'spin-off', 'start-up'], synEn: ['technology transfer', 'spin-offs', 'start-ups'] },
      { code: 'HCF.EU', it: 'Progettazione europea e finanziamenti', en: 'EU project design & funding', synIt: ['progetti europei', 'bandi', 'Horizon Europe', 'finanziamenti'], synEn: ['EU projects', 'calls', 'Horizon Europe', 'funding'] },
    ],
  },
];
