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
  return fn === 'count_distinct' ? `count(DISTINCT ${arg})` : `${fn}(${arg})`;
}
