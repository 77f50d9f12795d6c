import { describe, expect, it } from 'vitest';
import {
  describeExpression,
  evaluate,
  ExpressionError,
  expressionReferences,
  findCycle,
  parseExpression,
  referenceKey,
  type Lookup,
  type Reference,
} from './expression.ts';

const ref = (indicator: string, over: Partial<Reference> = {}): Reference => ({
  indicator,
  disaggregation: '',
  measure: 'value',
  periodOffset: 0,
  ...over,
});

/** Evaluates text against a table of reference keys → values. */
function run(text: string, values: Record<string, number | null> = {}) {
  return evaluate(parseExpression(text), (r) => values[referenceKey(r)]);
}

function parseError(text: string): ExpressionError {
  try {
    parseExpression(text);
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error(`"${text}" parsed but should not`);
}

describe('parseExpression: references', () => {
  it('reads a total value reference with a dashed code', () => {
    expect(expressionReferences(parseExpression('#{REV-04}'))).toEqual([ref('REV-04')]);
  });

  it('canonicalises a disaggregation key, whatever order it was written in', () => {
    const [r] = expressionReferences(parseExpression('#{REV-04[sex=F;age=15-19]}'));
    expect(r).toEqual(ref('REV-04', { disaggregation: 'age=15-19;sex=F' }));
  });

  it('reads numerator and denominator measures', () => {
    expect(expressionReferences(parseExpression('#{RIN-02.numerator} / #{RIN-02.denominator}'))).toEqual([
      ref('RIN-02', { measure: 'numerator' }),
      ref('RIN-02', { measure: 'denominator' }),
    ]);
  });

  it('keeps dots that belong to the code', () => {
    expect(expressionReferences(parseExpression('#{A.1.b}'))).toEqual([ref('A.1.b')]);
  });

  it('reads period offsets, alone and combined with disaggregation and measure', () => {
    expect(expressionReferences(parseExpression('#{X@-1} + #{X[sex=F].numerator@-4} + #{X@+2}'))).toEqual([
      ref('X', { periodOffset: -1 }),
      ref('X', { disaggregation: 'sex=F', measure: 'numerator', periodOffset: -4 }),
      ref('X', { periodOffset: 2 }),
    ]);
  });

  it('lists each distinct reference once, in order of first appearance', () => {
    const refs = expressionReferences(parseExpression('#{B} + #{A} * #{B} - #{A[sex=M]}'));
    expect(refs.map(referenceKey)).toEqual(['B', 'A', 'A[sex=M]']);
  });

  it('treats the same cell written two ways as one reference', () => {
    const refs = expressionReferences(parseExpression('#{A[sex=F;age=0-4]} + #{A[age=0-4;sex=F]}'));
    expect(refs).toHaveLength(1);
  });
});

describe('referenceKey', () => {
  it('is the reference syntax without #{}', () => {
    expect(referenceKey(ref('REV-04'))).toBe('REV-04');
    expect(referenceKey(ref('REV-04', { disaggregation: 'sex=F', measure: 'denominator', periodOffset: -1 }))).toBe(
      'REV-04[sex=F].denominator@-1',
    );
    expect(referenceKey(ref('A', { periodOffset: 3 }))).toBe('A@+3');
  });

  it('round-trips through the parser', () => {
    for (const text of ['A', 'A[age=15-19;sex=F]', 'A.numerator', 'A[sex=F].denominator@-4', 'A@+1']) {
      const [r] = expressionReferences(parseExpression(`#{${text}}`));
      expect(referenceKey(r!)).toBe(text);
    }
  });
});

describe('parseExpression: arithmetic and precedence', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 * 3 / 4 * 2', 3],
    ['100 / 10 / 2', 5],
    ['-2 * 3', -6],
    ['- -2', 2],
    ['-(2 + 3) * 2', -10],
    ['1.5 + .25', 1.75],
    ['1 + 1 < 3', 1],
    ['1 + 1 > 3', 0],
    ['2 * 3 == 6', 1],
    ['(1 < 2) + (3 < 4)', 2],
  ])('%s = %d', (text, expected) => {
    expect(run(text)).toEqual({ value: expected });
  });

  it.each([
    ['1 < 2', 1],
    ['2 < 2', 0],
    ['2 <= 2', 1],
    ['3 > 2', 1],
    ['2 >= 3', 0],
    ['2 == 2', 1],
    ['2 != 2', 0],
    ['0.1 + 0.2 == 0.3', 1],
    ['0.1 + 0.2 <= 0.3', 1],
    ['0.1 + 0.2 > 0.3', 0],
  ])('comparison %s yields %d', (text, expected) => {
    expect(run(text)).toEqual({ value: expected });
  });

  it('describes an expression with only the parentheses it needs', () => {
    expect(describeExpression(parseExpression('((#{A} + (#{B})) * 2) - (3 - #{C@-1})'))).toBe('(A + B) * 2 - (3 - C@-1)');
    expect(describeExpression(parseExpression('-(#{A}+1) <= max(#{B[sex=F]}, 0)'))).toBe('-(A + 1) <= max(B[sex=F], 0)');
  });
});

