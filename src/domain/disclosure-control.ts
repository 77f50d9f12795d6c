/**
 * Disclosure control for published tables: no count of 1 to threshold − 1 (default 1–9) is published, nor
 * any published figure from which one could be worked out.
 *
 * - Primary: a count from 1 to threshold − 1 is hidden (`small_count`). Zero is published: it names nobody.
 * - Ratios: a ratio whose denominator is under the threshold (`small_denominator`), or whose numerator is a
 *   hidden count (`small_count`), is hidden. Numerators and denominators themselves are never published.
 * - Complementary: a table's additive relations (a province's total is the sum of its districts, a total the
 *   sum of a category's options) let a reader solve for a hidden cell from the published ones. Further cells
 *   are hidden (`complementary`) until no hidden cell is determined by the published cells: for each one, the
 *   unit vector of that cell is not in the row space of the relations restricted to the hidden cells.
 *
 * A relation is used only when the values satisfy it (a cell without data counts as 0): one they do not
 * satisfy, such as a total that includes values reported without a breakdown, solves for nothing.
 */

export interface DisclosureRule {
  /** Counts from 1 to threshold − 1 are hidden, and ratios with a denominator under it. */
  threshold: number;
}

export const DEFAULT_DISCLOSURE_RULE: DisclosureRule = { threshold: 10 };

export type SuppressionReason = 'small_count' | 'complementary' | 'small_denominator';

export interface CountCell {
  key: string;
  /** null: no data, published as such. */
  value: number | null;
}

/** total = Σ parts, each a cell key. */
export interface AdditiveRelation {
  total: string;
  parts: string[];
}

const EPSILON = 1e-9;

export function isSmallCount(value: number | null, rule: DisclosureRule): boolean {
  return value !== null && value > 0 && value < rule.threshold;
}

/** Why a ratio must be hidden, or null when it may be published. */
export function ratioSuppression(numerator: number | null, denominator: number | null, rule: DisclosureRule): SuppressionReason | null {
  if (denominator !== null && denominator < rule.threshold) return 'small_denominator';
  if (isSmallCount(numerator, rule)) return 'small_count';
  return null;
}

/** The relations the values satisfy, each cell listed once. */
function holdingRelations(values: Map<string, number | null>, relations: AdditiveRelation[]): AdditiveRelation[] {
  const value = (k: string) => values.get(k) ?? 0;
  return relations.filter((r) => {
    if (!values.has(r.total) || r.parts.some((p) => !values.has(p))) throw new Error(`relation names a cell that is not in the table: ${r.total}`);
    const sum = r.parts.reduce((s, p) => s + value(p), 0);
    return Math.abs(sum - value(r.total)) <= EPSILON * Math.max(1, Math.abs(sum));
  });
}

/**
 * The hidden cells (with data) that the published cells determine through the relations. Gauss–Jordan
 * elimination over the hidden cells: a hidden cell is determined exactly when its pivot row has no entry
 * in a free column, i.e. its unit vector lies in the row space.
 */
export function recoverableCells(cells: CountCell[], relations: AdditiveRelation[], hidden: ReadonlySet<string>): string[] {
  const values = new Map(cells.map((c) => [c.key, c.value]));
  const unknowns = [...hidden].filter((k) => values.get(k) !== null && values.get(k) !== undefined);
  const column = new Map(unknowns.map((k, i) => [k, i]));
  const rows: number[][] = [];
  for (const r of holdingRelations(values, relations)) {
    const row = new Array<number>(unknowns.length).fill(0);
    let any = false;
    for (const [key, sign] of [[r.total, 1], ...r.parts.map((p) => [p, -1] as const)] as const) {
      const c = column.get(key);
      if (c !== undefined) {
        row[c]! += sign;
        any = true;
      }
    }
    if (any) rows.push(row);
  }
  const pivotRowOf = new Map<number, number[]>();
  let next = 0;
  for (let c = 0; c < unknowns.length && next < rows.length; c++) {
    let best = next;
    for (let r = next + 1; r < rows.length; r++) if (Math.abs(rows[r]![c]!) > Math.abs(rows[best]![c]!)) best = r;
    if (Math.abs(rows[best]![c]!) <= EPSILON) continue;
    [rows[next], rows[best]] = [rows[best]!, rows[next]!];
    const pivot = rows[next]!;
    const p = pivot[c]!;
    for (let k = 0; k < pivot.length; k++) pivot[k]! /= p;
    for (let r = 0; r < rows.length; r++) {
      const f = rows[r]![c]!;
      if (r === next || Math.abs(f) <= EPSILON) continue;
      const row = rows[r]!;
      for (let k = 0; k < row.length; k++) row[k]! -= f * pivot[k]!;
    }
    pivotRowOf.set(c, pivot);
    next++;
  }
  return unknowns.filter((_, c) => {
    const row = pivotRowOf.get(c);
    return row !== undefined && row.every((x, k) => k === c || Math.abs(x) <= EPSILON);
  });
}

