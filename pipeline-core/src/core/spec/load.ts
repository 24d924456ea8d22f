import { Document, LineCounter, Scalar, isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import type { z } from 'zod';
import { pipelineSchema, SPEC_VERSION, type PipelineSpec } from './schema.js';
import { didYouMean, formatPath, hasErrors, specError, type SpecDiagnostic, type SpecPath } from './diagnostics.js';
import { analyzeSpec, checkSpec } from './analyze.js';
import { salvageSpec, type Salvaged } from './salvage.js';
import { knownKeysAt } from './introspect.js';
import { checkFileSchemas, withFileSchemas, type FileSchemas } from './fileSchemas.js';

export interface LoadedSpec {
  /** The parsed, normalised spec (defaults applied) — present only when there are no errors. */
  readonly spec?: PipelineSpec;
  /** What the user wrote, as plain data: the form the designer's commands edit. */
  readonly input: unknown;
  /** The YAML document, kept so saving preserves comments and key order. */
  readonly document: Document;
  readonly diagnostics: readonly SpecDiagnostic[];
  /**
   * The spec as far as it could be understood, for checks that come after loading (binding SQL):
   * the parsed spec when its shape is right, else the parts that parse with what was left out.
   */
  readonly partial?: Salvaged;
  /** Line starts of the text, so problems found later (SQL bound in DuckDB) can be located too. */
  readonly lineCounter?: LineCounter;
}

/** Locates problems found after loading (e.g. by binding SQL in an engine) the way the loader's own are. */
export function locateLater(loaded: LoadedSpec, diags: readonly SpecDiagnostic[]): SpecDiagnostic[] {
  return loaded.lineCounter ? locate(diags, loaded.document, loaded.lineCounter) : [...diags];
}

/**
 * Loads a spec from YAML text and reports every problem at once — YAML syntax, shape, references,
 * column names, expression types — each located at line:column with a hint where one helps.
 */
export interface LoadOptions {
  /** Columns read from the sources' files by the host (fileSchemas.ts): fill left-out schemas, check declared ones. */
  readonly fileSchemas?: FileSchemas;
  /** The text already parsed by parseSpecYaml (a host that reads it before loading parses it once). */
  readonly parsed?: ParsedYaml;
  /**
   * Check the shape without Zod's JIT, which compiles a parser per object schema with `new
   * Function` on first use: ~75 ms that a process parsing one spec (the CLI) never wins back.
   * The designer, which parses on every edit, keeps it.
   */
  readonly jitless?: boolean;
}

export interface ParsedYaml {
  readonly document: Document;
  readonly lineCounter: LineCounter;
}

/** The spec's YAML document, parsed as loadSpec parses it. */
export function parseSpecYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  return { document: parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true }), lineCounter };
}

export function loadSpec(text: string, options: LoadOptions = {}): LoadedSpec {
  const { document, lineCounter } = options.parsed ?? parseSpecYaml(text);
  const diagnostics: SpecDiagnostic[] = [];
  for (const e of document.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    diagnostics.push({ ...specError([], `YAML syntax: ${firstLine(e.message)}`), line: pos.line, column: pos.col });
  }
  if (diagnostics.length > 0) return { input: undefined, document, diagnostics, lineCounter };
  const aliases = aliasProblems(document, lineCounter);

  const converted = toPlainData(document);
  if ('problem' in converted) return { input: undefined, document, diagnostics: locate([converted.problem], document, lineCounter), lineCounter };
  const input = converted.input;
  const versionProblem = checkVersion(input);
  if (versionProblem) return { input, document, diagnostics: locate([versionProblem], document, lineCounter), lineCounter };

  const files = options.fileSchemas ?? {};
  const parsed = pipelineSchema.safeParse(withFileSchemas(input, files), options.jitless ? { jitless: true } : undefined);
  let partial: Salvaged | undefined;
  if (!parsed.success) {
    diagnostics.push(...parsed.error.issues.flatMap((i) => fromZodIssue(i, input)));
    partial = salvageSpec(input);
    if (partial) diagnostics.push(...salvagedProblems(partial, diagnostics));
  } else {
    partial = { spec: parsed.data as PipelineSpec };
    diagnostics.push(...checkFileSchemas(input, parsed.data as PipelineSpec, files), ...checkSpec(parsed.data as PipelineSpec));
  }
  const located = [...aliases, ...locate(diagnostics, document, lineCounter)];
  const ok = parsed.success && !hasErrors(located);
  const common = { input, document, diagnostics: located, lineCounter, ...(partial ? { partial } : {}) };
  return ok ? { spec: parsed.data as PipelineSpec, ...common } : common;
}

/**
 * Reference and expression errors in the parts of a misshapen spec that do parse, so the first
 * shape error does not hide them; those already reported at the same place are left out.
 */
function salvagedProblems(salvaged: Salvaged, shapeProblems: readonly SpecDiagnostic[]): SpecDiagnostic[] {
  const seen = new Set(shapeProblems.map((d) => `${formatPath(d.path)}|${d.message}`));
  return analyzeSpec(salvaged.spec, salvaged.gaps).diagnostics.filter((d) => !seen.has(`${formatPath(d.path)}|${d.message}`));
}

/**
 * An alias whose anchor does not exist: most often an unquoted value starting with '*'
 * (`path: *.csv`), which YAML reads as an alias. Located at the alias, with the fix; the alias
 * is then read as the text it looks like, so the rest of the file is still checked.
 */
