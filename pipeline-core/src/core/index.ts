// The browser-safe public surface of pipeline-core. Named exports only (no `export *`), so the
// dependency graph stays visible.
export type { DataType, Column, Schema, ScalarTypeName, DecimalTypeName } from './types/dataType.js';
export { parseDataType, duckdbType, isNumeric, isDecimal, isTemporal, decimalShape, decimalType, findColumn } from './types/dataType.js';
export type { Expr, Span, BinaryOp, UnaryOp, LiteralValue } from './expr/ast.js';
// Expression language (src/core/expr): parse → typecheck → emit; see docs/expression-language.md.
export type { ExprDiagnostic } from './expr/diagnostic.js';
export type { ParseResult } from './expr/parse.js';
export { parseExpression } from './expr/parse.js';
export { printExpression } from './expr/print.js';
export type { TypeEnv, ExprTypes, TypecheckResult } from './expr/typecheck.js';
export { typecheckExpression } from './expr/typecheck.js';
export { referencedColumns, referencedParams, stripSpans, childrenOf } from './expr/walk.js';
export type { FunctionName, FunctionDef, FunctionCategory, ParamDef, ParamKind } from './expr/functions.js';
export { FUNCTIONS, FUNCTION_NAMES, lookupFunction, formatSignature, renderFunctionTableMarkdown } from './expr/functions.js';
export type { Dialect, EmitOptions, EmitArg, EmitContext, FunctionEmitter, FunctionEmitterTable, BinaryEmitter, BinaryEmitterTable } from './expr/emit/emitter.js';
export { emitWithDialect } from './expr/emit/emitter.js';
export type { DuckdbEmitOptions } from './expr/emit/duckdb.js';
export { emitDuckdb, duckdbIdentifier, duckdbStringLiteral, duckdbLiteral } from './expr/emit/duckdb.js';
