import { createHash } from 'node:crypto';
/**
 * The shipped seed content (seed/*.json): what users of a fresh install rely on. Pure: reads the files, no database.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDisaggregation } from '../domain/disaggregation.ts';
import {
  AGGREGATIONS,
  isRatio,
  PHASES,
  POLARITIES,
  REPORTING_LEVELS,
  UNIT_TYPES,
  unitRange,
  type DisaggregationCategoryDef,
  type FrameworkDef,
  type IndicatorDef,
  type InstitutionDef,
  type TargetDef,
} from '../domain/framework.ts';
import { parsePeriod, PERIOD_TYPES, periodMonths, periodsWithin, type PeriodType } from '../domain/period.ts';
import { compileRule, RULE_SEVERITIES, type ValidationRule } from '../domain/validation-rule.ts';

const seedUrl = (name: string) => new URL(`../../seed/${name}`, import.meta.url);
const readSeed = <T>(name: string): T => JSON.parse(readFileSync(seedUrl(name), 'utf8')) as T;

interface AdminUnit {
  code: string;
  name: string;
  name_ur: string;
  level: string;
  parent_code: string | null;
  created?: string;
}
interface RetiredUnit {
  code: string;
  nameEn: string;
  nameUr: string;
  level: string;
  parent: string;
  validTo: string;
}
interface UnitChange {
  code: string;
  validFrom: string;
  kind: string;
  predecessors: string[];
}
interface RuleSeed extends ValidationRule {
  framework: string;
}

const admin = readSeed<AdminUnit[]>('pakistan-admin-units.json');
const history = readSeed<{ retired: RetiredUnit[]; changes: UnitChange[] }>('org-unit-history.json');
const catalogue = readSeed<DisaggregationCategoryDef[]>('disaggregations.json');
const institutions = readSeed<InstitutionDef[]>('institutions.json');
const rules = readSeed<RuleSeed[]>('validation-rules.json');
const npve = readSeed<FrameworkDef>('frameworks/npve-2024.json');
const nap = readSeed<FrameworkDef>('frameworks/nap-2021.json');
const frameworks = [npve, nap];

/** The kinds of reporting institution; a new kind is a deliberate change to this list. */
const INSTITUTION_KINDS = [
  'federal_authority', // NACTA
  'ministry',
  'regulator', // PTA
  'commission', // HEC, NAVTTC, COIED
  'department', // provincial departments, DGRE, NACTA wings
  'authority', // PDMAs, TEVTAs, textbook boards
  'coe_cve', // provincial Centres of Excellence on Countering Violent Extremism
  'police', // police, CTDs, PVE units
  'law_enforcement', // NCCIA
  'academic',
  'donor_project', // UNODC CPTP
  'civil_society', // grantees
];

const adminCodes = new Set(admin.map((u) => u.code));
const retiredCodes = new Set(history.retired.map((u) => u.code));
const knownUnits = new Set([...adminCodes, ...retiredCodes]);
const institutionCodes = new Set(institutions.map((i) => i.code));
const options = new Map(catalogue.map((c) => [c.code, new Set(c.options.map((o) => o.code))]));

const indicatorsOf = (fw: FrameworkDef): IndicatorDef[] => fw.pillars.flatMap((p) => p.objectives.flatMap((o) => o.indicators));
const allIndicators = frameworks.flatMap(indicatorsOf);
const indicatorByCode = new Map(allIndicators.map((i) => [i.code, i]));
const frameworkOf = new Map(frameworks.flatMap((fw) => indicatorsOf(fw).map((i) => [i.code, fw.code] as const)));

const ARABIC_SCRIPT = /[\u0600-\u06FF]/;
const LATIN = /[A-Za-z]/;

