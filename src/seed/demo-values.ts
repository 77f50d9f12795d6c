/**
 * Synthetic demo values: eight quarters (and the matching months, half-years and fiscal years) for every
 * indicator at the level that reports it. Deterministic, trend toward target with noise and reporting gaps,
 * and labelled synthetic in every comment so nobody mistakes them for real figures.
 */
import type { FrameworkDef, IndicatorDef } from '../domain/framework.ts';
import { reportingUnitLevel } from '../domain/org-unit.ts';
import { parsePeriod, periodRange, type PeriodType } from '../domain/period.ts';
import type { SourceRow } from '../importexport/source-row.ts';
import { seededRandom } from '../domain/seeded-random.ts';

export const SYNTHETIC_COMMENT = 'SYNTHETIC demo value, not real data';

export const DEMO_PERIODS: Record<PeriodType, string[]> = {
  quarterly: periodRange(parsePeriod('2024Q4'), parsePeriod('2026Q3')).map((p) => p.code),
  monthly: periodRange(parsePeriod('202410'), parsePeriod('202609')).map((p) => p.code),
  half_year: ['2024S2', '2025S1', '2025S2', '2026S1'],
  fiscal_year: ['2023July', '2024July', '2025July'],
  year: ['2024', '2025'],
};


function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface DemoUnit {
  code: string;
  level: string;
  validFrom: string | null;
  validTo: string | null;
}

/** How big a unit is, roughly: provinces differ in size, districts within them too. */
function unitScale(code: string, level: string): number {
  const r = seededRandom(hash(`scale:${code}`))();
  if (level === 'country') return 30;
  if (level === 'province') return 2 + 8 * r;
  return 0.4 + 1.6 * r;
}

export function* demoValues(frameworks: FrameworkDef[], units: DemoUnit[], categoryOptions: Map<string, string[]>): Generator<SourceRow> {
  let row = 0;
  for (const fw of frameworks) {
    for (const pillar of fw.pillars) {
      for (const objective of pillar.objectives) {
        for (const ind of objective.indicators) {
          const level = reportingUnitLevel(ind.lowestLevel);
          const periods = DEMO_PERIODS[ind.frequency].map((c) => parsePeriod(c));
          for (const unit of units) {
            if (unit.level !== level) continue;
            const rand = seededRandom(hash(`${ind.code}:${unit.code}`));
            const scale = unitScale(unit.code, unit.level);
            // Some units never report some indicators, and recent periods are patchier: the implementation deficit.
            if (rand() < 0.08) continue;
            const base = startLevel(ind, scale, rand);
            const growth = (ind.polarity === 'higher' ? 1 : -1) * (0.01 + 0.05 * rand()) * (rand() < 0.2 ? -1 : 1);
            for (const [k, p] of periods.entries()) {
              if ((unit.validFrom && unit.validFrom > p.end) || (unit.validTo && unit.validTo <= p.start)) continue;
              const gap = k >= periods.length - 2 ? 0.18 : 0.06;
              if (rand() < gap) continue;
              const level = base * (1 + growth * k) * (0.9 + 0.2 * rand());
              for (const r of cellRows(ind, unit.code, p.code, level, rand, categoryOptions)) yield { ...r, row: ++row };
            }
          }
        }
      }
    }
  }
}

function startLevel(ind: IndicatorDef, scale: number, rand: () => number): number {
  switch (ind.unitType) {
    case 'count':
      return Math.max(1, (20 + 200 * rand()) * scale);
    case 'currency':
      return (2e6 + 5e7 * rand()) * scale;
    case 'percentage':
      return 20 + 60 * rand();
    case 'yes_no':
      return rand();
    case 'milestone':
      return 4 * rand();
    case 'index':
      return ind.baselineValue ?? 5 + 3 * rand();
  }
}

function cellRows(
  ind: IndicatorDef,
  orgUnit: string,
  period: string,
  level: number,
  rand: () => number,
  categoryOptions: Map<string, string[]>,
): Omit<SourceRow, 'row'>[] {
  const base = { indicator: ind.code, orgUnit, period, comment: SYNTHETIC_COMMENT };
  switch (ind.unitType) {
    case 'count': {
      const total = Math.max(0, Math.round(level));
      const rows: Omit<SourceRow, 'row'>[] = [{ ...base, disaggregation: '', value: String(total) }];
      // Sex is the one split every programme can report; it always adds up to the total.
      if (ind.disaggregations.includes('sex') && categoryOptions.get('sex')?.includes('F')) {
        const f = Math.round(total * (0.2 + 0.3 * rand()));
        rows.push({ ...base, disaggregation: 'sex=F', value: String(f) }, { ...base, disaggregation: 'sex=M', value: String(total - f) });
      }
      return rows;
    }
    case 'currency':
      return [{ ...base, disaggregation: '', value: String(Math.round(level)) }];
    case 'percentage': {
      const den = Math.max(1, Math.round(50 + 400 * rand()));
      const share = Math.min(0.99, Math.max(0.01, level / 100));
      return [{ ...base, disaggregation: '', numerator: String(Math.round(den * share)), denominator: String(den) }];
    }
    case 'yes_no':
      return [{ ...base, disaggregation: '', value: level > 0.45 ? '1' : '0' }];
    case 'milestone':
      return [{ ...base, disaggregation: '', value: String(Math.min(4, Math.max(0, Math.floor(level)))) }];
    case 'index':
      return [{ ...base, disaggregation: '', value: String(Math.round(level * 100) / 100) }];
  }
}