describe('parseExpression: functions', () => {
  it('evaluates min, max, abs, if, coalesce', () => {
    expect(run('min(3, 1, 2)')).toEqual({ value: 1 });
    expect(run('max(3, 1, 2)')).toEqual({ value: 3 });
    expect(run('abs(2 - 5)')).toEqual({ value: 3 });
    expect(run('if(1 < 2, 10, 20)')).toEqual({ value: 10 });
    expect(run('if(0, 10, 20)')).toEqual({ value: 20 });
    expect(run('coalesce(#{A}, #{B}, 7)', { B: 4 })).toEqual({ value: 4 });
  });

  it('accepts function names in capitals, as spreadsheet users write them', () => {
    expect(run('MAX(1, 2) + Min(4, 3)')).toEqual({ value: 5 });
  });

  it('allows comparisons inside arguments', () => {
    expect(run('if(#{A} >= 10, 1, 2)', { A: 10 })).toEqual({ value: 1 });
  });
});

describe('parseExpression: errors name the position and the reason', () => {
  it.each([
    ['(#{A} + 1))', 11, "unexpected ')'"],
    ['foo(1)', 1, "unknown function 'foo'"],
    ['2 * bar(1)', 5, "unknown function 'bar'"],
    ['#{REV-04 + 1', 1, "unclosed reference '#{REV-04'"],
    ['1 + #{REV-04', 5, "unclosed reference '#{REV-04'"],
    ['(1 + 2', 1, "unclosed '('"],
    ['max(1, 2', 4, "unclosed '('"],
    ['1 +', 4, 'unexpected end of expression'],
    ['1 2', 3, "unexpected '2'"],
    ['1 < 2 < 3', 7, 'comparisons cannot be chained'],
    ['1 = 2', 3, "unexpected '=' (write == to compare)"],
    ['!1', 1, "unexpected '!'"],
    ['1 & 2', 3, "unexpected character '&'"],
    ['1..2', 2, "expected digits after '1.'"],
    ['#A', 1, "expected '{' after '#'"],
    ['#{}', 3, "expected an indicator code after '#{'"],
    ['#{-A}', 3, "'-A' is not an indicator code"],
    ['#{A[sex]}', 5, 'not category=option'],
    ['#{A[]}', 4, "empty disaggregation '[]'"],
    ['#{A[sex=F}', 4, "unclosed '['"],
    ['#{A[sex=F].foo}', 11, "unknown measure '.foo'"],
    ['#{A.numerator[sex=F]}', 14, 'put the disaggregation before .numerator'],
    ['#{A@}', 4, 'expected a period offset such as @-1'],
    ['#{A@x}', 4, 'expected a period offset such as @-1'],
    ['#{A~}', 4, "unexpected '~' in reference"],
    ['abs(1, 2)', 1, 'abs() takes 1 argument, got 2'],
    ['if(1, 2)', 1, 'if() takes 3 arguments, got 2'],
    ['min()', 1, 'min() takes at least 1 argument, got 0'],
    ['max(1,)', 7, "unexpected ')'"],
  ])('%s → position %d, %s', (text, position, reason) => {
    const e = parseError(text);
    expect(e.position).toBe(position);
    expect(e.reason).toContain(reason);
    expect(e.expression).toBe(text);
    expect(e.message).toContain(`at position ${position}`);
  });

  it('refuses an empty or blank expression', () => {
    for (const text of ['', '   ']) {
      const e = parseError(text);
      expect(e.reason).toBe('empty expression');
      expect(e.message).toBe('empty expression');
    }
  });

  it('adds context when rethrown for a rule or formula', () => {
    const e = parseError('foo(1)').withContext('rule R-01, left side');
    expect(e.message).toMatch(/^rule R-01, left side: unknown function 'foo'/);
  });
});

describe('parseExpression: safety', () => {
  it.each([
    ['constructor', "unknown name 'constructor'"],
    ['__proto__', "unknown name '__proto__'"],
    ['toString', "unknown name 'toString'"],
    ['__proto__(1)', "unknown function '__proto__'"],
    ['constructor(1)', "unknown function 'constructor'"],
    ['hasOwnProperty(1)', "unknown function 'hasOwnProperty'"],
    ['process.exit()', "unknown function 'process.exit'"],
    ['globalThis.process', "unknown name 'globalThis.process'"],
    ['eval(1)', "unknown function 'eval'"],
    ['Function(1)', "unknown function 'Function'"],
    ['this', "unknown name 'this'"],
    ['require(1)', "unknown function 'require'"],
  ])('refuses %s', (text, reason) => {
    expect(parseError(text).reason).toContain(reason);
  });

  it('refuses JavaScript syntax that is not part of the language', () => {
    for (const text of ['[1, 2]', '"a"', "'a'", '1 ? 2 : 3', 'a => 1', '1 && 2', '`x`', '{}']) {
      expect(() => parseExpression(text)).toThrow(ExpressionError);
    }
  });
});