/** Every bilingual item in the seed, with where it sits, for the naming checks. */
function named(): { where: string; nameEn: string; nameUr: string }[] {
  const out: { where: string; nameEn: string; nameUr: string }[] = [];
  for (const fw of frameworks) {
    out.push({ where: fw.code, ...fw });
    for (const p of fw.pillars) {
      out.push({ where: `${fw.code} pillar ${p.code}`, ...p });
      for (const o of p.objectives) {
        out.push({ where: `${fw.code} objective ${o.code}`, ...o });
        for (const i of o.indicators) out.push({ where: `indicator ${i.code}`, ...i });
      }
    }
  }
  for (const i of institutions) out.push({ where: `institution ${i.code}`, ...i });
  for (const c of catalogue) {
    out.push({ where: `category ${c.code}`, ...c });
    for (const o of c.options) out.push({ where: `option ${c.code}=${o.code}`, ...o });
  }
  for (const r of rules) out.push({ where: `rule ${r.code}`, ...r });
  for (const r of history.retired) out.push({ where: `retired unit ${r.code}`, ...r });
  return out;
}

/** True when periods of the indicator's frequency tile the period exactly, so reported values add up to it. */
function tiledBy(code: string, frequency: PeriodType): boolean {
  const period = parsePeriod(code);
  const parts = periodsWithin(period, frequency);
  return parts.length > 0 && parts.length * periodMonths(parts[0]!) === periodMonths(period);
}

function valueProblem(i: IndicatorDef, value: number): string | null {
  const range = unitRange(i.unitType);
  const min = i.minValue ?? range.min;
  const max = i.maxValue ?? range.max;
  if (min !== null && value < min) return `${value} is below ${min}`;
  if (max !== null && value > max) return `${value} is above ${max}`;
  if (range.integer && !Number.isInteger(value)) return `${value} is not a whole number`;
  return null;
}

describe('NPVE-2024 framework', () => {
  it('has the five Rs in order, each with at least three objectives', () => {
    expect(npve.code).toBe('NPVE-2024');
    expect(npve.pillars.map((p) => p.code)).toEqual(['REV', 'RCH', 'RSK', 'RNF', 'RIN']);
    expect(npve.pillars.map((p) => p.nameEn)).toEqual(['Revisit', 'Reach Out', 'Reduce Risk', 'Reinforce', 'Reintegrate']);
    for (const p of npve.pillars) expect(p.objectives.length, p.code).toBeGreaterThanOrEqual(3);
  });

  it('has at least 105 indicators, at least 20 in every pillar', () => {
    expect(indicatorsOf(npve).length).toBeGreaterThanOrEqual(105);
    for (const p of npve.pillars) {
      expect(p.objectives.flatMap((o) => o.indicators).length, p.code).toBeGreaterThanOrEqual(20);
    }
  });

  it('numbers objectives and indicators in their pillar\'s series', () => {
    for (const p of npve.pillars) {
      for (const o of p.objectives) {
        expect(o.code).toMatch(new RegExp(`^${p.code}\\.\\d+$`));
        for (const i of o.indicators) expect(i.code).toMatch(new RegExp(`^${p.code}-\\d{2}$`));
      }
    }
  });
});

describe('NAP-2021 framework', () => {
  it('has three or four pillars and 20 to 30 indicators', () => {
    expect(nap.code).toBe('NAP-2021');
    expect(nap.pillars.length).toBeGreaterThanOrEqual(3);
    expect(nap.pillars.length).toBeLessThanOrEqual(4);
    expect(indicatorsOf(nap).length).toBeGreaterThanOrEqual(20);
    expect(indicatorsOf(nap).length).toBeLessThanOrEqual(30);
  });

  it('marks every context indicator as externally sourced and sets it no target', () => {
    const context = indicatorsOf(nap).filter((i) => i.code.startsWith('CTX-'));
    expect(context.length).toBeGreaterThanOrEqual(8);
    for (const i of context) expect(i.definitionEn, i.code).toMatch(/externally sourced/);
    const targeted = new Set(nap.targets.map((t) => t.indicator));
    expect(context.filter((i) => targeted.has(i.code)).map((i) => i.code)).toEqual([]);
  });
});

