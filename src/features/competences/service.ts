import type { Kysely, Transaction } from 'kysely';
import type { CompetenceLevel, DB, FacilityType, Visibility } from '../../db/schema.js';
import { COMPETENCE_LEVELS, FACILITY_TYPES, VISIBILITIES } from '../../db/schema.js';
import { audit, type Actor } from '../../platform/audit.js';
import { administersOrganisation, belongsToOrganisation, isRegionAdmin, managesCluster, organisationIds, type Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { FieldErrors } from '../../platform/field-errors.js';
import { LOMBARDY_PROVINCES } from '../../platform/identifiers/index.js';
import type { SearchService } from '../search/service.js';
import { normaliseOrcid } from './orcid.js';
import { CompetenceRepository } from './repository.js';

export const AREA_CODE = /^[A-Z0-9]{1,12}(\.[A-Z0-9]{1,12}){0,4}$/;
export const CONCEPT_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_SYNONYMS = 30;
const MAX_COMPETENCES = 200;

export interface AreaInput {
  code?: string;
  parentCode?: string;
  labelIt: string;
  labelEn: string;
  synonymsIt: string;
  synonymsEn: string;
  conceptCode?: string;
}

export interface CompetenceInput {
  /** `cluster-slug:CODE` (or the area id). */
  area: string;
  level: string;
  descriptionIt: string;
  descriptionEn: string;
}

export interface FacilityInput {
  name: string;
  type: string;
  descriptionIt: string;
  descriptionEn: string;
  accreditations: string;
  accessIt: string;
  accessEn: string;
  city: string;
  provinceCode: string;
  countryCode: string;
  areas: string[];
  visibility: string;
}

export interface ExpertiseInput {
  organisationId: string;
  headline: string;
  summaryIt: string;
  summaryEn: string;
  keywords: string;
  areas: string[];
  orcid: string;
  visibility: string;
}

export type AreaRow = Awaited<ReturnType<CompetenceRepository['areas']>>[number];

/** Comma- or newline-separated list, trimmed, de-duplicated (case-insensitively), bounded. */
export function splitList(text: string, max = MAX_SYNONYMS): string[] {
  const seen = new Map<string, string>();
  for (const part of text.split(/[,;\n]/)) {
    const value = part.trim().replace(/\s+/g, ' ');
    if (value && value.length <= 80 && !seen.has(value.toLowerCase())) seen.set(value.toLowerCase(), value);
  }
  return [...seen.values()].slice(0, max);
}

function text(value: string, max: number, errors: FieldErrors, field: string, required = false): string | null {
  const v = value.trim();
  if (!v) {
    if (required) errors.add(field, 'required');
    return null;
  }
  if (v.length > max) errors.add(field, 'too_long', { max });
  return v;
}

/**
 * The competence map: each cluster's taxonomy (managed by its managers), what organisations
 * declare (by their administrators, curated by their clusters' managers), their facilities, and
 * people's own expertise. Every write is audited and re-indexes the search documents it touches.
 */
export class CompetenceService {
  readonly repo: CompetenceRepository;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly search: SearchService,
  ) {
    this.repo = new CompetenceRepository(db);
  }

  // ------------------------------------------------------------------ taxonomy

  areas(clusterId: string) {
    return this.repo.areas(clusterId);
  }

  allAreas() {
    return this.repo.allAreas();
  }

  /** An area by code, retired or not (retired codes stay resolvable). */
  async area(clusterId: string, code: string) {
    const area = await this.repo.areaByCode(clusterId, code);
    if (!area) throw new AppError('competence.area_not_found', { code });
    return area;
  }

  concepts() {
    return this.repo.concepts();
  }

  conceptAreas() {
    return this.repo.conceptAreas();
  }

  private async validateArea(trx: Transaction<DB>, clusterId: string, input: AreaInput, existing: AreaRow | null) {
    const errors = new FieldErrors();
    const code = existing ? existing.code : (input.code ?? '').trim().toUpperCase();
    if (!existing) {
      if (!code) errors.add('code', 'required');
      else if (!AREA_CODE.test(code)) errors.add('code', 'code_format');
      else if (await this.repo.areaByCode(clusterId, code, trx)) errors.add('code', 'code_taken', { code });
    }
    const labelIt = text(input.labelIt, 120, errors, 'labelIt', true);
    const labelEn = text(input.labelEn, 120, errors, 'labelEn');
    const synonymsIt = splitList(input.synonymsIt);
    const synonymsEn = splitList(input.synonymsEn);
    let parentId: string | null = null;
    const parentCode = (input.parentCode ?? '').trim().toUpperCase();
    if (parentCode) {
      const parent = await this.repo.areaByCode(clusterId, parentCode, trx);
      if (!parent) errors.add('parentCode', 'parent_unknown', { code: parentCode });
      else if (existing) {
        // Walk up from the new parent: meeting the area itself would make a cycle.
        const all = await this.repo.areas(clusterId, trx);
        const byId = new Map(all.map((a) => [a.id, a]));
        let cursor: AreaRow | undefined = byId.get(parent.id);
        for (let i = 0; cursor && i < 20; i += 1) {
          if (cursor.id === existing.id) {
            errors.add('parentCode', 'parent_cycle');
            break;
          }
          cursor = cursor.parent_id ? byId.get(cursor.parent_id) : undefined;
        }
      }
      if (parent) parentId = parent.id;
    }
    let conceptId: string | null = null;
    const conceptCode = (input.conceptCode ?? '').trim().toLowerCase();
    if (conceptCode) {
      const concept = await this.repo.conceptByCode(conceptCode, trx);
      if (!concept) errors.add('conceptCode', 'concept_unknown', { code: conceptCode });
      else conceptId = concept.id;
    }
    errors.throwIfAny();
    return { code, labelIt: labelIt!, labelEn, synonymsIt, synonymsEn, parentId, conceptId };
  }

  async createArea(clusterId: string, input: AreaInput, actor: Actor): Promise<string> {
    const id = await this.db.transaction().execute(async (trx) => {
      const v = await this.validateArea(trx, clusterId, input, null);
      const siblings = (await this.repo.areas(clusterId, trx)).filter((a) => a.parent_id === v.parentId);
      const row = await trx
        .insertInto('competence_areas')
        .values({
          cluster_id: clusterId,
          code: v.code,
          parent_id: v.parentId,
          label_it: v.labelIt,
          label_en: v.labelEn,
          synonyms_it: v.synonymsIt,
          synonyms_en: v.synonymsEn,
          concept_id: v.conceptId,
          position: siblings.length,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'competence_area.created', entityType: 'competence_area', entityId: row.id, clusterId, after: { ...v } });
      await this.search.changed(trx, { taxonomy: true });
      return row.id;
    });
    await this.search.afterWrite();
    return id;
  }

  /** Rename, edit synonyms, move under another parent, map to a concept: the code never changes. */
  async updateArea(clusterId: string, code: string, input: AreaInput, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const all = await this.repo.areas(clusterId, trx);
      const existing = all.find((a) => a.code === code);
      if (!existing) throw new AppError('competence.area_not_found', { code });
      const v = await this.validateArea(trx, clusterId, input, existing);
      const before = {
        labelIt: existing.label_it, labelEn: existing.label_en, synonymsIt: existing.synonyms_it, synonymsEn: existing.synonyms_en,
        parentId: existing.parent_id, conceptId: existing.concept_id,
      };
      const after = { labelIt: v.labelIt, labelEn: v.labelEn, synonymsIt: v.synonymsIt, synonymsEn: v.synonymsEn, parentId: v.parentId, conceptId: v.conceptId };
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      await trx
        .updateTable('competence_areas')
        .set({
          label_it: v.labelIt, label_en: v.labelEn, synonyms_it: v.synonymsIt, synonyms_en: v.synonymsEn, parent_id: v.parentId, concept_id: v.conceptId,
          updated_at: new Date(),
        })
        .where('id', '=', existing.id)
        .execute();
      const moved = before.parentId !== after.parentId;
      const action = moved ? 'competence_area.moved' : 'competence_area.updated';
      await audit(trx, actor, { action, entityType: 'competence_area', entityId: existing.id, clusterId, before, after: { code, ...after } });
      await this.reindexDeclaring(trx, [existing.id, ...descendants(all, existing.id)]);
    });
    await this.search.afterWrite();
  }

  async setRetired(clusterId: string, code: string, retired: boolean, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await this.repo.areaByCode(clusterId, code, trx);
      if (!existing) throw new AppError('competence.area_not_found', { code });
      if ((existing.retired_at !== null) === retired) return;
      await trx.updateTable('competence_areas').set({ retired_at: retired ? new Date() : null, updated_at: new Date() }).where('id', '=', existing.id).execute();
      await audit(trx, actor, {
        action: retired ? 'competence_area.retired' : 'competence_area.restored',
        entityType: 'competence_area',
        entityId: existing.id,
        clusterId,
        before: { code, retired: !retired },
        after: { code, retired },
      });
      await this.reindexDeclaring(trx, [existing.id]);
    });
    await this.search.afterWrite();
  }

  /** A taxonomy change reaches every document declaring the areas: queued, drained right after. */
  private async reindexDeclaring(trx: Transaction<DB>, areaIds: string[]): Promise<void> {
    const { organisations, people } = await this.repo.organisationsDeclaring(trx, areaIds);
    await this.search.enqueue(trx, 'organisation', organisations);
    await this.search.enqueue(trx, 'person', people);
    await this.search.changed(trx, { taxonomy: true });
  }

  async createConcept(input: { code: string; labelIt: string; labelEn: string }, actor: Actor): Promise<void> {
    const errors = new FieldErrors();
    const code = input.code.trim().toLowerCase();
    if (!code) errors.add('code', 'required');
    else if (!CONCEPT_CODE.test(code) || code.length > 60) errors.add('code', 'concept_format');
    else if (await this.repo.conceptByCode(code)) errors.add('code', 'concept_taken', { code });
    const labelIt = text(input.labelIt, 120, errors, 'labelIt', true);
    const labelEn = text(input.labelEn, 120, errors, 'labelEn');
    errors.throwIfAny();
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('network_concepts').values({ code, label_it: labelIt!, label_en: labelEn }).returning('id').executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'network_concept.created', entityType: 'network_concept', entityId: row.id, after: { code, labelIt, labelEn } });
      await this.search.changed(trx, { taxonomy: true });
    });
    await this.search.afterWrite();
  }

  /** Resolve `slug:CODE` (or an area id) to an area; errors name the field. */
  private async resolveArea(ref: string, field: string, errors: FieldErrors, options: { allowRetiredIds?: Set<string> } = {}): Promise<string | null> {
    const value = ref.trim();
    if (!value) return null;
    const all = await this.allAreasCached();
    const area = all.byKey.get(value) ?? all.byId.get(value);
    if (!area) {
      errors.add(field, 'area_unknown', { code: value.slice(0, 60) });
      return null;
    }
    if (area.retired_at && !options.allowRetiredIds?.has(area.id)) {
      errors.add(field, 'area_retired', { code: area.code });
      return null;
    }
    return area.id;
  }

  private async allAreasCached() {
    const rows = await this.repo.allAreas();
    return {
      byKey: new Map(rows.map((r) => [`${r.slug}:${r.code}`, r])),
      byId: new Map(rows.map((r) => [r.id, r])),
    };
  }

  // ------------------------------------------------------------------ organisation competences

  competences(organisationId: string) {
    return this.repo.competences(organisationId);
  }

  async addCompetence(organisationId: string, input: CompetenceInput, actor: Actor): Promise<void> {
    const errors = new FieldErrors();
    const areaId = await this.resolveArea(input.area, 'area', errors);
    const level = (COMPETENCE_LEVELS as readonly string[]).includes(input.level) ? (input.level as CompetenceLevel) : null;
    if (!level) errors.add('level', 'one_of', { values: COMPETENCE_LEVELS.join(', ') });
    const descriptionIt = text(input.descriptionIt, 1000, errors, 'descriptionIt');
    const descriptionEn = text(input.descriptionEn, 1000, errors, 'descriptionEn');
    if (!areaId && !descriptionIt && !errors.has('area')) errors.add('area', 'competence_what');
    const current = await this.repo.competences(organisationId);
    if (current.length >= MAX_COMPETENCES) errors.add('area', 'too_many', { max: MAX_COMPETENCES });
    errors.throwIfAny();
    await this.db.transaction().execute(async (trx) => {
      const existing = areaId ? current.find((c) => c.area_id === areaId) : undefined;
      const values = { level: level!, description_it: descriptionIt, description_en: descriptionEn };
      let id: string;
      if (existing) {
        await trx.updateTable('organisation_competences').set({ ...values, updated_at: new Date() }).where('id', '=', existing.id).execute();
        id = existing.id;
      } else {
        id = (await trx.insertInto('organisation_competences').values({ organisation_id: organisationId, area_id: areaId, ...values }).returning('id').executeTakeFirstOrThrow()).id;
      }
      await audit(trx, actor, {
        action: existing ? 'competence.updated' : 'competence.declared',
        entityType: 'organisation_competence',
        entityId: id,
        organisationId,
        before: existing ? { level: existing.level, descriptionIt: existing.description_it, descriptionEn: existing.description_en } : undefined,
        after: { area: input.area.trim() || null, level, descriptionIt, descriptionEn },
      });
      await this.reindexOrganisation(trx, organisationId);
    });
    await this.search.afterWrite();
  }

  async removeCompetence(organisationId: string, competenceId: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = (await this.repo.competences(organisationId, trx)).find((c) => c.id === competenceId);
      if (!existing) throw new AppError('competence.not_found');
      await trx.deleteFrom('organisation_competences').where('id', '=', competenceId).execute();
      await audit(trx, actor, {
        action: 'competence.removed',
        entityType: 'organisation_competence',
        entityId: competenceId,
        organisationId,
        before: { area: existing.cluster_slug ? `${existing.cluster_slug}:${existing.code}` : null, level: existing.level, descriptionIt: existing.description_it },
      });
      await this.reindexOrganisation(trx, organisationId);
    });
    await this.search.afterWrite();
  }

  /** Replace the whole list (API): every item validated first; nothing changes on any error. */
  async replaceCompetences(organisationId: string, items: CompetenceInput[], actor: Actor): Promise<void> {
    const errors = new FieldErrors();
    const current = await this.repo.competences(organisationId);
    const keepRetired = new Set(current.map((c) => c.area_id).filter((id): id is string => !!id));
    const rows: { area_id: string | null; level: CompetenceLevel; description_it: string | null; description_en: string | null }[] = [];
    const seen = new Set<string>();
    if (items.length > MAX_COMPETENCES) errors.add('competences', 'too_many', { max: MAX_COMPETENCES });
    for (const [i, item] of items.slice(0, MAX_COMPETENCES).entries()) {
      const p = `competences.${i}.`;
      const areaId = await this.resolveArea(item.area, `${p}area`, errors, { allowRetiredIds: keepRetired });
      const level = (COMPETENCE_LEVELS as readonly string[]).includes(item.level) ? (item.level as CompetenceLevel) : null;
      if (!level) errors.add(`${p}level`, 'one_of', { values: COMPETENCE_LEVELS.join(', ') });
      const descriptionIt = text(item.descriptionIt, 1000, errors, `${p}descriptionIt`);
      const descriptionEn = text(item.descriptionEn, 1000, errors, `${p}descriptionEn`);
      if (!areaId && !descriptionIt && !errors.has(`${p}area`)) errors.add(`${p}area`, 'competence_what');
      if (areaId && seen.has(areaId)) errors.add(`${p}area`, 'duplicate_in_file', { row: i + 1 });
      if (areaId) seen.add(areaId);
      if (level) rows.push({ area_id: areaId, level, description_it: descriptionIt, description_en: descriptionEn });
    }
    errors.throwIfAny();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('organisation_competences').where('organisation_id', '=', organisationId).execute();
      if (rows.length > 0) await trx.insertInto('organisation_competences').values(rows.map((r) => ({ ...r, organisation_id: organisationId }))).execute();
      await audit(trx, actor, {
        action: 'competence.replaced',
        entityType: 'organisation',
        entityId: organisationId,
        organisationId,
        before: current.map((c) => ({ area: c.cluster_slug ? `${c.cluster_slug}:${c.code}` : null, level: c.level })),
        after: items.map((c) => ({ area: c.area || null, level: c.level })),
      });
      await this.reindexOrganisation(trx, organisationId);
    });
    await this.search.afterWrite();
  }

  private async reindexOrganisation(trx: Transaction<DB>, organisationId: string): Promise<void> {
    await this.search.reindex(trx, { organisationIds: [organisationId] });
    await this.search.changed(trx);
  }

  // ------------------------------------------------------------------ facilities

  facilities(organisationId: string) {
    return this.repo.facilities(organisationId);
  }

  private async validateFacility(input: FacilityInput) {
    const errors = new FieldErrors();
    const name = text(input.name, 200, errors, 'name', true);
    const type = (FACILITY_TYPES as readonly string[]).includes(input.type) ? (input.type as FacilityType) : null;
    if (!type) errors.add('type', 'one_of', { values: FACILITY_TYPES.join(', ') });
    const visibility = (VISIBILITIES as readonly string[]).includes(input.visibility) ? (input.visibility as Visibility) : null;
    if (!visibility) errors.add('visibility', 'one_of', { values: VISIBILITIES.join(', ') });
    const countryCode = (input.countryCode.trim() || 'IT').toUpperCase();
    if (!/^[A-Z]{2}$/.test(countryCode)) errors.add('countryCode', 'country');
    const provinceCode = input.provinceCode.trim().toUpperCase() || null;
    if (provinceCode && !/^[A-Z]{2}$/.test(provinceCode)) errors.add('provinceCode', 'one_of', { values: LOMBARDY_PROVINCES.map((p) => p.sigla).join(', ') });
    const areaIds: string[] = [];
    for (const ref of input.areas.filter((a) => a.trim()).slice(0, 30)) {
      const id = await this.resolveArea(ref, 'areas', errors);
      if (id && !areaIds.includes(id)) areaIds.push(id);
    }
    const values = {
      name: name!,
      type: type!,
      description_it: text(input.descriptionIt, 4000, errors, 'descriptionIt'),
      description_en: text(input.descriptionEn, 4000, errors, 'descriptionEn'),
      accreditations: splitList(input.accreditations, 20),
      access_conditions_it: text(input.accessIt, 2000, errors, 'accessIt'),
      access_conditions_en: text(input.accessEn, 2000, errors, 'accessEn'),
      city: text(input.city, 120, errors, 'city'),
      province_code: provinceCode,
      country_code: countryCode,
      area_ids: areaIds,
      visibility: visibility!,
    };
    errors.throwIfAny();
    return values;
  }

  async createFacility(organisationId: string, input: FacilityInput, actor: Actor): Promise<string> {
    const values = await this.validateFacility(input);
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('facilities').values({ organisation_id: organisationId, ...values }).returning('id').executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'facility.created', entityType: 'facility', entityId: row.id, organisationId, after: values });
      await this.reindexOrganisation(trx, organisationId);
      return row.id;
    });
    await this.search.afterWrite();
    return id;
  }

  async updateFacility(organisationId: string, facilityId: string, input: FacilityInput, actor: Actor): Promise<void> {
    const before = await this.ownFacility(organisationId, facilityId);
    const values = await this.validateFacility(input);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('facilities').set({ ...values, updated_at: new Date() }).where('id', '=', facilityId).execute();
      const { organisation_name: _, created_at: __, updated_at: ___, ...old } = before;
      await audit(trx, actor, { action: 'facility.updated', entityType: 'facility', entityId: facilityId, organisationId, before: old, after: values });
      await this.reindexOrganisation(trx, organisationId);
    });
    await this.search.afterWrite();
  }

  async deleteFacility(organisationId: string, facilityId: string, actor: Actor): Promise<void> {
    const before = await this.ownFacility(organisationId, facilityId);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('facilities').where('id', '=', facilityId).execute();
      await audit(trx, actor, { action: 'facility.deleted', entityType: 'facility', entityId: facilityId, organisationId, before: { name: before.name, type: before.type } });
      await this.reindexOrganisation(trx, organisationId);
    });
    await this.search.afterWrite();
  }

  async ownFacility(organisationId: string, facilityId: string) {
    const f = await this.repo.facility(facilityId);
    if (!f || f.organisation_id !== organisationId) throw new AppError('facility.not_found');
    return f;
  }

  /**
   * What the viewer may see of one organisation's items: `public` always; `members` when the
   * viewer's organisations share an admitted cluster with it; `private` for its own people, the
   * managers of its clusters (curation) and the Region. Two queries at most, whatever the items.
   */
  async visibilityFor(principal: Principal | null, organisationId: string): Promise<Set<Visibility>> {
    const allowed = new Set<Visibility>(['public']);
    if (!principal) return allowed;
    if (isRegionAdmin(principal) || belongsToOrganisation(principal, organisationId) || administersOrganisation(principal, organisationId)) {
      return new Set(VISIBILITIES);
    }
    const ownerClusters = await this.repo.admittedClusters([organisationId]);
    if (ownerClusters.some((c) => managesCluster(principal, c))) return new Set(VISIBILITIES);
    const mine = await this.repo.admittedClusters(organisationIds(principal));
    if (ownerClusters.some((c) => mine.includes(c))) allowed.add('members');
    return allowed;
  }

  /** Whether the viewer may see an item of this organisation with this visibility. */
  async maySee(principal: Principal | null, organisationId: string, visibility: Visibility): Promise<boolean> {
    if (visibility === 'public') return true;
    return (await this.visibilityFor(principal, organisationId)).has(visibility);
  }

  /** A facility as the viewer may see it (a hidden one is "not found", never "forbidden"). */
  async visibleFacility(facilityId: string, principal: Principal | null) {
    const f = await this.repo.facility(facilityId);
    if (!f || !(await this.maySee(principal, f.organisation_id, f.visibility))) throw new AppError('facility.not_found');
    return f;
  }

  async visibleFacilities(organisationId: string, principal: Principal | null) {
    const all = await this.repo.facilities(organisationId);
    if (all.every((f) => f.visibility === 'public')) return all;
    const allowed = await this.visibilityFor(principal, organisationId);
    return all.filter((f) => allowed.has(f.visibility));
  }

  // ------------------------------------------------------------------ people's expertise

  expertise(personId: string) {
    return this.repo.expertise(personId);
  }

  affiliations(personId: string) {
    return this.repo.affiliations(personId);
  }

  /** Opt in (or update): only the person themself calls this. */
  async saveExpertise(personId: string, input: ExpertiseInput, actor: Actor): Promise<void> {
    const errors = new FieldErrors();
    const affiliations = await this.repo.affiliations(personId);
    const organisationId = input.organisationId.trim() || null;
    if (organisationId && !affiliations.some((a) => a.id === organisationId)) errors.add('organisationId', 'affiliation');
    const visibility = (VISIBILITIES as readonly string[]).includes(input.visibility) ? (input.visibility as Visibility) : null;
    if (!visibility) errors.add('visibility', 'one_of', { values: VISIBILITIES.join(', ') });
    let orcid: string | null = null;
    if (input.orcid.trim()) {
      orcid = normaliseOrcid(input.orcid);
      if (!orcid) errors.add('orcid', 'orcid');
    }
    const existing = await this.repo.expertise(personId);
    const keepRetired = new Set(existing?.area_ids ?? []);
    const areaIds: string[] = [];
    for (const ref of input.areas.filter((a) => a.trim()).slice(0, 30)) {
      const id = await this.resolveArea(ref, 'areas', errors, { allowRetiredIds: keepRetired });
      if (id && !areaIds.includes(id)) areaIds.push(id);
    }
    const values = {
      organisation_id: organisationId,
      headline: text(input.headline, 200, errors, 'headline'),
      summary_it: text(input.summaryIt, 4000, errors, 'summaryIt'),
      summary_en: text(input.summaryEn, 4000, errors, 'summaryEn'),
      keywords: splitList(input.keywords, 30),
      area_ids: areaIds,
      orcid,
      visibility: visibility!,
    };
    errors.throwIfAny();
    await this.db.transaction().execute(async (trx) => {
      if (existing) {
        await trx.updateTable('person_expertise').set({ ...values, updated_at: new Date() }).where('person_id', '=', personId).execute();
      } else {
        await trx.insertInto('person_expertise').values({ person_id: personId, ...values, opted_in_at: new Date(), updated_at: new Date() }).execute();
      }
      await audit(trx, actor, {
        action: existing ? 'expertise.updated' : 'expertise.opted_in',
        entityType: 'person_expertise',
        entityId: personId,
        organisationId,
        before: existing
          ? { organisationId: existing.organisation_id, headline: existing.headline, keywords: existing.keywords, areaIds: existing.area_ids, orcid: existing.orcid, visibility: existing.visibility }
          : undefined,
        after: { organisationId, headline: values.headline, keywords: values.keywords, areaIds, orcid, visibility },
      });
      await this.search.reindex(trx, { personIds: [personId] });
      await this.search.changed(trx);
    });
    await this.search.afterWrite();
  }

  /** Opt out: the expertise and its search document are deleted. */
  async withdrawExpertise(personId: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await this.repo.expertise(personId, trx);
      if (!existing) throw new AppError('expertise.not_found');
      await trx.deleteFrom('person_expertise').where('person_id', '=', personId).execute();
      await audit(trx, actor, { action: 'expertise.withdrawn', entityType: 'person_expertise', entityId: personId, organisationId: existing.organisation_id, before: { visibility: existing.visibility } });
      await this.search.reindex(trx, { personIds: [personId] });
      await this.search.changed(trx);
    });
    await this.search.afterWrite();
  }

  /** A person's expertise as the viewer may see it; private means the person alone. */
  async visibleExpertise(personId: string, principal: Principal | null) {
    const e = await this.repo.expertise(personId);
    if (!e || e.deleted_at) throw new AppError('expertise.not_found');
    if (principal?.personId === personId) return e;
    if (e.visibility === 'private') throw new AppError('expertise.not_found');
    if (e.visibility === 'members') {
      const ok = !!principal && (e.organisation_id ? await this.maySee(principal, e.organisation_id, 'members') : isRegionAdmin(principal));
      if (!ok) throw new AppError('expertise.not_found');
    }
    return e;
  }

  areasByIds(ids: string[]) {
    return this.repo.areasByIds(ids);
  }

  // ------------------------------------------------------------------ coverage

  /**
   * For each area of the cluster's taxonomy: how many member organisations declare it (or a
   * sub-area) at each level, how many other organisations of the network do, and the gaps.
   */
  async coverage(clusterId: string) {
    const [areas, declarations, members] = await Promise.all([
      this.repo.areas(clusterId),
      this.repo.declarationsForCluster(clusterId),
      this.repo.memberCount(clusterId),
    ]);
    const children = new Map<string | null, AreaRow[]>();
    for (const a of areas) children.set(a.parent_id, [...(children.get(a.parent_id) ?? []), a]);
    const rank: Record<CompetenceLevel, number> = { core: 0, experienced: 1, emerging: 2 };
    const rows: {
      area: AreaRow;
      depth: number;
      core: number;
      experienced: number;
      emerging: number;
      members: number;
      network: number;
    }[] = [];
    const visit = (parent: string | null, depth: number) => {
      for (const area of children.get(parent) ?? []) {
        const ids = new Set([area.id, ...descendants(areas, area.id)]);
        const best = new Map<string, CompetenceLevel>();
        const others = new Set<string>();
        for (const d of declarations) {
          if (!d.area_id || !ids.has(d.area_id)) continue;
          if (d.member) {
            const prev = best.get(d.organisation_id);
            if (!prev || rank[d.level] < rank[prev]) best.set(d.organisation_id, d.level);
          } else if (d.in_network) others.add(d.organisation_id);
        }
        const levels = [...best.values()];
        rows.push({
          area,
          depth,
          core: levels.filter((l) => l === 'core').length,
          experienced: levels.filter((l) => l === 'experienced').length,
          emerging: levels.filter((l) => l === 'emerging').length,
          members: best.size,
          network: others.size,
        });
        visit(area.id, depth + 1);
      }
    };
    visit(null, 0);
    return { rows, memberCount: members };
  }
}

/** Ids of every area below `id` in the tree. */
export function descendants(all: { id: string; parent_id: string | null }[], id: string): string[] {
  const out: string[] = [];
  const queue = [id];
  while (queue.length > 0 && out.length < 10_000) {
    const current = queue.shift()!;
    for (const a of all) {
      if (a.parent_id === current && !out.includes(a.id)) {
        out.push(a.id);
        queue.push(a.id);
      }
    }
  }
  return out;
}
