import { decimalShape, decimalType, type DataType } from '../../types/dataType.js';
import type { MEASURE_FUNCTIONS } from '../../spec/schema.js';

/** Result type of an aggregate function; the same on every engine (each compiler casts to it). */
export function measureType(fn: (typeof MEASURE_FUNCTIONS)[number], input: DataType | undefined): DataType {
  switch (fn) {
    case 'count':
    case 'count_if':
    case 'count_distinct':
      return 'integer';
    case 'avg':
      return 'double';
    case 'sum': {
      const d = input ? decimalShape(input) : undefined;
      if (d) return decimalType(38, d.scale);
      return input === 'integer' ? 'integer' : 'double';
    }
    default:
      return input ?? 'string';
  }
}

/** The SQL aggregate call (DuckDB and Spark SQL spell these alike). */
export function sqlAggregateCall(fn: (typeof MEASURE_FUNCTIONS)[number], arg: string): string {
  if (fn === 'count_distinct') return `count(DISTINCT ${arg})`;
  // DuckDB's count_if gives NULL, not 0, for a group whose conditions are all NULL
  if (fn === 'count_if') return `count(CASE WHEN ${arg} THEN 1 END)`;
  return `${fn}(${arg})`;
}