describe('evaluate', () => {
  it('reads references through the lookup with measure, disaggregation and offset', () => {
    const seen: Reference[] = [];
    const lookup: Lookup = (r) => {
      seen.push(r);
      return r.measure === 'numerator' ? 30 : 60;
    };
    expect(evaluate(parseExpression('#{A[sex=F].numerator@-1} * 100 / #{A}'), lookup)).toEqual({ value: 50 });
    expect(seen).toEqual([ref('A', { disaggregation: 'sex=F', measure: 'numerator', periodOffset: -1 }), ref('A')]);
  });

  it('propagates missing values and names every missing reference once', () => {
    expect(run('#{A} + #{B} * #{A}', { B: 2 })).toEqual({ value: null, missing: [ref('A')] });
    expect(run('#{A} + #{B}')).toEqual({ value: null, missing: [ref('A'), ref('B')] });
    expect(run('max(#{A}, 1)')).toEqual({ value: null, missing: [ref('A')] });
    expect(run('-#{A}')).toEqual({ value: null, missing: [ref('A')] });
    expect(run('#{A} < 1')).toEqual({ value: null, missing: [ref('A')] });
  });

  it('treats null, undefined and NaN from the lookup as missing, but 0 as a value', () => {
    expect(run('#{A}', { A: null })).toEqual({ value: null, missing: [ref('A')] });
    expect(evaluate(parseExpression('#{A}'), () => Number.NaN)).toEqual({ value: null, missing: [ref('A')] });
    expect(run('#{A} + 1', { A: 0 })).toEqual({ value: 1 });
  });

  it('coalesce takes the first present value, even 0, and is missing only when all are', () => {
    expect(run('coalesce(#{A}, #{B})', { A: 0, B: 5 })).toEqual({ value: 0 });
    expect(run('coalesce(#{A}, #{B}, 9)')).toEqual({ value: 9 });
    expect(run('coalesce(#{A}, #{B})')).toEqual({ value: null, missing: [ref('A'), ref('B')] });
    expect(run('coalesce(#{A} + #{B}, #{C})', { A: 1, C: 3 })).toEqual({ value: 3 });
    expect(run('coalesce(#{A}, 0) + #{B}', { B: 2 })).toEqual({ value: 2 });
  });

  it('gives an error, never Infinity, for division by zero', () => {
    expect(run('1 / 0')).toEqual({ value: null, error: 'division by zero' });
    expect(run('#{A} / (#{B} - #{B})', { A: 1, B: 4 })).toEqual({ value: null, error: 'division by zero' });
    expect(run('0 / 0')).toEqual({ value: null, error: 'division by zero' });
  });

  it('reports missing data, not an error, when the dividend is missing', () => {
    expect(run('#{A} / 0')).toEqual({ value: null, missing: [ref('A')] });
  });

  it('lets an error win over missing data and keeps it through coalesce', () => {
    expect(run('#{A} + 1 / 0')).toEqual({ value: null, error: 'division by zero' });
    expect(run('coalesce(1 / 0, 5)')).toEqual({ value: null, error: 'division by zero' });
  });

  it('if() evaluates only the branch it takes, so it can guard a division', () => {
    expect(run('if(#{B} == 0, 0, #{A} / #{B})', { A: 5, B: 0 })).toEqual({ value: 0 });
    expect(run('if(#{B} == 0, 0, #{A} / #{B})', { A: 5, B: 2 })).toEqual({ value: 2.5 });
    expect(run('if(1, 2, #{MISSING})')).toEqual({ value: 2 });
    expect(run('if(#{C}, 1, 2)')).toEqual({ value: null, missing: [ref('C')] });
  });

  it('reports overflow as an error', () => {
    expect(run('#{A} * #{A}', { A: 1e200 })).toEqual({ value: null, error: 'result is not a finite number' });
  });
});

describe('findCycle', () => {
  it('returns null when formulas form no cycle', () => {
    const defs = new Map([
      ['C', '#{A} + #{B}'],
      ['D', '#{C} * 2 + #{A}'],
      ['E', '#{D} - #{C}'],
    ]);
    expect(findCycle(defs)).toBeNull();
  });

  it('finds a two-step cycle as a path back to its start', () => {
    const defs = new Map([
      ['A', '#{B} + 1'],
      ['B', '#{A} * 2'],
    ]);
    expect(findCycle(defs)).toEqual(['A', 'B', 'A']);
  });

  it('finds a longer cycle reached from outside it, without the lead-in', () => {
    const defs = new Map([
      ['START', '#{X}'],
      ['X', '#{Y[sex=F].numerator}'],
      ['Y', '#{Z}'],
      ['Z', 'coalesce(#{X@-1}, 0)'],
    ]);
    expect(findCycle(defs)).toEqual(['X', 'Y', 'Z', 'X']);
  });

  it('finds a formula that uses itself', () => {
    expect(findCycle(new Map([['A', '#{A@-1} + #{RAW}']]))).toEqual(['A', 'A']);
  });

  it('ignores references to indicators that are not calculated', () => {
    expect(findCycle(new Map([['A', '#{RAW} + #{OTHER}']]))).toBeNull();
  });

  it('names the indicator whose formula does not parse', () => {
    expect(() => findCycle(new Map([['A', '#{B} +']]))).toThrow(/^formula of A: unexpected end of expression/);
  });
});
