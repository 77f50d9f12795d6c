/** The JSON the Jaiza HTTP API answers with, as far as the web app reads it (see /api/docs). */
export interface Named {
  code: string;
  nameEn: string;
  nameUr: string;
}

export type UnitType = 'count' | 'percentage' | 'currency' | 'yes_no' | 'milestone' | 'index';
export type PeriodType = 'monthly' | 'quarterly' | 'half_year' | 'year' | 'fiscal_year';
export type ReportingLevel = 'federal' | 'province' | 'district';

export type ProgressStatus =
  | 'on_track' | 'acceleration_needed' | 'limited_progress' | 'moving_away'
  | 'achieved' | 'partially_achieved' | 'not_achieved' | 'no_data' | 'stale' | 'no_target';

export interface FrameworkSummary extends Named {
  description: string;
  pillars: number;
  indicators: number;
}

export interface IndicatorDef extends Named {
  definitionEn: string;
  definitionUr: string;
  unitType: UnitType;
  aggregationOrg: 'sum' | 'last' | 'ratio';
  aggregationTime: 'sum' | 'last' | 'ratio';
  polarity: 'higher' | 'lower';
  frequency: PeriodType;
  lowestLevel: ReportingLevel;
  phase: 'short' | 'medium' | 'long';
  meansOfVerification: string;
  institutions: string[];
  disaggregations: string[];
  baselineValue: number | null;
  baselinePeriod: string | null;
  minValue: number | null;
  maxValue: number | null;
}

export interface Framework extends Named {
  description: string;
  pillars: (Named & { description: string; objectives: (Named & { indicators: IndicatorDef[] })[] })[];
}

export interface Target {
  indicator: string;
  orgUnit: string;
  period: string | null;
  phase: 'short' | 'medium' | 'long' | null;
  value: number;
}

export interface IndicatorDetail extends IndicatorDef {
  framework: Named;
  pillar: Named;
  objective: Named;
  targets: Target[];
}

export interface OrgUnit extends Named {
  level: 'country' | 'province' | 'division' | 'district';
  parentCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  status: string;
}

export interface Institution extends Named {
  kind: string;
  orgUnit: string;
  parent: string | null;
}

export interface GridCell {
  pillar: string;
  orgUnit: string;
  indicators: number;
  byStatus: Record<ProgressStatus, number>;
  onTrackShare: number | null;
  noData: number;
  stale: number;
}

export interface PillarGrid {
  framework: string;
  assessedAt: string;
  pillars: Named[];
  orgUnits: Named[];
  cells: GridCell[];
}

export interface PeriodValue {
  period: string;
  value: number;
}

export interface IndicatorStatus {
  indicator: string;
  nameEn: string;
  nameUr: string;
  pillar: string;
  objective: string;
  orgUnit: string;
  status: ProgressStatus;
  ratio: number | null;
  latest: PeriodValue | null;
  target: { value: number; period: string | null; phase: string | null } | null;
  baseline: PeriodValue | null;
  symbol: string;
}

export interface AnalyticsCell {
  indicator: string;
  orgUnit: string;
  period: string;
  disaggregation: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface TargetPath {
  baseline: PeriodValue | null;
  targets: { period: string; value: number; phase: string | null }[];
}

export interface Breakdown {
  total: { value: number | null };
  categories: (Named & { options: (Named & { value: number | null; numerator: number | null; denominator: number | null })[] })[];
}

export interface ValueChange {
  orgUnit: string;
  period: string;
  disaggregation: string;
  action: 'create' | 'update' | 'delete';
  oldValue: number | null;
  newValue: number | null;
  changedBy: string;
  changedAt: string;
}

export interface IndicatorFlags {
  rules: { code: string; nameEn: string; nameUr: string; severity: 'error' | 'warning' }[];
  violations: { rule: string; severity: 'error' | 'warning'; orgUnit: string; orgUnitName: string; period: string; left: number; right: number }[];
  outliers: { orgUnit: string; period: string; disaggregation: string; value: number; median: number; score: number }[];
}

export interface EntryFormIndicator extends Named {
  framework: string;
  pillar: Named;
  objective: Named;
  unitType: UnitType;
  range: { min: number | null; max: number | null; integer: boolean };
  disaggregations: (Named & { options: Named[] })[];
  values: { disaggregation: string; value: number | null; numerator: number | null; denominator: number | null; comment: string | null }[];
}

export interface EntryForm {
  orgUnit: Named & { level: string };
  period: { code: string; type: PeriodType; start: string; end: string };
  institution: Named | null;
  indicators: EntryFormIndicator[];
}

/** The text typed into one cell (indicator × disaggregation); undefined = not part of this cell. */
export interface EntryValue {
  indicator: string;
  disaggregation: string;
  value?: string;
  numerator?: string;
  denominator?: string;
  comment?: string;
}

export type EntryField = 'value' | 'numerator' | 'denominator' | 'comment';

export interface EntryIssue {
  indicator: string;
  disaggregation: string;
  field: EntryField;
  severity: 'error' | 'warning';
  code: string;
  message: string;
  rule?: Named;
  outlier?: { median: number; score: number };
}

export interface EntrySave {
  issues: EntryIssue[];
  saved: { indicator: string; disaggregation: string }[];
}

export interface RowError {
  row: number;
  field: string;
  code: string;
  message: string;
  sheet?: string;
}

export interface ImportSummary {
  status: 'success' | 'warning' | 'error';
  dryRun: boolean;
  rowsRead: number;
  counts: { imported: number; updated: number; unchanged: number; ignored: number; deleted: number };
  errorCount: number;
  errors: RowError[];
  warnings: RowError[];
}

export interface CompletenessCounts {
  expected: number;
  received: number;
  onTime: number;
}

export interface Completeness {
  institutions: (Named & CompletenessCounts & { reportingRate: number | null; timelinessRate: number | null })[];
  totals: CompletenessCounts & { reportingRate: number | null; timelinessRate: number | null };
}

export interface HeatmapCell extends CompletenessCounts {
  orgUnit: string;
  period: string;
}
