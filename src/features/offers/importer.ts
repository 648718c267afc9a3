import type { Transaction } from 'kysely';
import type { DB, OrganisationType } from '../../db/schema.js';
import { audit, type Actor } from '../../platform/audit.js';
import type { OrganisationService } from '../organisations/service.js';
import type { OrganisationValues } from '../organisations/validation.js';
import { detectLanguage } from '../matching/text.js';
import { parseKnowledgeShare, type KsEntry, type KsProblem } from './knowledge-share.js';
import { ANONYMOUS } from './repository.js';
import type { OfferService } from './service.js';
import type { ItemInput } from './validation.js';

export interface KsImportReport {
  entries: number;
  problems: KsProblem[];
  /** Nothing was written (problems found and --skip-invalid not given). */
  aborted: boolean;
  organisations: { created: number; existing: number };
  universities: { created: number; existing: number };
  offers: { created: number; updated: number };
}

export const ksRef = (id: number) => `ks:${id}`;
export const ksOwnerRef = (id: number) => `ks-owner:${id}`;

function ownerType(name: string): OrganisationType {
  return /universit|politecnico|scuola|school|sissa|iuav|ateneo|college/i.test(name) ? 'university' : 'research_centre';
}

/** An organisation known by its name, with a description filed under the language it is written in. */
function blankOrganisation(name: string, type: OrganisationType, description: string | null): OrganisationValues {
  const it = description !== null && detectLanguage(description) === 'it';
  return {
    legal_name: name.slice(0, 200),
    short_name: null,
    type,
    vat_number: null,
    tax_code: null,
    ateco_codes: [],
    employees: null,
    turnover_cents: null,
    balance_sheet_cents: null,
    size_class_declared: null,
    size_class_computed: null,
    country_code: 'IT',
    comune_istat: null,
    city: null,
    province_code: null,
    address: null,
    postcode: null,
    pec: null,
    email: null,
    website: null,
    description_it: it ? description : null,
    description_en: it ? null : description,
  };
}

/** The offer of a spin-off: what it offers, in the language the source is written in. */
export function offerInputOf(entry: KsEntry): ItemInput {
  const sections = [
    entry.description,
    entry.sections.enablingTechnologies && `Enabling technologies: ${entry.sections.enablingTechnologies}`,
    entry.sections.mainApplications && `Main applications: ${entry.sections.mainApplications}`,
    entry.sections.targetCustomers && `Target customers: ${entry.sections.targetCustomers}`,
    entry.sections.competitiveAdvantages && `Competitive advantages: ${entry.sections.competitiveAdvantages}`,
  ]
    .filter(Boolean)
    .join('\n\n')
    .slice(0, 10_000);
  const it = entry.lang === 'it';
  return {
    titleIt: it ? entry.payoff.slice(0, 200) : null,
    titleEn: it ? null : entry.payoff.slice(0, 200),
    summaryIt: it ? entry.abstract.slice(0, 1000) || null : null,
    summaryEn: it ? null : entry.abstract.slice(0, 1000) || null,
    descriptionIt: it ? sections : null,
    descriptionEn: it ? null : sections,
    trl: entry.trl,
    categories: entry.categories.slice(0, 20),
    tags: entry.tags.slice(0, 40),
    lookingFor: entry.lookingFor.slice(0, 20),
    visibility: 'public',
  };
}

/**
 * Import a Knowledge Share export: per entry a spin-off organisation linked to its owner
 * universities (created when missing) and one public, published technology offer, both with
 * externalRef `ks:<id>`. Idempotent: a second run finds everything by externalRef and only
 * refreshes the offers' content. With problems, nothing is written unless `skipInvalid`.
 */
export async function importKnowledgeShare(
  data: unknown,
  deps: { offers: OfferService; organisations: OrganisationService },
  actor: Actor,
  options: { skipInvalid?: boolean } = {},
): Promise<KsImportReport> {
  const { entries, problems } = parseKnowledgeShare(data);
  const report: KsImportReport = {
    entries: entries.length + problems.length,
    problems,
    aborted: false,
    organisations: { created: 0, existing: 0 },
    universities: { created: 0, existing: 0 },
    offers: { created: 0, updated: 0 },
  };
  if (problems.length > 0 && !options.skipInvalid) {
    report.aborted = true;
    return report;
  }
  const { offers, organisations } = deps;
  // Validate every offer before writing anything (the source may hold values our rules refuse).
  for (const entry of entries) {
    try {
      offers.validate('offer', offerInputOf(entry));
    } catch (error) {
      const messages = (error as { problems?: { field: string; code: string }[] }).problems?.map((p) => `${p.field}: ${p.code}`) ?? [String(error)];
      problems.push({ id: String(entry.id), messages });
    }
  }
  const valid = entries.filter((e) => !problems.some((p) => p.id === String(e.id)));
  if (problems.length > 0 && !options.skipInvalid) {
    report.aborted = true;
    return report;
  }
  const changed: string[] = [];
  await offers.database.transaction().execute(async (trx: Transaction<DB>) => {
    const owners = new Map<number, string>();
    for (const entry of valid) {
      for (const owner of entry.owners) {
        if (owners.has(owner.id)) continue;
        const existing = await organisations.repo.findByExternalRef(ksOwnerRef(owner.id), trx);
        if (existing) {
          owners.set(owner.id, existing.id);
          report.universities.existing++;
        } else {
          owners.set(owner.id, await organisations.create(trx, blankOrganisation(owner.name, ownerType(owner.name), null), actor, ksOwnerRef(owner.id)));
          report.universities.created++;
        }
      }
      let orgId: string;
      const existingOrg = await organisations.repo.findByExternalRef(ksRef(entry.id), trx);
      if (existingOrg) {
        orgId = existingOrg.id;
        report.organisations.existing++;
      } else {
        orgId = await organisations.create(trx, blankOrganisation(entry.name, 'spin_off', entry.abstract.slice(0, 5000) || null), actor, ksRef(entry.id));
        report.organisations.created++;
      }
      for (const owner of entry.owners) {
        await trx
          .insertInto('organisation_relations')
          .values({ organisation_id: orgId, related_organisation_id: owners.get(owner.id)!, relation: 'spin_off_of' })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      const input = offerInputOf(entry);
      const existingOffer = await offers.repo.findOfferByExternalRef(ksRef(entry.id), trx);
      if (existingOffer) {
        await offers.update('offer', existingOffer.id, input, ANONYMOUS, actor, { conn: trx });
        changed.push(existingOffer.id);
        report.offers.updated++;
      } else {
        changed.push(await offers.create('offer', orgId, input, ANONYMOUS, actor, { externalRef: ksRef(entry.id), publish: true, conn: trx }));
        report.offers.created++;
      }
    }
    await audit(trx, actor, {
      action: 'knowledge_share.imported',
      entityType: 'import',
      after: { entries: report.entries, organisations: report.organisations, universities: report.universities, offers: report.offers, skipped: problems.map((p) => p.id) },
    });
  });
  await offers.notifyChanged('offer', changed);
  return report;
}