/**
 * Which cells of a table of counts to hide, and why. Complementary cells are chosen to lose little and
 * protect much: a cell with a value over one that is zero, a cell that is no relation's total over one that
 * is (hiding a total spreads to its own parts), then the smallest value.
 */
export function protectCounts(cells: CountCell[], relations: AdditiveRelation[], rule: DisclosureRule = DEFAULT_DISCLOSURE_RULE): Map<string, SuppressionReason> {
  const values = new Map(cells.map((c) => [c.key, c.value]));
  const holding = holdingRelations(values, relations);
  const totals = new Set(holding.map((r) => r.total));
  const hidden = new Map<string, SuppressionReason>();
  for (const c of cells) if (isSmallCount(c.value, rule)) hidden.set(c.key, 'small_count');

  const members = (r: AdditiveRelation) => [r.total, ...r.parts];
  const withData = (k: string) => values.get(k) !== null;
  const cost = (k: string): [number, number, number] => [values.get(k) === 0 ? 1 : 0, totals.has(k) ? 1 : 0, values.get(k)!];
  const cheaper = (a: string, b: string) => {
    const [x, y] = [cost(a), cost(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || (a < b ? -1 : 1);
  };
  const candidatesIn = (rs: AdditiveRelation[]) => rs.flatMap(members).filter((k) => withData(k) && !hidden.has(k)).sort(cheaper);
  /** Hides the cheapest published cell of the relation; false when none is left. */
  const hideOneIn = (r: AdditiveRelation): boolean => {
    const [best] = candidatesIn([r]);
    if (best) hidden.set(best, 'complementary');
    return best !== undefined;
  };
  /**
   * Hides the cheapest published cell in the relations nearest to a determined cell: its own relations first,
   * then those they connect to. Once everything connected is hidden, nothing with a value is determined.
   */
  const hideNear = (key: string): boolean => {
    const seen = new Set([key]);
    let level = holding.filter((r) => members(r).includes(key));
    const used = new Set(level);
    while (level.length) {
      const [best] = candidatesIn(level);
      if (best) {
        hidden.set(best, 'complementary');
        return true;
      }
      const cells = level.flatMap(members).filter((k) => !seen.has(k));
      for (const k of cells) seen.add(k);
      level = holding.filter((r) => !used.has(r) && members(r).some((k) => cells.includes(k)));
      for (const r of level) used.add(r);
    }
    return false;
  };

  for (;;) {
    // A relation with one hidden cell gives it away directly: the cheap, common case, settled first.
    let changed = true;
    while (changed) {
      changed = false;
      for (const r of holding) {
        if (members(r).filter((k) => withData(k) && hidden.has(k)).length === 1 && hideOneIn(r)) changed = true;
      }
    }
    // Relations that solve together, each with two or more hidden cells, can still give one away. One cell is
    // hidden at a time: it often protects the other determined cells too.
    const determined = recoverableCells(cells, holding, new Set(hidden.keys()));
    if (!determined.some(hideNear)) return hidden;
  }
}