describe('both frameworks', () => {
  it('use each indicator code once across frameworks, and each pillar and objective code once per framework', () => {
    const codes = allIndicators.map((i) => i.code);
    expect(codes.length).toBe(new Set(codes).size);
    for (const fw of frameworks) {
      const pillars = fw.pillars.map((p) => p.code);
      const objectives = fw.pillars.flatMap((p) => p.objectives.map((o) => o.code));
      expect(pillars.length).toBe(new Set(pillars).size);
      expect(objectives.length).toBe(new Set(objectives).size);
      for (const p of fw.pillars) {
        expect(p.description, p.code).not.toBe('');
        for (const o of p.objectives) expect(o.indicators.length, o.code).toBeGreaterThan(0);
      }
    }
  });

  it('say of every indicator whether it is public, and keep referrals, online-content operations, prison and intelligence KPIs internal', () => {
    for (const i of allIndicators) expect(typeof i.public, i.code).toBe('boolean');
    const internal = allIndicators.filter((i) => !i.public).map((i) => i.code);
    for (const code of ['RSK-03', 'RSK-04', 'RSK-08', 'RSK-09', 'RIN-06', 'RIN-12', 'RNF-16', 'NAP-02', 'NAP-03']) expect(internal).toContain(code);
    // Most of the framework is public: the portal is the point.
    expect(internal.length).toBeLessThan(allIndicators.length / 4);
    for (const fw of frameworks) for (const p of fw.pillars) {
      expect(p.objectives.some((o) => o.indicators.some((i) => i.public)), p.code).toBe(true);
    }
  });

  it('give every indicator a definition in English and Urdu and a means of verification', () => {
    for (const i of allIndicators) {
      expect(i.definitionEn.length, i.code).toBeGreaterThan(40);
      expect(i.definitionUr, i.code).toMatch(ARABIC_SCRIPT);
      expect(i.definitionUr, i.code).not.toMatch(LATIN);
      expect(i.meansOfVerification, i.code).not.toBe('');
    }
  });

  it('use only the enumerated unit types, aggregations, polarities, frequencies, levels and phases', () => {
    for (const i of allIndicators) {
      expect(UNIT_TYPES, i.code).toContain(i.unitType);
      expect(AGGREGATIONS, i.code).toContain(i.aggregationOrg);
      expect(AGGREGATIONS, i.code).toContain(i.aggregationTime);
      expect(POLARITIES, i.code).toContain(i.polarity);
      expect(PERIOD_TYPES, i.code).toContain(i.frequency);
      expect(REPORTING_LEVELS, i.code).toContain(i.lowestLevel);
      expect(PHASES, i.code).toContain(i.phase);
    }
  });

  it('aggregate every percentage as a ratio over units and time, and nothing else as a ratio', () => {
    for (const i of allIndicators) {
      const aggregations = [i.aggregationOrg, i.aggregationTime];
      if (isRatio(i.unitType)) expect(aggregations, i.code).toEqual(['ratio', 'ratio']);
      else expect(aggregations, i.code).not.toContain('ratio');
    }
  });

  it('keep a yes/no, milestone or index value as the reporting unit\'s own latest value, never a sum', () => {
    for (const i of allIndicators.filter((x) => ['yes_no', 'milestone', 'index'].includes(x.unitType))) {
      expect([i.aggregationOrg, i.aggregationTime], i.code).toEqual(['last', 'last']);
    }
  });

  it('give a baseline with both value and period, the period made of whole reporting periods, the value in range', () => {
    const withBaseline = allIndicators.filter((i) => i.baselineValue !== null || i.baselinePeriod !== null);
    expect(withBaseline.length).toBeGreaterThanOrEqual(allIndicators.length / 3);
    for (const i of withBaseline) {
      expect(i.baselineValue, i.code).not.toBeNull();
      expect(i.baselinePeriod, i.code).not.toBeNull();
      expect(tiledBy(i.baselinePeriod!, i.frequency), `${i.code} baseline ${i.baselinePeriod} vs ${i.frequency}`).toBe(true);
      expect(valueProblem(i, i.baselineValue!), i.code).toBeNull();
    }
  });

  it('keep per-indicator bounds within the unit type\'s own range', () => {
    for (const i of allIndicators) {
      const range = unitRange(i.unitType);
      if (i.minValue !== null && range.min !== null) expect(i.minValue, i.code).toBeGreaterThanOrEqual(range.min);
      if (i.maxValue !== null && range.max !== null) expect(i.maxValue, i.code).toBeLessThanOrEqual(range.max);
      if (i.minValue !== null && i.maxValue !== null) expect(i.minValue, i.code).toBeLessThan(i.maxValue);
    }
  });

  it('name only institutions that exist, without repeats, and only catalogued disaggregations', () => {
    for (const i of allIndicators) {
      expect(i.institutions.length, i.code).toBeGreaterThan(0);
      expect(i.institutions.filter((c) => !institutionCodes.has(c)), i.code).toEqual([]);
      expect(new Set(i.institutions).size, i.code).toBe(i.institutions.length);
      expect(i.disaggregations.filter((c) => !options.has(c)), i.code).toEqual([]);
      expect(new Set(i.disaggregations).size, i.code).toBe(i.disaggregations.length);
    }
  });
});

