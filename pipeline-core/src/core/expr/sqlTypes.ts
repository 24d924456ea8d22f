import { decimalShape, decimalType, type DataType, type ScalarTypeName } from '../types/dataType.js';

/**
 * Type names accepted after CAST(x AS …): the logical names plus common SQL spellings, mapped
 * onto the logical types. FLOAT and REAL map to double: there is no 32-bit float type.
 */
export const TYPE_ALIASES: Readonly<Record<string, ScalarTypeName>> = {
  STRING: 'string', VARCHAR: 'string', TEXT: 'string', CHAR: 'string',
  INTEGER: 'integer', INT: 'integer', BIGINT: 'integer', INT64: 'integer', INT8: 'integer',
  INT4: 'integer', LONG: 'integer', SMALLINT: 'integer', TINYINT: 'integer',
  DOUBLE: 'double', FLOAT: 'double', FLOAT8: 'double', REAL: 'double',
  BOOLEAN: 'boolean', BOOL: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp', DATETIME: 'timestamp',
};

export const DECIMAL_NAMES: ReadonlySet<string> = new Set(['DECIMAL', 'NUMERIC']);

/** Names that may carry a length, e.g. VARCHAR(20); the length is accepted and ignored. */
export const LENGTH_TYPES: ReadonlySet<string> = new Set(['VARCHAR', 'CHAR', 'STRING', 'TEXT']);

export const ALL_TYPE_NAMES: readonly string[] = [...Object.keys(TYPE_ALIASES), ...DECIMAL_NAMES];

/** The canonical spelling used by the printer: the logical name upper-cased. */
export function printTypeName(type: DataType): string {
  const d = decimalShape(type);
  return d ? `DECIMAL(${d.precision},${d.scale})` : type.toUpperCase();
}

/** Validates DECIMAL(p, s). */
export function checkedDecimal(precision: number, scale: number): { readonly type: DataType } | { readonly error: string } {
  if (precision < 1 || precision > 38) return { error: `DECIMAL precision must be between 1 and 38, got ${precision}` };
  if (scale > precision) return { error: `DECIMAL scale (${scale}) cannot exceed its precision (${precision})` };
  return { type: decimalType(precision, scale) };
}
