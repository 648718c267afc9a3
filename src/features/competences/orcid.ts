/**
 * ORCID iDs: 16 characters in four groups (0000-0002-1825-0097), the last a check character
 * computed with ISO 7064 MOD 11-2 over the first 15 digits ("X" stands for 10).
 */
export function orcidCheckCharacter(first15: string): string {
  let total = 0;
  for (const ch of first15) total = (total + Number(ch)) * 2;
  const result = (12 - (total % 11)) % 11;
  return result === 10 ? 'X' : String(result);
}

/** The canonical form (with hyphens, upper-case X) of an ORCID iD or URL, or null when not valid. */
export function normaliseOrcid(input: string): string | null {
  const compact = input
    .trim()
    .replace(/^https?:\/\/(www\.)?orcid\.org\//i, '')
    .replace(/[\s-]/g, '')
    .toUpperCase();
  if (!/^\d{15}[\dX]$/.test(compact)) return null;
  if (orcidCheckCharacter(compact.slice(0, 15)) !== compact[15]) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8, 12)}-${compact.slice(12)}`;
}
