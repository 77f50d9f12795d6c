/**
 * Expressions over indicators, used by validation rules and calculated indicators:
 *
 *   #{REV-04[sex=F]} <= #{REV-04}          #{RIN-02.numerator@-1} * 100 / max(#{X}, 1)
 *
 * A small hand-written recursive-descent parser and a tree-walking evaluator: no eval, no Function,
 * no property lookups on user-supplied names, so an expression can only reach the values the caller's
 * lookup hands out. Positions in errors and in the tree are 1-based characters, as a user counts them.
 */
import { canonicalDisaggregation, DisaggregationError, type DisaggregationKey } from './disaggregation.ts';

export type Measure = 'value' | 'numerator' | 'denominator';

/** One indicator value an expression reads: `#{CODE[disaggregation].measure@offset}`. */
export interface Reference {
  indicator: string;
  /** Canonical disaggregation key; '' is the total. */
  disaggregation: DisaggregationKey;
  measure: Measure;
  /** Periods away from the evaluated period, of the same type: -1 is the previous one. */
  periodOffset: number;
}

export const COMPARISON_OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export type ArithmeticOperator = '+' | '-' | '*' | '/';
export type FunctionName = 'min' | 'max' | 'abs' | 'if' | 'coalesce';

export type Expression =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'reference'; reference: Reference; position: number }
  | { kind: 'negate'; operand: Expression; position: number }
  | { kind: 'arithmetic'; operator: ArithmeticOperator; left: Expression; right: Expression; position: number }
  | { kind: 'comparison'; operator: ComparisonOperator; left: Expression; right: Expression; position: number }
  | { kind: 'call'; name: FunctionName; args: Expression[]; position: number };

export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    /** 1-based character position of the problem. */
    readonly position: number,
    readonly reason: string,
    /** What the expression belongs to, e.g. "rule R-01, left side". */
    readonly context?: string,
  ) {
    const where = expression.trim() === '' ? '' : ` at position ${position} in "${expression}"`;
    super(`${context ? `${context}: ` : ''}${reason}${where}`);
    this.name = 'ExpressionError';
  }

  withContext(context: string): ExpressionError {
    return new ExpressionError(this.expression, this.position, this.reason, context);
  }
}

/** Allowed argument counts; a Map so that names like `constructor` are never found on a prototype. */
const FUNCTIONS = new Map<string, { name: FunctionName; min: number; max: number }>([
  ['min', { name: 'min', min: 1, max: Infinity }],
  ['max', { name: 'max', min: 1, max: Infinity }],
  ['abs', { name: 'abs', min: 1, max: 1 }],
  ['if', { name: 'if', min: 3, max: 3 }],
  ['coalesce', { name: 'coalesce', min: 1, max: Infinity }],
]);

const INDICATOR_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CODE_CHAR = /[A-Za-z0-9._-]/;

type Token =
  | { type: 'number'; value: number; text: string; position: number }
  | { type: 'reference'; reference: Reference; text: string; position: number }
  | { type: 'name'; text: string; position: number }
  | { type: 'symbol'; text: string; position: number }
  | { type: 'end'; text: ''; position: number };

/** Produces tokens on demand, so an error is reported at the first problem from the left. */
class Lexer {
  private index = 0;
  private peeked: Token | null = null;

  constructor(private readonly text: string) {}

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  fail(index: number, reason: string): ExpressionError {
    return new ExpressionError(this.text, index + 1, reason);
  }

