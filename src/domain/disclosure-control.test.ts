import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISCLOSURE_RULE,
  protectCounts,
  ratioSuppression,
  recoverableCells,
  type AdditiveRelation,
  type CountCell,
} from './disclosure-control.ts';
import { seededRandom } from './seeded-random.ts';


/** Rank of an integer matrix by fraction-free elimination in exact BigInt arithmetic. */
function rank(matrix: bigint[][]): number {
  const rows = matrix.map((r) => [...r]);
  const width = rows[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < width && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p]!, rows[r]!];
    for (let i = 0; i < rows.length; i++) {
      if (i === r || rows[i]![c] === 0n) continue;
      const a = rows[r]![c]!;
      const b = rows[i]![c]!;
      rows[i] = rows[i]!.map((x, k) => x * a - rows[r]![k]! * b);
    }
    r++;
  }
  return r;
}

/**
 * An attacker's view, written independently of the code under test: with the published cells known, the
 * relations that hold are linear equations in the hidden cells. A hidden cell is recoverable exactly when its
 * column is not in the span of the other hidden cells' columns: rank drops by one without it.
 */
function recoverableByAttacker(cells: CountCell[], relations: AdditiveRelation[], hidden: Set<string>): string[] {
  const value = new Map(cells.map((c) => [c.key, c.value ?? 0]));
  const unknowns = [...hidden].filter((k) => cells.find((c) => c.key === k)!.value !== null);
  const holding = relations.filter((r) => r.parts.reduce((s, p) => s + value.get(p)!, 0) === value.get(r.total));
  const matrix = holding.map((r) => unknowns.map((k) => BigInt((r.total === k ? 1 : 0) - r.parts.filter((p) => p === k).length)));
  const full = rank(matrix);
  return unknowns.filter((_, j) => full - rank(matrix.map((row) => row.filter((__, k) => k !== j))) === 1);
}

/**
 * A random published table: an org-unit tree (country → provinces → districts) × a total and the options of
 * one or two categories, with counts mostly large, some small, some zero, some missing at the bottom.
 */
