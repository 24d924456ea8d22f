/**
 * Evaluators for the log filters the exported monitoring configs use (monitoring.ts), so tests
 * can run them on real log lines: the runner's log.jsonl and the exported jobs' stdout. They read
 * only the forms monitoring.ts writes, and throw on anything else (a new form needs a reader here).
 */
type LogLine = Readonly<Record<string, unknown>>;

function clauseHolds(field: string, op: string, value: string, line: LogLine): boolean {
  const v = line[field];
  return op === '=' ? v !== undefined && String(v) === value : v !== undefined && String(v) !== value;
}

/** Cloud Logging filters of the form `jsonPayload.a="x" AND jsonPayload.b!="y"`. */
export function matchesLogFilter(filter: string, line: LogLine): boolean {
  return filter.split(' AND ').every((clause) => {
    const m = /^jsonPayload\.([a-z_]+)(!?=)"([^"]*)"$/.exec(clause.trim());
    if (!m) throw new Error(`unexpected Cloud Logging filter clause: ${clause}`);
    return clauseHolds(m[1]!, m[2]!, m[3]!, line);
  });
}

/** CloudWatch Logs JSON filter patterns of the form `{ ($.a = "x") && ($.b != "y") }`. */
export function matchesCloudWatchPattern(pattern: string, line: LogLine): boolean {
  const inner = /^\{ (.*) \}$/.exec(pattern)?.[1];
  if (inner === undefined) throw new Error(`unexpected CloudWatch filter pattern: ${pattern}`);
  return inner.split(' && ').every((clause) => {
    const m = /^\(\$\.([a-z_]+) (!?=) "([^"]*)"\)$/.exec(clause.trim());
    if (!m) throw new Error(`unexpected CloudWatch filter clause: ${clause}`);
    return clauseHolds(m[1]!, m[2]!.replace(' ', ''), m[3]!, line);
  });
}
