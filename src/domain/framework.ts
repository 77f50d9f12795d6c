/** The results framework as data: framework → pillars → objectives → indicators. */
import type { PeriodType } from './period.ts';

export const UNIT_TYPES = ['count', 'percentage', 'currency', 'yes_no', 'milestone', 'index'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** How values combine over org units and over time. Never an average of percentages: ratio = Σnum/Σden. */
export const AGGREGATIONS = ['sum', 'last', 'ratio'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const POLARITIES = ['higher', 'lower'] as const;
export type Polarity = (typeof POLARITIES)[number];

export const REPORTING_LEVELS = ['federal', 'province', 'district'] as const;
export type ReportingLevel = (typeof REPORTING_LEVELS)[number];

export const PHASES = ['short', 'medium', 'long'] as const;
export type Phase = (typeof PHASES)[number];

export interface Named {
  code: string;
  nameEn: string;
  nameUr: string;
}

export interface IndicatorDef extends Named {
  definitionEn: string;
  definitionUr: string;
  unitType: UnitType;
  aggregationOrg: Aggregation;
  aggregationTime: Aggregation;
  polarity: Polarity;
  frequency: PeriodType;
  lowestLevel: ReportingLevel;
  phase: Phase;
  meansOfVerification: string;
  /** Institution codes, first is the lead. */
  institutions: string[];
  /** Disaggregation category codes from the shared catalogue. */
  disaggregations: string[];
  baselineValue: number | null;
  baselinePeriod: string | null;
  minValue: number | null;
  maxValue: number | null;
  /** Shown on the transparency portal and in open data (accepted values only, after small-cell suppression); absent is no. */
  public?: boolean;
}

export interface ObjectiveDef extends Named {
  indicators: IndicatorDef[];
}

export interface PillarDef extends Named {
  description: string;
  objectives: ObjectiveDef[];
}

export interface TargetDef {
  indicator: string;
  orgUnit: string;
  /** A period code, or null for an end-of-phase target. */
  period: string | null;
  phase: Phase | null;
  value: number;
}

export interface FrameworkDef extends Named {
  description: string;
  version: string;
  pillars: PillarDef[];
  targets: TargetDef[];
}

/** Unit types that carry a numerator and denominator. */
export function isRatio(unitType: UnitType): boolean {
  return unitType === 'percentage';
}

/** The value range a unit type allows, before any per-indicator minimum and maximum. */
export function unitRange(unitType: UnitType): { min: number | null; max: number | null; integer: boolean } {
  switch (unitType) {
    case 'count':
      return { min: 0, max: null, integer: true };
    case 'percentage':
      return { min: 0, max: 100, integer: false };
    case 'currency':
      return { min: 0, max: null, integer: false };
    case 'yes_no':
      return { min: 0, max: 1, integer: true };
    case 'milestone':
      return { min: 0, max: 4, integer: true };
    case 'index':
      return { min: null, max: null, integer: false };
  }
}

/** Milestone scale labels, 0–4. */
export const MILESTONE_LABELS = [
  'Not started',
  'Drafted',
  'Approved',
  'Notified / established',
  'Operational with evidence',
] as const;

/** The shared disaggregation catalogue: categories (sex, age band, …) and their options. */
export interface DisaggregationCategoryDef {
  code: string;
  nameEn: string;
  nameUr: string;
  options: { code: string; nameEn: string; nameUr: string }[];
}

export interface InstitutionDef {
  code: string;
  nameEn: string;
  nameUr: string;
  kind: string;
  orgUnit: string;
  parent: string | null;
}