function randomTable(seed: number): { cells: CountCell[]; relations: AdditiveRelation[] } {
  const rand = seededRandom(seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const units: { code: string; parent: string | null }[] = [{ code: 'PK', parent: null }];
  for (let p = 0; p < 2 + pick(4); p++) {
    units.push({ code: `P${p}`, parent: 'PK' });
    for (let d = 0; d < 1 + pick(5); d++) units.push({ code: `P${p}D${d}`, parent: `P${p}` });
  }
  const categories = [['sex', ['F', 'M', 'X']], ['age', ['0-14', '15-29', '30+']]].slice(0, 1 + pick(2)) as [string, string[]][];
  const leaves = units.filter((u) => !units.some((c) => c.parent === u.code));
  const leafValue = () => {
    const r = rand();
    return r < 0.15 ? 0 : r < 0.5 ? 1 + pick(9) : 10 + pick(200);
  };
  // Values live on the finest cross-classification at the leaves; every published cell is a sum of them.
  const atoms = new Map<string, number>();
  const combos = categories.reduce<string[][]>((acc, [cat, opts]) => acc.flatMap((a) => opts.map((o) => [...a, `${cat}=${o}`])), [[]]);
  for (const u of leaves) for (const combo of combos) atoms.set(`${u.code}|${combo.join(';')}`, leafValue());
  const under = (code: string): string[] => {
    const kids = units.filter((u) => u.parent === code);
    return kids.length ? kids.flatMap((k) => under(k.code)) : [code];
  };
  const disaggs = ['', ...categories.flatMap(([cat, opts]) => opts.map((o) => `${cat}=${o}`))];
  const cells: CountCell[] = [];
  const key = (u: string, d: string) => `${u}|${d}`;
  for (const u of units) {
    for (const d of disaggs) {
      let sum = 0;
      for (const leaf of under(u.code)) for (const combo of combos) if (d === '' || combo.includes(d)) sum += atoms.get(`${leaf}|${combo.join(';')}`)!;
      cells.push({ key: key(u.code, d), value: d !== '' && u.parent !== null && rand() < 0.05 ? null : sum });
    }
  }
  const relations: AdditiveRelation[] = [];
  for (const u of units) {
    const kids = units.filter((c) => c.parent === u.code);
    if (kids.length) for (const d of disaggs) relations.push({ total: key(u.code, d), parts: kids.map((k) => key(k.code, d)) });
    for (const [cat, opts] of categories) relations.push({ total: key(u.code, ''), parts: opts.map((o) => key(u.code, `${cat}=${o}`)) });
  }
  return { cells, relations };
}

describe('protectCounts', () => {
  it('hides counts 1–9 and publishes zero and ten', () => {
    const cells = [0, 1, 9, 10, null].map((value, i) => ({ key: `c${i}`, value }));
    expect([...protectCounts(cells, []).entries()]).toEqual([['c1', 'small_count'], ['c2', 'small_count']]);
  });

  it('takes its threshold from the rule', () => {
    const cells = [{ key: 'a', value: 4 }, { key: 'b', value: 5 }];
    expect([...protectCounts(cells, [], { threshold: 5 }).keys()]).toEqual(['a']);
  });

  it('hides a second cell of a row and of a column so that neither total gives a small cell away', () => {
    // Two districts × (total, F, M): district D1 has 3 women.
    const v: Record<string, number> = {
      'PK|': 250, 'PK|F': 103, 'PK|M': 147, 'D1|': 100, 'D1|F': 3, 'D1|M': 97, 'D2|': 150, 'D2|F': 100, 'D2|M': 50,
    };
    const cells = Object.entries(v).map(([key, value]) => ({ key, value }));
    const relations: AdditiveRelation[] = [
      { total: 'PK|', parts: ['D1|', 'D2|'] }, { total: 'PK|F', parts: ['D1|F', 'D2|F'] }, { total: 'PK|M', parts: ['D1|M', 'D2|M'] },
      { total: 'PK|', parts: ['PK|F', 'PK|M'] }, { total: 'D1|', parts: ['D1|F', 'D1|M'] }, { total: 'D2|', parts: ['D2|F', 'D2|M'] },
    ];
    const hidden = protectCounts(cells, relations);
    expect(hidden.get('D1|F')).toBe('small_count');
    expect(hidden.get('D1|M')).toBe('complementary');
    expect(hidden.get('D2|F')).toBe('complementary');
    expect(hidden.get('D2|M')).toBe('complementary');
    expect(recoverableByAttacker(cells, relations, new Set(hidden.keys()))).toEqual([]);
    // The national figures stay: they are what a reader most needs.
    for (const k of ['PK|', 'PK|F', 'PK|M']) expect(hidden.has(k)).toBe(false);
  });

  it('hides more when relations solve together although each already has two hidden cells', () => {
    // a + b, b + c and a + c are all published: a = (T1 − T2 + T3) / 2, though no total has one hidden cell alone.
    const cells = [
      { key: 'a', value: 4 }, { key: 'b', value: 6 }, { key: 'c', value: 30 }, { key: 'd', value: 40 },
      { key: 'T1', value: 10 }, { key: 'T2', value: 36 }, { key: 'T3', value: 34 }, { key: 'T4', value: 70 },
    ];
    const relations = [
      { total: 'T1', parts: ['a', 'b'] }, { total: 'T2', parts: ['b', 'c'] }, { total: 'T3', parts: ['a', 'c'] },
      { total: 'T4', parts: ['c', 'd'] },
    ];
    expect(recoverableByAttacker(cells, relations, new Set(['a', 'b', 'c']))).toEqual(['a', 'b', 'c']);
    const hidden = protectCounts(cells, relations);
    expect(hidden.size).toBeGreaterThan(3);
    expect(recoverableByAttacker(cells, relations, new Set(hidden.keys()))).toEqual([]);
  });

  it('ignores a relation the values do not satisfy: it solves for nothing', () => {
    // 5 of the district's 40 were reported without a sex: 40 ≠ 3 + 32.
    const cells = [{ key: 'T', value: 40 }, { key: 'F', value: 3 }, { key: 'M', value: 32 }];
    const relations = [{ total: 'T', parts: ['F', 'M'] }];
    expect([...protectCounts(cells, relations).keys()]).toEqual(['F']);
  });

  it('leaves no hidden cell recoverable by solving the published totals, in 300 random tables', () => {
    let hiddenCells = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { cells, relations } = randomTable(seed);
      const hidden = protectCounts(cells, relations, DEFAULT_DISCLOSURE_RULE);
      for (const c of cells) {
        if (c.value !== null && c.value > 0 && c.value < 10) expect(hidden.get(c.key), `seed ${seed} ${c.key}`).toBe('small_count');
      }
      const keys = new Set(hidden.keys());
      expect(recoverableByAttacker(cells, relations, keys), `seed ${seed}`).toEqual([]);
      expect(recoverableCells(cells, relations, keys), `seed ${seed}`).toEqual([]);
      hiddenCells += hidden.size;
    }
    expect(hiddenCells).toBeGreaterThan(1000);
  });

  it('does not hide what needs no protection: a table without small counts is published whole', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const { cells, relations } = randomTable(seed);
      // Ten times every value: the relations still hold, and no count is under ten.
      const large = cells.map((c) => ({ key: c.key, value: c.value === null ? null : c.value * 10 }));
      expect(protectCounts(large, relations).size, `seed ${seed}`).toBe(0);
    }
  });
});

describe('ratioSuppression', () => {
  it('hides a ratio with a denominator under the threshold, or a numerator that is a small count', () => {
    expect(ratioSuppression(5, 8, DEFAULT_DISCLOSURE_RULE)).toBe('small_denominator');
    expect(ratioSuppression(3, 200, DEFAULT_DISCLOSURE_RULE)).toBe('small_count');
    expect(ratioSuppression(0, 200, DEFAULT_DISCLOSURE_RULE)).toBeNull();
    expect(ratioSuppression(40, 200, DEFAULT_DISCLOSURE_RULE)).toBeNull();
    expect(ratioSuppression(4, 8, { threshold: 3 })).toBeNull();
  });
});
