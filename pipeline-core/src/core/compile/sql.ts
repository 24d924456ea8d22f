import type { DataType } from '../types/dataType.js';
import { duckdbType, isDecimal, isNumeric } from '../types/dataType.js';

/** SQL text helpers shared by the SQL-speaking compilers. Every identifier and literal from a spec goes through these. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A typed DuckDB literal for a spec value (parameters, fill values, rule bounds). */
export function duckdbLiteral(value: string | number | boolean | null, type: DataType): string {
  if (value === null) return `CAST(NULL AS ${duckdbType(type)})`;
  switch (type) {
    case 'string':
      return quoteString(String(value));
    case 'boolean':
      return value === true || String(value).toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
    case 'date':
      return `DATE ${quoteString(String(value))}`;
    case 'timestamp':
      return `TIMESTAMP ${quoteString(String(value))}`;
    default:
      if (isNumeric(type) || isDecimal(type)) {
        const text = String(value);
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`'${text}' is not a number`);
        return `CAST(${text} AS ${duckdbType(type)})`;
      }
      return quoteString(String(value));
  }
}

export function columnList(names: readonly string[]): string {
  return names.map(quoteIdent).join(', ');
}

/** Lineage columns carried by row-preserving stages so rejects can name their source row. */
export const LINEAGE_COLUMNS = ['_bb_src', '_bb_file', '_bb_row'] as const;
export const RESERVED_PREFIX = '_bb_';
export const LINEAGE_LIST = LINEAGE_COLUMNS.join(', ');
