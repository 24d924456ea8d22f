import type { BinaryEmitter, Dialect } from './emitter.js';

/** Pieces every SQL dialect (DuckDB, Spark SQL) writes the same way. */
export const infix = (op: string): BinaryEmitter => (l, r) => `${l.operand} ${op} ${r.operand}`;

/** Comparisons and boolean connectives: standard SQL in every SQL engine. */
export const SQL_COMPARISONS = {
  '=': infix('='),
  '<>': infix('<>'),
  '<': infix('<'),
  '<=': infix('<='),
  '>': infix('>'),
  '>=': infix('>='),
  AND: infix('AND'),
  OR: infix('OR'),
} as const;

export const sqlInList: Dialect['inList'] = (arg, list, negated) => `${arg.operand} ${negated ? 'NOT IN' : 'IN'} (${list.map((x) => x.code).join(', ')})`;
export const sqlBetween: Dialect['between'] = (arg, low, high, negated) => `${arg.operand} ${negated ? 'NOT BETWEEN' : 'BETWEEN'} ${low.operand} AND ${high.operand}`;
export const sqlIsNull: Dialect['isNull'] = (arg, negated) => `${arg.operand} IS ${negated ? 'NOT NULL' : 'NULL'}`;