describe('targets', () => {
  const all = frameworks.flatMap((fw) => fw.targets.map((t) => ({ fw: fw.code, t })));

  it('number between 60 and 150 and cover indicators in every NPVE pillar', () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(all.length).toBeLessThanOrEqual(150);
    const pillars = new Set(npve.targets.map((t) => t.indicator.slice(0, 3)));
    expect([...pillars].sort()).toEqual(['RCH', 'REV', 'RIN', 'RNF', 'RSK']);
  });

  it('point at an indicator of their own framework and an existing org unit, once each', () => {
    const keys = new Set<string>();
    for (const { fw, t } of all) {
      expect(frameworkOf.get(t.indicator), `target for ${t.indicator}`).toBe(fw);
      expect(adminCodes.has(t.orgUnit), `target org unit ${t.orgUnit}`).toBe(true);
      const key = `${t.indicator}|${t.orgUnit}|${t.period ?? ''}|${t.phase ?? ''}`;
      expect(keys.has(key), key).toBe(false);
      keys.add(key);
    }
  });

  it('carry either a period made of whole reporting periods or an end-of-phase, and a value in range', () => {
    for (const { t } of all) {
      const i = indicatorByCode.get(t.indicator)!;
      expect((t.period === null) !== (t.phase === null), `${t.indicator} ${t.orgUnit}`).toBe(true);
      if (t.period !== null) expect(tiledBy(t.period, i.frequency), `${t.indicator} target ${t.period}`).toBe(true);
      if (t.phase !== null) expect(PHASES).toContain(t.phase);
      expect(valueProblem(i, t.value), `${t.indicator} target at ${t.orgUnit}`).toBeNull();
    }
  });

  /** Counts summed over units compare with the national baseline only at PK; rates and stages at any level. */
  const comparable = (i: IndicatorDef, t: TargetDef) =>
    i.baselineValue !== null && (t.orgUnit === 'PK' || ['percentage', 'milestone', 'yes_no', 'index'].includes(i.unitType));

  it('do not move against the indicator\'s polarity from its baseline', () => {
    let compared = 0;
    for (const { t } of all) {
      const i = indicatorByCode.get(t.indicator)!;
      if (!comparable(i, t)) continue;
      compared++;
      const where = `${t.indicator} at ${t.orgUnit} ${t.period ?? t.phase}: baseline ${i.baselineValue}, target ${t.value}`;
      if (i.polarity === 'higher') expect(t.value, where).toBeGreaterThanOrEqual(i.baselineValue!);
      else expect(t.value, where).toBeLessThanOrEqual(i.baselineValue!);
    }
    expect(compared).toBeGreaterThanOrEqual(40);
    const lowerIsBetter = all.filter(({ t }) => indicatorByCode.get(t.indicator)!.polarity === 'lower');
    expect(lowerIsBetter.length).toBeGreaterThan(0);
  });
});

describe('names', () => {
  it('are given in English and in Urdu script for every framework item, institution, category, option and rule', () => {
    for (const n of named()) {
      expect(n.nameEn.trim(), n.where).not.toBe('');
      expect(n.nameEn, n.where).not.toMatch(ARABIC_SCRIPT);
      expect(n.nameUr, n.where).toMatch(ARABIC_SCRIPT);
      expect(n.nameUr, `${n.where}: Urdu written in Latin letters`).not.toMatch(LATIN);
    }
  });
});

