// Validators and reference data for Italian and EU identifiers used by the organisations feature.
export {
  partitaIvaCheckDigit,
  validatePartitaIva,
  type IdentifierResult,
  type PartitaIvaReason,
  type PartitaIvaResult,
} from './partita-iva.js';
export {
  OMOCODIA_LETTERS,
  OMOCODIA_POSITIONS,
  codiceFiscaleCheckChar,
  decodeOmocodia,
  decodePersonalCodiceFiscale,
  validateCodiceFiscale,
  type CodiceFiscaleReason,
  type CodiceFiscaleResult,
  type PersonalCodiceFiscaleData,
} from './codice-fiscale.js';
export {
  atecoLabel,
  atecoSection,
  atecoSectionLabel,
  normaliseAtecoCode,
  validateAteco,
  type AtecoLevel,
  type AtecoReason,
  type AtecoResult,
} from './ateco.js';
export {
  comuniCount,
  LOMBARDY_PROVINCES,
  findComune,
  findLombardyProvince,
  searchComuni,
  type Comune,
  type LombardyProvince,
} from './comuni.js';
export {
  SME_CEILINGS,
  computeSizeClass,
  isSme,
  type SizeClass,
  type SizeClassBasis,
  type SizeClassInput,
  type SizeClassResult,
} from './sme.js';
