import type { Queryable } from '../db/database.ts';
import type { UnitType } from '../domain/framework.ts';
import { parsePeriod, PeriodError, type Period } from '../domain/period.ts';
import { DisaggregationError, formatDisaggregation, parseDisaggregation } from '../domain/disaggregation.ts';

export interface IndicatorLookup {
  id: number;
  code: string;
  unitType: UnitType;
  frequency: string;
  lowestLevel: 'federal' | 'province' | 'district';
  minValue: number | null;
  maxValue: number | null;
  /** category code → option codes */
  categories: Map<string, Set<string>>;
}

export interface OrgUnitLookup {
  id: number;
  code: string;
  level: string;
  validFrom: string | null;
  validTo: string | null;
}

/** Code → id lookups for one import, loaded once; periods are added as the file names them. */
export class ImportLookups {
  private readonly periodIds = new Map<string, number>();
  // A file repeats a handful of period and disaggregation codes a million times: parse each once.
  private readonly periods = new Map<string, Period | PeriodError>();
  private readonly disaggregations = new Map<string, { key: string; parts: Map<string, string> } | DisaggregationError>();

  private constructor(
    readonly indicators: Map<string, IndicatorLookup>,
    readonly orgUnits: Map<string, OrgUnitLookup>,
  ) {}

  /**
   * Loads the lookups; `only` narrows them to the codes a small input names (a form's single value),
   * so saving one value does not read the whole framework. Unknown codes stay unknown either way.
   */
  static async load(db: Queryable, only?: { indicators: string[]; orgUnits: string[]; periods: string[] }): Promise<ImportLookups> {
    const ind = await db.query<{
      id: number; code: string; unit_type: UnitType; frequency: string; lowest_level: IndicatorLookup['lowestLevel'];
      min_value: number | null; max_value: number | null; category: string | null; option: string | null;
    }>(
      `SELECT i.id, i.code, i.unit_type, i.frequency, i.lowest_level, i.min_value, i.max_value, c.code AS category, o.code AS option
         FROM indicator i
         LEFT JOIN indicator_disaggregation idg ON idg.indicator_id = i.id
         LEFT JOIN disaggregation_category c ON c.id = idg.category_id
         LEFT JOIN disaggregation_option o ON o.category_id = c.id
        ${only ? 'WHERE i.code = ANY($1::text[]) OR i.code = ANY($2::text[])' : ''}`,
      only ? [only.indicators, only.indicators.map((c) => c.toUpperCase())] : [],
    );
    const indicators = new Map<string, IndicatorLookup>();
    for (const r of ind.rows) {
      let i = indicators.get(r.code);
      if (!i) {
        i = { id: r.id, code: r.code, unitType: r.unit_type, frequency: r.frequency, lowestLevel: r.lowest_level,
          minValue: r.min_value, maxValue: r.max_value, categories: new Map() };
        indicators.set(r.code, i);
      }
      if (r.category) {
        const opts = i.categories.get(r.category) ?? new Set<string>();
        if (r.option) opts.add(r.option);
        i.categories.set(r.category, opts);
      }
    }
    const ou = await db.query<OrgUnitLookup>(
      `SELECT id, code, level, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo" FROM org_unit
        ${only ? 'WHERE code = ANY($1::text[]) OR code = ANY($2::text[])' : ''}`,
      only ? [only.orgUnits, only.orgUnits.map((c) => c.toUpperCase())] : [],
    );
    const lookups = new ImportLookups(indicators, new Map(ou.rows.map((o) => [o.code, o])));
    const periods = await db.query<{ code: string; id: number }>(
      `SELECT code, id FROM period ${only ? 'WHERE code = ANY($1::text[])' : ''}`, only ? [only.periods] : []);
    for (const p of periods.rows) lookups.periodIds.set(p.code, p.id);
    return lookups;
  }

  indicator(code: string): IndicatorLookup | undefined {
    return this.indicators.get(code) ?? this.indicators.get(code.toUpperCase());
  }

  orgUnit(code: string): OrgUnitLookup | undefined {
    return this.orgUnits.get(code) ?? this.orgUnits.get(code.toUpperCase());
  }

  /** The parsed period, or the error naming why the code is not one. */
  period(code: string): Period | PeriodError {
    let p = this.periods.get(code);
    if (p === undefined) {
      try {
        p = parsePeriod(code);
      } catch (e) {
        if (!(e instanceof PeriodError)) throw e;
        p = e;
      }
      this.periods.set(code, p);
    }
    return p;
  }

  /** The canonical key and its parts, or the error naming why the text is not a disaggregation. */
  disaggregation(text: string): { key: string; parts: Map<string, string> } | DisaggregationError {
    let d = this.disaggregations.get(text);
    if (d === undefined) {
      try {
        const parts = parseDisaggregation(text);
        d = { key: formatDisaggregation(parts), parts };
      } catch (e) {
        if (!(e instanceof DisaggregationError)) throw e;
        d = e;
      }
      this.disaggregations.set(text, d);
    }
    return d;
  }

  periodId(code: string): number | undefined {
    return this.periodIds.get(code);
  }

  /** Creates the period rows a batch needs; inside the import's transaction, so a rollback removes them too. */
  async ensurePeriods(tx: Queryable, periods: Period[]): Promise<void> {
    const missing = [...new Map(periods.filter((p) => !this.periodIds.has(p.code)).map((p) => [p.code, p])).values()];
    if (missing.length === 0) return;
    const res = await tx.query<{ code: string; id: number }>(
      `INSERT INTO period (code, type, start_date, end_date)
       SELECT code, type, start_date::date, end_date::date FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(code, type, start_date, end_date)
       ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING code, id`,
      [missing.map((p) => p.code), missing.map((p) => p.type), missing.map((p) => p.start), missing.map((p) => p.end)],
    );
    for (const r of res.rows) this.periodIds.set(r.code, r.id);
  }

  /** Forget periods created inside a transaction that was rolled back. */
  forgetPeriods(codes: Iterable<string>): void {
    for (const c of codes) this.periodIds.delete(c);
  }
}

export async function ensurePeriod(tx: Queryable, code: string): Promise<number> {
  const p = parsePeriod(code);
  const res = await tx.query<{ id: number }>(
    `INSERT INTO period (code, type, start_date, end_date) VALUES ($1, $2, $3::date, $4::date)
     ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`,
    [p.code, p.type, p.start, p.end],
  );
  return res.rows[0]!.id;
}