describe('disaggregation catalogue', () => {
  it('has valid, unique category and option codes', () => {
    expect(catalogue.length).toBe(options.size);
    for (const c of catalogue) {
      expect(c.code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(c.options.length, c.code).toBeGreaterThanOrEqual(2);
      expect(options.get(c.code)!.size, c.code).toBe(c.options.length);
      for (const o of c.options) expect(o.code, c.code).toMatch(/^[A-Za-z0-9+._-]+$/);
    }
  });

  it('includes the standard categories with their agreed options', () => {
    expect([...options.get('sex')!]).toEqual(['F', 'M', 'X']);
    expect([...options.get('age')!]).toEqual(['0-14', '15-19', '20-24', '25-29', '30+']);
    for (const code of ['dis', 'min', 'ur', 'lang', 'plat', 'school_type']) expect(options.has(code), code).toBe(true);
  });

  it('holds only categories some indicator uses', () => {
    const used = new Set(allIndicators.flatMap((i) => i.disaggregations));
    expect(catalogue.map((c) => c.code).filter((c) => !used.has(c))).toEqual([]);
  });
});

describe('institutions', () => {
  it('have unique codes, a documented kind, an existing org unit and an existing parent', () => {
    expect(institutionCodes.size).toBe(institutions.length);
    for (const i of institutions) {
      expect(INSTITUTION_KINDS, i.code).toContain(i.kind);
      expect(adminCodes.has(i.orgUnit), `${i.code} org unit ${i.orgUnit}`).toBe(true);
      if (i.parent !== null) {
        expect(institutionCodes.has(i.parent), `${i.code} parent ${i.parent}`).toBe(true);
        expect(i.parent, i.code).not.toBe(i.code);
      }
    }
  });

  it('include the federal leads and a Home Department, police CTD and education department in every province', () => {
    for (const code of ['NACTA', 'MOI', 'DGRE', 'PTA', 'NCCIA', 'HEC', 'NAVTTC', 'COIED', 'UNODC-CPTP', 'IS-VEPU']) {
      expect(institutionCodes.has(code), code).toBe(true);
    }
    for (const p of ['PB', 'SD', 'KP', 'BA']) {
      for (const role of ['HD', 'COE', 'CTD', 'SED', 'HED', 'AUQ', 'SWD', 'PDMA', 'PRS', 'INF']) {
        expect(institutionCodes.has(`${p}-${role}`), `${p}-${role}`).toBe(true);
      }
    }
  });

  it('are each named by some indicator', () => {
    const used = new Set(allIndicators.flatMap((i) => i.institutions));
    const parents = new Set(institutions.map((i) => i.parent));
    expect(institutions.filter((i) => !used.has(i.code) && !parents.has(i.code)).map((i) => i.code)).toEqual([]);
  });
});

describe('org-unit history', () => {
  const isFirstOfMonth = (d: string) => /^\d{4}-\d{2}-01$/.test(d);

  it('retires only units that are not current, under an existing parent', () => {
    for (const r of history.retired) {
      expect(adminCodes.has(r.code), r.code).toBe(false);
      expect(adminCodes.has(r.parent), `${r.code} parent ${r.parent}`).toBe(true);
      expect(isFirstOfMonth(r.validTo), r.code).toBe(true);
    }
  });

  it('links every change to known units, from the first day of a month', () => {
    for (const c of history.changes) {
      expect(adminCodes.has(c.code), c.code).toBe(true);
      expect(['split', 'merge', 'rename']).toContain(c.kind);
      expect(isFirstOfMonth(c.validFrom), c.code).toBe(true);
      expect(c.predecessors.length, c.code).toBeGreaterThan(0);
      for (const p of c.predecessors) expect(knownUnits.has(p), `${c.code} predecessor ${p}`).toBe(true);
    }
    expect(new Set(history.changes.map((c) => c.code)).size).toBe(history.changes.length);
  });

  it('dates every unit the admin file marks as created, in the month it names', () => {
    const validFrom = new Map(history.changes.map((c) => [c.code, c.validFrom]));
    for (const u of admin.filter((x) => x.created)) {
      expect(validFrom.get(u.code), u.code).toBeDefined();
      expect(validFrom.get(u.code)!.startsWith(u.created!), `${u.code} created ${u.created}`).toBe(true);
    }
  });

  it('hands a retired unit\'s area to successors that start the day it ends', () => {
    for (const r of history.retired) {
      const successors = history.changes.filter((c) => c.predecessors.includes(r.code));
      expect(successors.length, r.code).toBeGreaterThanOrEqual(2);
      for (const s of successors) expect(s.validFrom, `${s.code} after ${r.code}`).toBe(r.validTo);
    }
  });

  it('keeps South Waziristan reachable through its two successors, and Chakwal current beside Talagang', () => {
    expect(history.retired.map((r) => r.code)).toContain('PK-KP-SWZ');
    const split = history.changes.filter((c) => c.predecessors.includes('PK-KP-SWZ')).map((c) => c.code).sort();
    expect(split).toEqual(['PK-KP-LSZ', 'PK-KP-USZ']);
    expect(history.changes.find((c) => c.code === 'PK-PB-TLG')?.predecessors).toEqual(['PK-PB-CKW']);
    expect(adminCodes.has('PK-PB-CKW')).toBe(true);
  });
});

describe('validation rules', () => {
  const compiled = rules.map((r) => ({ seed: r, rule: compileRule(r) }));

  it('number 10 to 20, with unique codes, a known framework, operator and severity', () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
    expect(rules.length).toBeLessThanOrEqual(20);
    expect(new Set(rules.map((r) => r.code)).size).toBe(rules.length);
    for (const r of rules) {
      expect(['NPVE-2024', 'NAP-2021'], r.code).toContain(r.framework);
      expect(['<=', '<', '>=', '>', '==', '!='], r.code).toContain(r.operator);
      expect(RULE_SEVERITIES, r.code).toContain(r.severity);
    }
  });

  it('read only indicators of their framework, with options those indicators carry', () => {
    for (const { seed, rule } of compiled) {
      expect(rule.references.length, seed.code).toBeGreaterThan(0);
      for (const ref of rule.references) {
        const i = indicatorByCode.get(ref.indicator);
        expect(i, `${seed.code} reads unknown ${ref.indicator}`).toBeDefined();
        expect(frameworkOf.get(ref.indicator), `${seed.code} reads ${ref.indicator}`).toBe(seed.framework);
        for (const [category, option] of parseDisaggregation(ref.disaggregation)) {
          expect(i!.disaggregations, `${seed.code}: ${ref.indicator} has no ${category}`).toContain(category);
          expect(options.get(category)?.has(option), `${seed.code}: ${category}=${option}`).toBe(true);
        }
        if (ref.measure !== 'value') expect(i!.unitType, `${seed.code}: ${ref.indicator}.${ref.measure}`).toBe('percentage');
      }
    }
  });

  it('compare indicators reported by the same level at the same frequency, since a rule reads one unit and period', () => {
    for (const { seed, rule } of compiled) {
      const read = rule.references.map((r) => indicatorByCode.get(r.indicator)!);
      expect(new Set(read.map((i) => i.frequency)).size, seed.code).toBe(1);
      expect(new Set(read.map((i) => i.lowestLevel)).size, seed.code).toBe(1);
    }
  });
});

