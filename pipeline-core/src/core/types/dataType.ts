/**
 * Logical column types shared by every engine. The spec, the expression language and every
 * compiler speak these; each engine maps them to its own physical types.
 */
export type ScalarTypeName = 'string' | 'integer' | 'double' | 'boolean' | 'date' | 'timestamp';
export type DecimalTypeName = `decimal(${number},${number})`;
export type DataType = ScalarTypeName | DecimalTypeName;

export const SCALAR_TYPES: readonly ScalarTypeName[] = ['string', 'integer', 'double', 'boolean', 'date', 'timestamp'];

export interface DecimalShape {
  readonly precision: number;
  readonly scale: number;
}

const DECIMAL_RE = /^decimal\(\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\)$/;

/** Parses a type name as written in a spec; returns undefined when it is not a known type. */
export function parseDataType(text: string): DataType | undefined {
  const t = text.trim().toLowerCase();
  if ((SCALAR_TYPES as readonly string[]).includes(t)) return t as ScalarTypeName;
  const m = DECIMAL_RE.exec(t);
  if (!m) return undefined;
  const precision = Number(m[1]);
  const scale = Number(m[2]);
  if (precision < 1 || precision > 38 || scale > precision) return undefined;
  return decimalType(precision, scale);
}

export function decimalType(precision: number, scale: number): DecimalTypeName {
  return `decimal(${precision},${scale})`;
}

export function decimalShape(type: DataType): DecimalShape | undefined {
  const m = DECIMAL_RE.exec(type);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

export function isDecimal(type: DataType): type is DecimalTypeName {
  return type.startsWith('decimal(');
}

export function isNumeric(type: DataType): boolean {
  return type === 'integer' || type === 'double' || isDecimal(type);
}

export function isTemporal(type: DataType): boolean {
  return type === 'date' || type === 'timestamp';
}

/** The DuckDB physical type for a logical type. Timestamps are UTC instants without zone. */
export function duckdbType(type: DataType): string {
  switch (type) {
    case 'string':
      return 'VARCHAR';
    case 'integer':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    default: {
      const d = decimalShape(type);
      if (!d) throw new Error(`unknown type ${String(type)}`);
      return `DECIMAL(${d.precision},${d.scale})`;
    }
  }
}

export interface Column {
  readonly name: string;
  readonly type: DataType;
  readonly nullable?: boolean;
  readonly description?: string;
}

export type Schema = readonly Column[];

export function findColumn(schema: Schema, name: string): Column | undefined {
  return schema.find((c) => c.name === name);
}

// Stored types a declared integer (BIGINT) takes exactly: reading them as text and back gives the same value.
const WIDENS_TO_BIGINT = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER'];

/** The stored (DuckDB) types a column declared as `type` is read from as they are, with no text round trip. */
export function storedTypesTaken(type: DataType): readonly string[] {
  const want = duckdbType(type);
  return want === 'BIGINT' ? WIDENS_TO_BIGINT : [want];
}
