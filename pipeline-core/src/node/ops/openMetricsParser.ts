/**
 * A strict reader of OpenMetrics text (the subset Batchbook writes: counters, gauges, unknown),
 * written independently of the renderer so tests can check metrics.prom against the grammar and
 * read its values back. It throws on the first violation, naming the line.
 */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedFamily {
  readonly name: string;
  readonly type: string;
  readonly help?: string;
  readonly samples: ParsedSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'stateset', 'info', 'summary', 'unknown']);
const NUMBER = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;

export class OpenMetricsSyntaxError extends Error {}

function parseValue(text: string, line: number): number {
  if (!NUMBER.test(text)) throw new OpenMetricsSyntaxError(`line ${line}: '${text}' is not a number`);
  if (text.endsWith('Inf')) return text.startsWith('-') ? -Infinity : Infinity;
  return text === 'NaN' ? NaN : Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new OpenMetricsSyntaxError(`line ${line}: label without '='`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new OpenMetricsSyntaxError(`line ${line}: bad label name '${name}'`);
    if (name in labels) throw new OpenMetricsSyntaxError(`line ${line}: label '${name}' repeated`);
    if (text[eq + 1] !== '"') throw new OpenMetricsSyntaxError(`line ${line}: label value of '${name}' is not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new OpenMetricsSyntaxError(`line ${line}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const n = text[j + 1];
        if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else if (n === 'n') value += '\n';
        else throw new OpenMetricsSyntaxError(`line ${line}: bad escape '\\${n}' in a label value`);
        j += 2;
        continue;
      }
      value += c;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (i < text.length) {
      if (text[i] !== ',') throw new OpenMetricsSyntaxError(`line ${line}: expected ',' between labels`);
      i++;
    }
  }
  return labels;
}

const SAMPLE_RE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (\\S+))?$`);

export function parseOpenMetrics(text: string): ParsedFamily[] {
  if (!text.endsWith('\n')) throw new OpenMetricsSyntaxError('the exposition must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines[lines.length - 1] !== '# EOF') throw new OpenMetricsSyntaxError('the last line must be "# EOF"');
  const families = new Map<string, ParsedFamily & { help?: string }>();
  const closed = new Set<string>();
  let current: string | undefined;
  const seen = new Set<string>();
  const family = (name: string, line: number): ParsedFamily & { help?: string } => {
    if (current !== name) {
      if (current) closed.add(current);
      if (closed.has(name)) throw new OpenMetricsSyntaxError(`line ${line}: metric family ${name} is interleaved with another`);
      current = name;
    }
    let f = families.get(name);
    if (!f) {
      f = { name, type: 'unknown', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  for (const [i, line] of lines.slice(0, -1).entries()) {
    const n = i + 1;
    if (line === '') throw new OpenMetricsSyntaxError(`line ${n}: empty lines are not allowed`);
    if (line.startsWith('#')) {
      const m = new RegExp(`^# (HELP|TYPE|UNIT) (${NAME}) ?(.*)$`).exec(line);
      if (!m) throw new OpenMetricsSyntaxError(`line ${n}: unknown comment '${line}'`);
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      const f = family(name, n);
      if (f.samples.length) throw new OpenMetricsSyntaxError(`line ${n}: # ${kind} after samples of ${name}`);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new OpenMetricsSyntaxError(`line ${n}: unknown type '${rest}'`);
        families.set(name, { ...f, type: rest });
      } else if (kind === 'HELP') {
        families.set(name, { ...f, help: rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\') });
      }
      continue;
    }
    const m = SAMPLE_RE.exec(line);
    if (!m) throw new OpenMetricsSyntaxError(`line ${n}: not a sample: '${line}'`);
    const [, name, labelText, valueText, ts] = m as unknown as [string, string, string | undefined, string, string | undefined];
    const f = family(name, n);
    if (ts !== undefined) parseValue(ts, n);
    const labels = labelText ? parseLabels(labelText, n) : {};
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new OpenMetricsSyntaxError(`line ${n}: duplicate sample ${name}${labelText ? `{${labelText}}` : ''}`);
    seen.add(key);
    f.samples.push({ name, labels, value: parseValue(valueText, n) });
  }
  return [...families.values()];
}

/** The value of the one sample of `name` whose labels include `labels`. */
export function sampleValue(families: readonly ParsedFamily[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const f = families.find((x) => x.name === name);
  const hits = f?.samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v)) ?? [];
  if (hits.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${hits.length} samples`);
  return hits[0]?.value;
}
