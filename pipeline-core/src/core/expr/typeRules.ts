import { decimalShape, decimalType, isDecimal, isNumeric, isTemporal, type DataType, type DecimalShape } from '../types/dataType.js';
import type { BinaryOp } from './ast.js';

/**
 * The type algebra of the expression language. `null` is the type of the NULL literal: it
 * unifies with everything and takes its concrete type from the context it appears in.
 */
export type ExprType = DataType | 'null';

export const MAX_DECIMAL_PRECISION = 38;

/** An integer behaves like DECIMAL(19,0) when mixed with decimals (it holds any 64-bit value). */
const INTEGER_AS_DECIMAL: DecimalShape = { precision: 19, scale: 0 };

function decimalOf(t: DataType): DecimalShape | undefined {
  return t === 'integer' ? INTEGER_AS_DECIMAL : decimalShape(t);
}

function capped(integerDigits: number, scale: number): DataType {
  return decimalType(Math.min(MAX_DECIMAL_PRECISION, integerDigits + scale), scale);
}

/**
 * The type both sides convert to, or undefined when they do not mix. Numbers promote along
 * integer < decimal < double; a date widens to a timestamp (midnight UTC).
 */
export function commonType(a: ExprType, b: ExprType): ExprType | undefined {
  if (a === 'null') return b;
  if (b === 'null' || a === b) return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a === 'double' || b === 'double') return 'double';
    const [x, y] = [decimalOf(a), decimalOf(b)];
    if (!x || !y) return undefined;
    const scale = Math.max(x.scale, y.scale);
    return capped(Math.max(x.precision - x.scale, y.precision - y.scale), scale);
  }
  if (isTemporal(a) && isTemporal(b)) return 'timestamp';
  return undefined;
}

/** Values of these types can be compared with = < etc. (and sorted, for greatest/least). */
export function comparable(a: ExprType, b: ExprType): boolean {
  return commonType(a, b) !== undefined;
}

export type ArithmeticOp = Extract<BinaryOp, '+' | '-' | '*' | '/' | '%'>;

/**
 * Result type of arithmetic on two numeric types. `/` is always double. Decimal results widen
 * like SQL engines do (and exactly like DuckDB), capped at precision 38:
 *   + -  scale max(s1,s2), precision max(p1-s1, p2-s2) + scale + 1
 *   *    scale s1+s2,      precision p1+p2 (a scale above 38 is an error)
 *   %    scale max(s1,s2), precision max(p1-s1, p2-s2) + scale
 */
export function arithmeticType(op: ArithmeticOp, a: DataType, b: DataType): DataType | { readonly error: string; readonly hint: string } {
  if (op === '/') return 'double';
  if (a === 'double' || b === 'double') return 'double';
  if (a === 'integer' && b === 'integer') return 'integer';
  const x = decimalOf(a);
  const y = decimalOf(b);
  if (!x || !y) return { error: `Cannot apply ${op} to ${a} and ${b}`, hint: 'arithmetic needs numbers' };
  const integerDigits = Math.max(x.precision - x.scale, y.precision - y.scale);
  if (op === '*') {
    const scale = x.scale + y.scale;
    if (scale > MAX_DECIMAL_PRECISION) {
      return {
        error: `Multiplying ${a} by ${b} needs scale ${scale}, above the maximum of 38`,
        hint: 'CAST one side to a decimal with a smaller scale, or to double',
      };
    }
    return decimalType(Math.min(MAX_DECIMAL_PRECISION, x.precision + y.precision), scale);
  }
  const scale = Math.max(x.scale, y.scale);
  return capped(integerDigits + (op === '%' ? 0 : 1), scale);
}

/**
 * Which CASTs are allowed: anything to and from string, numbers among themselves, boolean to and
 * from integer, date to and from timestamp.
 */
export function castAllowed(from: ExprType, to: DataType): boolean {
  if (from === 'null' || from === to || from === 'string' || to === 'string') return true;
  if (isNumeric(from) && isNumeric(to)) return true;
  if ((from === 'boolean' && to === 'integer') || (from === 'integer' && to === 'boolean')) return true;
  return isTemporal(from) && isTemporal(to);
}

/** A short noun for messages: "a string", "an integer", "decimal(10,2)". */
export function typeNoun(t: ExprType): string {
  if (t === 'null') return 'NULL';
  if (isDecimal(t)) return t;
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}
