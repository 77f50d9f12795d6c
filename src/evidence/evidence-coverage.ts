/**
 * The paperwork index: of the values reported for a period (and the periods inside it) under an org unit, the
 * share that carries evidence, by institution, pillar or province.
 *
 * - A value carries evidence when a file or link is attached to its key, to its indicator's total for the same
 *   unit and period (data entry attaches evidence per indicator, and it verifies the breakdowns too), or to the
 *   submission of its unit, period and framework.
 * - A value's institution is, as for completeness, the first of its indicator's institutions whose org unit is
 *   the value's unit or an ancestor of it, else the first listed; values of indicators without one are left out.
 * - A value's province is the province it lies in, or its own unit when that is above the provinces (federal).
 */
import type { Queryable } from '../db/database.ts';
import { parsePeriod } from '../domain/period.ts';
import { InputError } from '../domain/row-error.ts';
import { statusesAtStage, type ReadStage } from '../domain/workflow.ts';
import { responsibleInstitution } from '../analytics/responsible-institution.ts';

export type CoverageBy = 'institution' | 'pillar' | 'province';
export const COVERAGE_BY: readonly CoverageBy[] = ['institution', 'pillar', 'province'];

export interface CoverageParams {
  framework?: string;
  period: string;
  orgUnit: string;
  by: CoverageBy;
  /** Count only values whose submission has reached this stage (a review pack's). */
  stage?: ReadStage;
}

export interface CoverageRow {
  key: string;
  nameEn: string;
  nameUr: string;
  values: number;
  withEvidence: number;
  /** withEvidence / values, 0–1; a group only appears when it has values. */
  share: number;
}

const VALUES = `
  SELECT d.indicator_id, d.org_unit_id, pl.id AS pillar_id,
         (EXISTS (SELECT 1 FROM evidence e
                   WHERE e.indicator_id = d.indicator_id AND e.org_unit_id = d.org_unit_id AND e.period_id = d.period_id
                     AND e.disagg IN (d.disagg, ''))
          OR EXISTS (SELECT 1 FROM evidence e JOIN submission s ON s.id = e.submission_id
                      WHERE s.framework_id = pl.framework_id AND s.org_unit_id = d.org_unit_id AND s.period_id = d.period_id)) AS covered
    FROM data_value d
    JOIN period p ON p.id = d.period_id
    JOIN indicator i ON i.id = d.indicator_id JOIN objective ob ON ob.id = i.objective_id JOIN pillar pl ON pl.id = ob.pillar_id
    JOIN framework fw ON fw.id = pl.framework_id
   WHERE p.start_date >= $1::date AND p.end_date <= $2::date
     AND d.org_unit_id IN (SELECT descendant_id FROM org_unit_closure WHERE ancestor_id = $3)
     AND ($4::text IS NULL OR fw.code = $4::text)
     AND ($5::text[] IS NULL OR EXISTS (SELECT 1 FROM submission st WHERE st.framework_id = pl.framework_id
            AND st.org_unit_id = d.org_unit_id AND st.period_id = d.period_id AND st.status = ANY($5::text[])))`;

const COUNTS = 'count(*)::int AS values, count(*) FILTER (WHERE v.covered)::int AS with_evidence';

const GROUPED: Record<CoverageBy, string> = {
  pillar: `
    SELECT g.code AS key, g.name_en, g.name_ur, ${COUNTS}
      FROM v JOIN pillar g ON g.id = v.pillar_id JOIN framework fw ON fw.id = g.framework_id
     GROUP BY g.id, g.code, g.name_en, g.name_ur, fw.code, g.sort ORDER BY fw.code, g.sort, g.code`,
  institution: `
    SELECT g.code AS key, g.name_en, g.name_ur, ${COUNTS}
      FROM v
      JOIN LATERAL ${responsibleInstitution('v')} x ON true
      JOIN institution g ON g.id = x.institution_id
     GROUP BY g.code, g.name_en, g.name_ur ORDER BY g.code`,
  province: `
    SELECT g.code AS key, g.name_en, g.name_ur, ${COUNTS}
      FROM v
      LEFT JOIN LATERAL (
        SELECT a.id FROM org_unit_closure c JOIN org_unit a ON a.id = c.ancestor_id
         WHERE c.descendant_id = v.org_unit_id AND a.level = 'province' LIMIT 1
      ) pr ON true
      JOIN org_unit g ON g.id = COALESCE(pr.id, v.org_unit_id)
     GROUP BY g.code, g.name_en, g.name_ur ORDER BY g.code`,
};

function unknown(field: string, message: string): InputError {
  return new InputError([{ row: 0, field, code: 'unknown', message }]);
}

export async function evidenceCoverage(db: Queryable, params: CoverageParams): Promise<CoverageRow[]> {
  const period = parsePeriod(params.period);
  const unit = (await db.query<{ id: number }>('SELECT id FROM org_unit WHERE code = $1', [params.orgUnit])).rows[0];
  if (!unit) throw unknown('orgUnit', `no org unit ${params.orgUnit}`);
  if (params.framework && (await db.query('SELECT 1 FROM framework WHERE code = $1', [params.framework])).rows.length === 0) {
    throw unknown('framework', `no framework ${params.framework}`);
  }
  const rows = (await db.query<{ key: string; name_en: string; name_ur: string; values: number; with_evidence: number }>(
    `WITH v AS (${VALUES}) ${GROUPED[params.by]}`, [period.start, period.end, unit.id, params.framework ?? null, params.stage ? statusesAtStage(params.stage) : null])).rows;
  return rows.map((r) => ({
    key: r.key, nameEn: r.name_en, nameUr: r.name_ur, values: r.values, withEvidence: r.with_evidence, share: r.with_evidence / r.values,
  }));
}