function aliasProblems(doc: Document, lc: LineCounter): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  visit(doc, {
    Alias(_key, alias) {
      if (alias.resolve(doc) !== undefined) return undefined;
      const pos = lc.linePos(alias.range?.[0] ?? 0);
      const text = `*${alias.source}`;
      out.push({
        ...specError([], `'${text}' is read as a YAML alias, but no anchor '&${alias.source}' is defined above it`, `if it is a value such as a glob, quote it: '${text}'`),
        line: pos.line,
        column: pos.col,
      });
      const literal = new Scalar(text);
      if (alias.range) literal.range = alias.range;
      return literal;
    },
  });
  return out;
}

/** The document as plain data; the yaml package's own refusals (alias bombs…) become a diagnostic. */
function toPlainData(doc: Document): { input: unknown } | { problem: SpecDiagnostic } {
  try {
    return { input: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (e) {
    return { problem: specError([], `YAML: ${firstLine(e instanceof Error ? e.message : String(e))}`, 'anchors (&name) and aliases (*name) may be used, but not to expand the file many times over') };
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function checkVersion(input: unknown): SpecDiagnostic | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return specError([], 'a pipeline spec is a YAML mapping with version, name, sources and stages');
  }
  const v = (input as Record<string, unknown>)['version'];
  if (typeof v === 'number' && v > SPEC_VERSION) {
    return specError(['version'], `this spec is version ${v}, newer than this Batchbook understands (${SPEC_VERSION})`, 'upgrade Batchbook to open it');
  }
  return undefined;
}

type ZodIssue = z.core.$ZodIssue;

function fromZodIssue(issue: ZodIssue, input: unknown): SpecDiagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const known = knownKeysAt(path, input);
        return { ...specError([...path, key], `unknown key '${key}'`, didYouMean(key, known) ?? (known.length ? `expected one of: ${known.join(', ')}` : undefined)), atKey: true };
      });
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      const disc = (issue as { discriminator?: string }).discriminator;
      if (disc && options) {
        const got = valueAt(input, path);
        const names = options.map(String);
        if (got === undefined) return [specError(path.slice(0, -1), `missing '${disc}'`, `one of: ${names.join(', ')}`)];
        return [specError(path, `unknown ${disc} '${String(got)}'`, didYouMean(String(got), names) ?? `expected one of: ${names.join(', ')}`)];
      }
      return [specError(path, issue.message)];
    }
    case 'invalid_type': {
      const got = valueAt(input, path);
      if (got === undefined) {
        const key = path[path.length - 1];
        return [specError(path.slice(0, -1), `missing required key '${String(key)}' (${issue.expected})`)];
      }
      return [specError(path, `expected ${issue.expected}, found ${describe(got)}`)];
    }
    case 'invalid_value':
      if (valueAt(input, path) === undefined) {
        return [specError(path.slice(0, -1), `missing required key '${String(path[path.length - 1])}'`, `one of: ${issue.values.map(String).join(', ')}`)];
      }
      return [specError(path, `'${String(valueAt(input, path))}' is not allowed`, didYouMean(String(valueAt(input, path)), issue.values.map(String)) ?? `expected one of: ${issue.values.map(String).join(', ')}`)];
    default:
      return [specError(path, issue.message)];
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export function valueAt(input: unknown, path: SpecPath): unknown {
  let cur = input;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** Resolves each diagnostic's path (and offset inside a string) to line:column in the file. */
function locate(diags: readonly SpecDiagnostic[], doc: Document, lc: LineCounter): SpecDiagnostic[] {
  return diags.map((d) => {
    if (d.line !== undefined) return d;
    const { node, isKey } = nearestNode(doc, d.path, d.atKey ?? false);
    if (!node?.range) return { ...d, line: 1, column: 1 };
    let start = node.range[0];
    let end = node.range[1];
    if (d.offset && !isKey && isScalar(node)) {
      const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      if (!block) {
        start = node.range[0] + quote + d.offset.start;
        end = node.range[0] + quote + Math.max(d.offset.end, d.offset.start + 1);
      } else if (node.type === 'BLOCK_LITERAL' && doc.contents) {
        start = blockOffset(node, d.offset.start, lc) ?? start;
        end = start + Math.max(1, d.offset.end - d.offset.start);
      }
    }
    const s = lc.linePos(start);
    const e = lc.linePos(end);
    return { ...d, line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  });
}

/**
 * The file offset of a character of a literal block (`sql: |`): its value's lines are the
 * file's lines after the indicator, less their indentation. Undefined when it cannot be told.
 */
function blockOffset(node: Node, offset: number, lc: LineCounter): number | undefined {
  const value = (node as { value?: unknown }).value;
  if (typeof value !== 'string' || !node.range) return undefined;
  const before = value.slice(0, offset).split('\n');
  const firstContentLine = lc.linePos(node.range[0]).line + 1 + before.length - 1;
  const lineStart = lc.lineStarts[firstContentLine - 1];
  const nextStart = lc.lineStarts[firstContentLine];
  const valueLine = value.split('\n')[before.length - 1] ?? '';
  if (lineStart === undefined) return undefined;
  const indent = (nextStart ?? lineStart) - lineStart - 1 - valueLine.length;
  return indent >= 0 ? lineStart + indent + before[before.length - 1]!.length : undefined;
}

/** The node at path, or the deepest existing ancestor. A path ending in a key of a map points at the key. */
function nearestNode(doc: Document, path: SpecPath, atKey: boolean): { node?: Node; isKey: boolean } {
  for (let n = atKey ? path.length - 1 : path.length; n >= 0; n--) {
    const prefix = path.slice(0, n);
    const node = doc.getIn(prefix, true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node) {
      if (n < path.length && isMap(node)) {
        const key = path[n];
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
        if (pair && isScalar(pair.key)) return { node: pair.key, isKey: true };
      }
      if (n < path.length && isSeq(node)) return { node, isKey: false };
      return { node, isKey: false };
    }
    if (n === 0) return { node: doc.contents ?? undefined, isKey: false };
  }
  return { isKey: false };
}
