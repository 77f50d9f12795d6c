/** Loads the reference data (org units, institutions, frameworks, rules) and, optionally, synthetic demo values. */
import { readFileSync } from 'node:fs';
import type { Database } from '../db/database.ts';
import type { DisaggregationCategoryDef, FrameworkDef, InstitutionDef } from '../domain/framework.ts';
import type { OrgUnitChange, OrgUnitDef, OrgUnitLevel } from '../domain/org-unit.ts';
import { loadFrameworks, saveFrameworks, upsertCatalogue, upsertInstitutions } from '../framework/framework-store.ts';
import { importRows, type ImportSummary } from '../importexport/import-pipeline.ts';
import type { SourceRow } from '../importexport/source-row.ts';
import { upsertOrgUnits } from '../orgunits/org-unit-store.ts';
import { demoValues } from './demo-values.ts';
import { makeConsistent } from './demo-consistency.ts';
import { seedDemoUsers } from '../governance/demo-users.ts';
import { seedDemoSubmissions } from './demo-submissions.ts';
import type { ValidationRule } from '../domain/validation-rule.ts';

/** Days after a period ends that the demo's frameworks still take entries for it. */
export const DEMO_ENTRY_EXPIRY_DAYS = 120;

const seedFile = (name: string) => new URL(`../../seed/${name}`, import.meta.url);
const readJson = <T>(name: string): T => JSON.parse(readFileSync(seedFile(name), 'utf8')) as T;

interface AdminUnit {
  code: string;
  name: string;
  name_ur: string;
  level: OrgUnitLevel;
  parent_code: string | null;
  kind?: string;
  status: string;
  created?: string;
  note?: string;
  aliases?: string[];
}

interface OrgUnitHistory {
  retired: { code: string; nameEn: string; nameUr: string; level: OrgUnitLevel; parent: string; validFrom?: string | null; validTo: string }[];
  changes: { code: string; validFrom: string; kind: OrgUnitChange['kind']; predecessors: string[] }[];
}

interface RuleSeed {
  code: string;
  framework: string;
  nameEn: string;
  nameUr: string;
  left: string;
  operator: string;
  right: string;
  severity: 'error' | 'warning';
}

export function seedOrgUnits(): { units: OrgUnitDef[]; changes: OrgUnitChange[] } {
  const admin = readJson<AdminUnit[]>('pakistan-admin-units.json');
  const history = readJson<OrgUnitHistory>('org-unit-history.json');
  const validFrom = new Map(history.changes.map((c) => [c.code, c.validFrom]));
  const units: OrgUnitDef[] = admin.map((u) => ({
    code: u.code,
    nameEn: u.name,
    nameUr: u.name_ur,
    level: u.level,
    parent: u.parent_code,
    kind: u.kind ?? null,
    status: u.status,
    validFrom: validFrom.get(u.code) ?? null,
    validTo: null,
    note: u.note ?? null,
    aliases: u.aliases ?? [],
  }));
  for (const r of history.retired) {
    units.push({ code: r.code, nameEn: r.nameEn, nameUr: r.nameUr, level: r.level, parent: r.parent, status: 'retired',
      validFrom: r.validFrom ?? null, validTo: r.validTo, note: null, aliases: [] });
  }
  const changes = history.changes.map((c) => ({ code: c.code, kind: c.kind, effective: c.validFrom, predecessors: c.predecessors }));
  return { units, changes };
}

export function seedFrameworks(): FrameworkDef[] {
  return ['npve-2024.json', 'nap-2021.json'].map((f) => readJson<FrameworkDef>(`frameworks/${f}`));
}

export function seedCatalogue(): DisaggregationCategoryDef[] {
  return readJson<DisaggregationCategoryDef[]>('disaggregations.json');
}

/** Loads reference data; idempotent (everything is upserted by code). */
export async function seedReferenceData(db: Database): Promise<void> {
  const { units, changes } = seedOrgUnits();
  await db.transaction(async (tx) => {
    await upsertOrgUnits(tx, units, changes);
    await upsertCatalogue(tx, seedCatalogue());
    await upsertInstitutions(tx, readJson<InstitutionDef[]>('institutions.json'));
    await saveFrameworks(tx, seedFrameworks());
    for (const r of readJson<RuleSeed[]>('validation-rules.json')) {
      await tx.query(
        `INSERT INTO validation_rule (code, framework_id, name_en, name_ur, left_expr, operator, right_expr, severity)
         SELECT $1, id, $3, $4, $5, $6, $7, $8 FROM framework WHERE code = $2
         ON CONFLICT (code) DO UPDATE SET framework_id = EXCLUDED.framework_id, name_en = EXCLUDED.name_en, name_ur = EXCLUDED.name_ur,
           left_expr = EXCLUDED.left_expr, operator = EXCLUDED.operator, right_expr = EXCLUDED.right_expr, severity = EXCLUDED.severity`,
        [r.code, r.framework, r.nameEn, r.nameUr, r.left, r.operator, r.right, r.severity],
      );
    }
  });
}

async function* asAsync(rows: Iterable<SourceRow>): AsyncGenerator<SourceRow> {
  yield* rows;
}

/** Imports the synthetic demo values through the same pipeline as any file, with their approval history. */
export async function seedDemoValues(db: Database, onProgress?: (rows: number) => void): Promise<ImportSummary> {
  const frameworks = await loadFrameworks(db);
  const units = (await db.query<{ code: string; level: string; validFrom: string | null; validTo: string | null }>(
    `SELECT code, level, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo" FROM org_unit ORDER BY id`,
  )).rows;
  const options = new Map(seedCatalogue().map((c) => [c.code, c.options.map((o) => o.code)]));
  const rules = readJson<RuleSeed[]>('validation-rules.json').map((r) => ({ ...r, operator: r.operator as ValidationRule['operator'] }));
  const rows = makeConsistent([...demoValues(frameworks, units, options)], rules);
  // The demo comes with an account per role, so each screen can be tried as the one who uses it.
  await seedDemoUsers(db);
  const summary = await importRows(db, asAsync(rows), {
    user: 'demo-seed',
    format: 'demo',
    synthetic: true,
    skipInvalid: true,
    // The demo's history predates its own submissions and the framework's entry expiry.
    entryLocks: false,
    onProgress,
  });
  await seedDemoSubmissions(db);
  // Four months after a quarter ends its reports are closed for entry, as a province's reporting calendar would have it.
  await db.query('UPDATE framework SET entry_expiry_days = $1 WHERE entry_expiry_days IS NULL', [DEMO_ENTRY_EXPIRY_DAYS]);
  return summary;
}

/** True when the database holds no framework yet (a fresh install). */
export async function isEmpty(db: Database): Promise<boolean> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM framework');
  return (r.rows[0]?.n ?? 0) === 0;
}
