import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { pipelineSchema, SPEC_VERSION, type PipelineSpec } from './schema.js';
import { didYouMean, hasErrors, specError, type SpecDiagnostic, type SpecPath } from './diagnostics.js';
import { checkSpec } from './analyze.js';
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
}

/**
 * Loads a spec from YAML text and reports every problem at once — YAML syntax, shape, references,
 * column names, expression types — each located at line:column with a hint where one helps.
 */
export interface LoadOptions {
  /** Columns read from the sources' files by the host (fileSchemas.ts): fill left-out schemas, check declared ones. */
  readonly fileSchemas?: FileSchemas;
}

export function loadSpec(text: string, options: LoadOptions = {}): LoadedSpec {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: SpecDiagnostic[] = [];
  for (const e of document.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    diagnostics.push({ ...specError([], `YAML syntax: ${firstLine(e.message)}`), line: pos.line, column: pos.col });
  }
  if (diagnostics.length > 0) return { input: undefined, document, diagnostics };

  const input: unknown = document.toJS({ maxAliasCount: 100 });
  const versionProblem = checkVersion(input);
  if (versionProblem) return { input, document, diagnostics: locate([versionProblem], document, lineCounter) };

  const files = options.fileSchemas ?? {};
  const parsed = pipelineSchema.safeParse(withFileSchemas(input, files));
  if (!parsed.success) {
    diagnostics.push(...parsed.error.issues.flatMap((i) => fromZodIssue(i, input)));
  } else {
    diagnostics.push(...checkFileSchemas(input, parsed.data as PipelineSpec, files), ...checkSpec(parsed.data as PipelineSpec));
  }
  const located = locate(diagnostics, document, lineCounter);
  const ok = parsed.success && !hasErrors(located);
  return ok ? { spec: parsed.data as PipelineSpec, input, document, diagnostics: located } : { input, document, diagnostics: located };
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
      }
    }
    const s = lc.linePos(start);
    const e = lc.linePos(end);
    return { ...d, line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  });
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
