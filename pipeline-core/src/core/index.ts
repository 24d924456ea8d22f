// The browser-safe public surface of pipeline-core. Named exports only (no `export *`), so the
// dependency graph stays visible.
export type { DataType, Column, Schema, ScalarTypeName, DecimalTypeName } from './types/dataType.js';
export { parseDataType, duckdbType, isNumeric, isDecimal, isTemporal, decimalShape, decimalType, findColumn } from './types/dataType.js';
export type { Expr, Span, BinaryOp, UnaryOp, LiteralValue } from './expr/ast.js';