  private scan(): Token {
    const s = this.text;
    while (this.index < s.length && /\s/.test(s[this.index]!)) this.index++;
    const start = this.index;
    const position = start + 1;
    if (start >= s.length) return { type: 'end', text: '', position };
    const c = s[start]!;

    const number = /\d+(?:\.\d+)?|\.\d+/y;
    number.lastIndex = start;
    const num = number.exec(s);
    if (num) {
      this.index = number.lastIndex;
      if (s[this.index] === '.') throw this.fail(this.index, `expected digits after '${s.slice(start, this.index + 1)}'`);
      return { type: 'number', value: Number(num[0]), text: num[0], position };
    }

    // Dotted names are one token so that `process.exit()` is refused as a whole, by name.
    const name = /[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*/y;
    name.lastIndex = start;
    const word = name.exec(s);
    if (word) {
      this.index = name.lastIndex;
      return { type: 'name', text: word[0], position };
    }

    if (c === '#') return this.reference(start);

    const two = s.slice(start, start + 2);
    if (two === '<=' || two === '>=' || two === '==' || two === '!=') {
      this.index += 2;
      return { type: 'symbol', text: two, position };
    }
    if ('+-*/(),<>'.includes(c)) {
      this.index += 1;
      return { type: 'symbol', text: c, position };
    }
    if (c === '=') throw this.fail(start, "unexpected '=' (write == to compare)");
    if (c === '!') throw this.fail(start, "unexpected '!' (write != for 'not equal')");
    throw this.fail(start, `unexpected character '${c}'`);
  }

  /** `#{CODE[disaggregation].measure@offset}`, each part after the code optional, in that order. */
  private reference(start: number): Token {
    const s = this.text;
    if (s[start + 1] !== '{') throw this.fail(start, "expected '{' after '#' (indicators are written #{CODE})");
    let i = start + 2;
    while (i < s.length && CODE_CHAR.test(s[i]!)) i++;
    let code = s.slice(start + 2, i);
    let measure: Measure = 'value';
    const suffix = /\.(numerator|denominator)$/.exec(code);
    if (suffix && suffix.index > 0) {
      measure = suffix[1] as Measure;
      code = code.slice(0, suffix.index);
    }
    if (code === '') throw this.fail(start + 2, "expected an indicator code after '#{'");
    if (!INDICATOR_CODE.test(code)) throw this.fail(start + 2, `'${code}' is not an indicator code`);

    let disaggregation = '';
    if (s[i] === '[') {
      if (measure !== 'value') {
        throw this.fail(i, `put the disaggregation before .${measure}, e.g. #{${code}[sex=F].${measure}}`);
      }
      const close = s.indexOf(']', i);
      const stop = s.indexOf('}', i);
      if (close < 0 || (stop >= 0 && stop < close)) throw this.fail(i, `unclosed '[' in reference '${s.slice(start, i)}'`);
      const inner = s.slice(i + 1, close);
      if (inner.trim() === '') throw this.fail(i, `empty disaggregation '[]' in reference '${s.slice(start, close + 1)}'`);
      try {
        disaggregation = canonicalDisaggregation(inner);
      } catch (e) {
        if (e instanceof DisaggregationError) throw this.fail(i + 1, e.message);
        throw e;
      }
      i = close + 1;
      if (s[i] === '.') {
        const m = /\.([A-Za-z]*)/y;
        m.lastIndex = i;
        const word = m.exec(s)![1]!;
        if (word !== 'numerator' && word !== 'denominator') {
          throw this.fail(i, `unknown measure '.${word}' (expected .numerator or .denominator)`);
        }
        measure = word;
        i += word.length + 1;
      }
    }
    if (s[i] === '.') throw this.fail(i, `unknown measure in reference '${s.slice(start, i)}…' (expected .numerator or .denominator)`);

    let periodOffset = 0;
    if (s[i] === '@') {
      const m = /@([+-]?\d+)/y;
      m.lastIndex = i;
      const offset = m.exec(s);
      if (!offset) throw this.fail(i, "expected a period offset such as @-1 after '@'");
      periodOffset = Number(offset[1]);
      i = m.lastIndex;
    }

    if (s[i] !== '}') {
      if (i >= s.length || /[\s+*/(),<>=!#]/.test(s[i]!)) {
        throw this.fail(start, `unclosed reference '${s.slice(start, i)}'`);
      }
      throw this.fail(i, `unexpected '${s[i]}' in reference '${s.slice(start, i + 1)}'`);
    }
    this.index = i + 1;
    return {
      type: 'reference',
      reference: { indicator: code, disaggregation, measure, periodOffset },
      text: s.slice(start, i + 1),
      position: start + 1,
    };
  }
}

const isComparison = (t: Token): t is Token & { text: ComparisonOperator } =>
  t.type === 'symbol' && (COMPARISON_OPERATORS as readonly string[]).includes(t.text);

/**
 * Grammar, lowest precedence first:
 *   comparison     := additive [ ('<' | '<=' | '>' | '>=' | '==' | '!=') additive ]   (not chainable)
 *   additive       := multiplicative { ('+' | '-') multiplicative }
 *   multiplicative := unary { ('*' | '/') unary }
 *   unary          := '-' unary | primary
 *   primary        := number | reference | '(' comparison ')' | function '(' comparison { ',' comparison } ')'
 */
class Parser {
  private readonly lexer: Lexer;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
  }

  parse(): Expression {
    if (this.text.trim() === '') throw new ExpressionError(this.text, 1, 'empty expression');
    const expr = this.comparison();
    const rest = this.lexer.peek();
    if (rest.type !== 'end') throw this.unexpected(rest);
    return expr;
  }

  private comparison(): Expression {
    const left = this.additive();
    const op = this.lexer.peek();
    if (!isComparison(op)) return left;
    this.lexer.next();
    const right = this.additive();
    const again = this.lexer.peek();
    if (isComparison(again)) {
      throw this.error(again.position, `comparisons cannot be chained ('${again.text}' after '${op.text}'); use parentheses`);
    }
    return { kind: 'comparison', operator: op.text, left, right, position: op.position };
  }

  private additive(): Expression {
    let left = this.multiplicative();
    for (let op = this.lexer.peek(); op.type === 'symbol' && (op.text === '+' || op.text === '-'); op = this.lexer.peek()) {
      this.lexer.next();
      left = { kind: 'arithmetic', operator: op.text, left, right: this.multiplicative(), position: op.position };
    }
    return left;
  }

  private multiplicative(): Expression {
    let left = this.unary();
    for (let op = this.lexer.peek(); op.type === 'symbol' && (op.text === '*' || op.text === '/'); op = this.lexer.peek()) {
      this.lexer.next();
      left = { kind: 'arithmetic', operator: op.text, left, right: this.unary(), position: op.position };
    }
    return left;
  }

  private unary(): Expression {
    const t = this.lexer.peek();
    if (t.type === 'symbol' && t.text === '-') {
      this.lexer.next();
      return { kind: 'negate', operand: this.unary(), position: t.position };
    }
    return this.primary();
  }

  private primary(): Expression {
    const t = this.lexer.next();
    switch (t.type) {
      case 'number':
        return { kind: 'number', value: t.value, position: t.position };
      case 'reference':
        return { kind: 'reference', reference: t.reference, position: t.position };
      case 'name':
        return this.call(t);
      case 'symbol':
        if (t.text === '(') {
          const inner = this.comparison();
          this.closeParen(t.position);
          return inner;
        }
        throw this.unexpected(t);
      case 'end':
        throw this.unexpected(t);
    }
  }

  private call(nameToken: Token & { type: 'name' }): Expression {
    const open = this.lexer.peek();
    const isCall = open.type === 'symbol' && open.text === '(';
    if (!isCall) {
      throw this.error(nameToken.position, `unknown name '${nameToken.text}' (indicators are written #{CODE})`);
    }
    const fn = FUNCTIONS.get(nameToken.text.toLowerCase());
    if (!fn) {
      const known = [...FUNCTIONS.keys()].join(', ');
      throw this.error(nameToken.position, `unknown function '${nameToken.text}' (known: ${known})`);
    }
    this.lexer.next();
    const args: Expression[] = [];
    const first = this.lexer.peek();
    if (!(first.type === 'symbol' && first.text === ')')) {
      args.push(this.comparison());
      for (let sep = this.lexer.peek(); sep.type === 'symbol' && sep.text === ','; sep = this.lexer.peek()) {
        this.lexer.next();
        args.push(this.comparison());
      }
    }
    this.closeParen(open.position);
    if (args.length < fn.min || args.length > fn.max) {
      const expected = fn.min === fn.max ? `${fn.min}` : `at least ${fn.min}`;
      const s = fn.min === 1 ? '' : 's';
      throw this.error(nameToken.position, `${fn.name}() takes ${expected} argument${s}, got ${args.length}`);
    }
    return { kind: 'call', name: fn.name, args, position: nameToken.position };
  }

  private closeParen(openPosition: number): void {
    const t = this.lexer.next();
    if (t.type === 'symbol' && t.text === ')') return;
    if (t.type === 'end') throw this.error(openPosition, "unclosed '('");
    throw this.unexpected(t);
  }

  private unexpected(t: Token): ExpressionError {
    if (t.type === 'end') return this.error(t.position, 'unexpected end of expression');
    return this.error(t.position, `unexpected '${t.text}'`);
  }

  private error(position: number, reason: string): ExpressionError {
    return new ExpressionError(this.text, position, reason);
  }
}

/** Parses an expression; throws ExpressionError with the position and reason of the first problem. */
export function parseExpression(text: string): Expression {
  return new Parser(text).parse();
}

/** Stable key of a reference, in the reference syntax without `#{}`: `REV-04[sex=F].numerator@-1`. */
export function referenceKey(ref: Reference): string {
  const disagg = ref.disaggregation === '' ? '' : `[${ref.disaggregation}]`;
  const measure = ref.measure === 'value' ? '' : `.${ref.measure}`;
  const offset = ref.periodOffset === 0 ? '' : `@${ref.periodOffset > 0 ? '+' : ''}${ref.periodOffset}`;
  return `${ref.indicator}${disagg}${measure}${offset}`;
}

function children(expr: Expression): Expression[] {
  switch (expr.kind) {
    case 'number':
    case 'reference':
      return [];
    case 'negate':
      return [expr.operand];
    case 'arithmetic':
    case 'comparison':
      return [expr.left, expr.right];
    case 'call':
      return expr.args;
  }
}

/** Every distinct reference, in order of first appearance. */
export function expressionReferences(expr: Expression): Reference[] {
  const found = new Map<string, Reference>();
  const visit = (e: Expression): void => {
    if (e.kind === 'reference') {
      const key = referenceKey(e.reference);
      if (!found.has(key)) found.set(key, e.reference);
    }
    children(e).forEach(visit);
  };
  visit(expr);
  return [...found.values()];
}

const PRECEDENCE = { comparison: 1, additive: 2, multiplicative: 3, unary: 4, primary: 5 } as const;

function precedence(expr: Expression): number {
  switch (expr.kind) {
    case 'comparison':
      return PRECEDENCE.comparison;
    case 'arithmetic':
      return expr.operator === '+' || expr.operator === '-' ? PRECEDENCE.additive : PRECEDENCE.multiplicative;
    case 'negate':
      return PRECEDENCE.unary;
    default:
      return PRECEDENCE.primary;
  }
}

/** Readable text for messages: references by their key, only the parentheses the precedence needs. */
export function describeExpression(expr: Expression): string {
  const wrap = (e: Expression, needs: boolean): string => (needs ? `(${describeExpression(e)})` : describeExpression(e));
  switch (expr.kind) {
    case 'number':
      return String(expr.value);
    case 'reference':
      return referenceKey(expr.reference);
    case 'negate':
      return `-${wrap(expr.operand, precedence(expr.operand) < PRECEDENCE.unary)}`;
    case 'arithmetic':
    case 'comparison': {
      const p = precedence(expr);
      return `${wrap(expr.left, precedence(expr.left) < p)} ${expr.operator} ${wrap(expr.right, precedence(expr.right) <= p)}`;
    }
    case 'call':
      return `${expr.name}(${expr.args.map(describeExpression).join(', ')})`;
  }
}

export type Lookup = (ref: Reference) => number | null | undefined;

export type EvaluationResult =
  | { value: number }
  /** Some referenced values have no data; the result is unknown rather than wrong. */
  | { value: null; missing: Reference[] }
  /** The data is there but the arithmetic is undefined, e.g. division by zero. */
  | { value: null; error: string };

/**
 * Values this close (relative to their size) compare as equal, so that a rule like
 * `#{A} == #{B} + #{C}` is not broken by binary rounding of decimals (0.1 + 0.2 vs 0.3).
 */
const RELATIVE_TOLERANCE = 1e-9;

function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Compares two numbers the way expressions and validation rules do (with a rounding tolerance on equality). */
export function compareNumbers(operator: ComparisonOperator, a: number, b: number): boolean {
  const equal = nearlyEqual(a, b);
  switch (operator) {
    case '==':
      return equal;
    case '!=':
      return !equal;
    case '<':
      return a < b && !equal;
    case '<=':
      return a < b || equal;
    case '>':
      return a > b && !equal;
    case '>=':
      return a > b || equal;
  }
}

const present = (value: number): EvaluationResult => ({ value });

/** Errors win over missing data; missing references of all operands are reported together. */
function combine(results: EvaluationResult[]): number[] | EvaluationResult {
  const failed = results.find((r) => 'error' in r);
  if (failed) return failed;
  const missing = results.flatMap((r) => ('missing' in r ? r.missing : []));
  if (missing.length > 0) return { value: null, missing: uniqueReferences(missing) };
  return results.map((r) => r.value as number);
}

function uniqueReferences(refs: Reference[]): Reference[] {
  return [...new Map(refs.map((r) => [referenceKey(r), r])).values()];
}

function finite(value: number): EvaluationResult {
  return Number.isFinite(value) ? { value } : { value: null, error: 'result is not a finite number' };
}

/**
 * Evaluates an expression. Missing values propagate: the result is missing (naming every missing
 * reference) unless coalesce() supplies an alternative. Division by zero is an error, never Infinity.
 * Comparisons yield 1 or 0; if() evaluates only the branch it takes, so `if(#{B} == 0, 0, #{A} / #{B})`
 * guards a division.
 */
export function evaluate(expr: Expression, lookup: Lookup): EvaluationResult {
  switch (expr.kind) {
    case 'number':
      return present(expr.value);
    case 'reference': {
      const v = lookup(expr.reference);
      return typeof v === 'number' && Number.isFinite(v) ? present(v) : { value: null, missing: [expr.reference] };
    }
    case 'negate': {
      const r = evaluate(expr.operand, lookup);
      return r.value === null ? r : present(-r.value);
    }
    case 'arithmetic': {
      const both = combine([evaluate(expr.left, lookup), evaluate(expr.right, lookup)]);
      return Array.isArray(both) ? arithmetic(expr.operator, both[0]!, both[1]!) : both;
    }
    case 'comparison': {
      const both = combine([evaluate(expr.left, lookup), evaluate(expr.right, lookup)]);
      return Array.isArray(both) ? present(compareNumbers(expr.operator, both[0]!, both[1]!) ? 1 : 0) : both;
    }
    case 'call':
      return call(expr.name, expr.args, lookup);
  }
}

function arithmetic(operator: ArithmeticOperator, a: number, b: number): EvaluationResult {
  switch (operator) {
    case '+':
      return finite(a + b);
    case '-':
      return finite(a - b);
    case '*':
      return finite(a * b);
    case '/':
      return b === 0 ? { value: null, error: 'division by zero' } : finite(a / b);
  }
}

function call(name: FunctionName, args: Expression[], lookup: Lookup): EvaluationResult {
  switch (name) {
    case 'coalesce': {
      const missing: Reference[] = [];
      for (const arg of args) {
        const r = evaluate(arg, lookup);
        if (!('missing' in r)) return r;
        missing.push(...r.missing);
      }
      return { value: null, missing: uniqueReferences(missing) };
    }
    case 'if': {
      const [cond, then, otherwise] = args as [Expression, Expression, Expression];
      const c = evaluate(cond, lookup);
      if (c.value === null) return c;
      return evaluate(c.value !== 0 ? then : otherwise, lookup);
    }
    case 'abs':
    case 'min':
    case 'max': {
      const values = combine(args.map((a) => evaluate(a, lookup)));
      if (!Array.isArray(values)) return values;
      if (name === 'abs') return present(Math.abs(values[0]!));
      return present(name === 'min' ? Math.min(...values) : Math.max(...values));
    }
  }
}

/**
 * Finds a dependency cycle among calculated indicators (code → formula), e.g. ['A', 'B', 'A'], or null.
 * Any reference counts as a dependency, period offsets included: a formula reading its own previous
 * period would recurse back to the first period with data. Throws ExpressionError naming the indicator
 * whose formula does not parse.
 */
export function findCycle(definitions: Map<string, string>): string[] | null {
  const dependencies = new Map<string, string[]>();
  for (const [code, formula] of definitions) {
    let expr: Expression;
    try {
      expr = parseExpression(formula);
    } catch (e) {
      throw e instanceof ExpressionError ? e.withContext(`formula of ${code}`) : e;
    }
    const uses = expressionReferences(expr)
      .map((r) => r.indicator)
      .filter((c) => definitions.has(c));
    dependencies.set(code, [...new Set(uses)]);
  }

  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (code: string): string[] | null => {
    if (onPath.has(code)) return [...path.slice(path.indexOf(code)), code];
    if (done.has(code)) return null;
    path.push(code);
    onPath.add(code);
    for (const next of dependencies.get(code) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(code);
    done.add(code);
    return null;
  };
  for (const code of definitions.keys()) {
    const cycle = visit(code);
    if (cycle) return cycle;
  }
  return null;
}