describe('admin units copy', () => {
  const shared = new URL('../../../shared/reference/pakistan-admin-units.json', import.meta.url);
  const REFERENCE_SHA256 = '4bb7b692f8f6ea048fa0a18bb2a7ee6280aea8f35f7ff4554f6c5debc7741c19';

  it('covers the country, seven provinces and territories and every district under a known parent', () => {
    expect(adminCodes.size).toBe(admin.length);
    expect(admin.filter((u) => u.level === 'province').map((u) => u.code).sort()).toEqual(
      ['PK-BA', 'PK-GB', 'PK-IS', 'PK-JK', 'PK-KP', 'PK-PB', 'PK-SD'],
    );
    for (const u of admin) if (u.parent_code !== null) expect(adminCodes.has(u.parent_code), u.code).toBe(true);
  });

  // The product ships its own copy; it must stay the reviewed reference file, byte for byte.
  it('is byte-identical to the shared reference file', () => {
    const copy = readFileSync(seedUrl('pakistan-admin-units.json'));
    const reference = existsSync(shared) ? readFileSync(shared) : null;
    expect(createHash('sha256').update(reference ?? copy).digest('hex')).toBe(REFERENCE_SHA256);
    expect(createHash('sha256').update(copy).digest('hex')).toBe(REFERENCE_SHA256);
  });
});
