import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Writes an edited spec back into its YAML document, changing only what changed: untouched
 * nodes keep their comments, key order, quoting and flow style. Items of a list that carry a
 * `name` (stages) are matched by name, so moving or inserting a stage keeps every other stage's
 * comments with it.
 */
export function saveSpec(original: string | Document, next: unknown): string {
  const doc = typeof original === 'string' ? parseDocument(original) : original.clone();
  // Nothing changed: keep the file exactly as the user wrote it.
  if (typeof original === 'string' && JSON.stringify(doc.toJS()) === JSON.stringify(next)) return original;
  const contents = doc.contents ? patch(doc, doc.contents as Node, next) : doc.createNode(next);
  doc.contents = contents as unknown as typeof doc.contents;
  const text = doc.toString({ lineWidth: 0 });
  return typeof original === 'string' ? keepOriginalLines(original, text) : text;
}

/** Flow collections differ only in padding: `[ a ]` and `[a]` are the same line to a reader. */
function normaliseLine(line: string): string {
  return line.replace(/([[{])\s+/g, '$1').replace(/\s+([\]}])/g, '$1').trimEnd();
}

/**
 * The yaml printer has one style for the whole file; users have theirs. Lines the edit did not
 * change (equal up to flow padding) are taken from the original, matched by longest common
 * subsequence, so a save shows up in a diff as exactly the edited lines.
 */
function keepOriginalLines(original: string, printed: string): string {
  const a = original.split('\n');
  const b = printed.split('\n');
  const na = a.map(normaliseLine);
  const nb = b.map(normaliseLine);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = na[i] === nb[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (j < b.length) {
    if (i < a.length && na[i] === nb[j]) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (i < a.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else out.push(b[j++]!);
  }
  return out.join('\n');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function patch(doc: Document, node: Node, next: unknown): Node {
  if (isMap(node) && isPlainObject(next)) return patchMap(doc, node, next);
  if (isSeq(node) && Array.isArray(next)) return patchSeq(doc, node, next);
  if (isScalar(node) && !isPlainObject(next) && !Array.isArray(next)) {
    if (node.value !== next) node.value = next;
    return node;
  }
  return doc.createNode(next) as Node;
}

function patchMap(doc: Document, map: YAMLMap, next: Record<string, unknown>): YAMLMap {
  map.items = map.items.filter((pair) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    return key in next && next[key] !== undefined;
  });
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue;
    const pair = map.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
    if (pair) pair.value = pair.value ? patch(doc, pair.value as Node, value) : doc.createNode(value);
    else map.set(doc.createNode(key), doc.createNode(value));
  }
  return map;
}

function nameOf(v: unknown): string | undefined {
  return isPlainObject(v) && typeof v['name'] === 'string' ? v['name'] : undefined;
}

function nodeName(n: unknown): string | undefined {
  if (!isMap(n)) return undefined;
  const v = n.get('name');
  return typeof v === 'string' ? v : undefined;
}

function patchSeq(doc: Document, seq: YAMLSeq, next: readonly unknown[]): YAMLSeq {
  const byName = next.every((v) => nameOf(v) !== undefined) && seq.items.every((n) => nodeName(n) !== undefined);
  const old = [...seq.items] as Node[];
  const used = new Set<Node>();
  const nextNames = new Set(next.map(nameOf));
  // A renamed item keeps its node (and comments) when its old name is gone from the list.
  const renamed = (i: number) => (old[i] && !used.has(old[i]) && !nextNames.has(nodeName(old[i])) ? old[i] : undefined);
  seq.items = next.map((value, i) => {
    const match = byName ? (old.find((n) => !used.has(n) && nodeName(n) === nameOf(value)) ?? renamed(i)) : old[i];
    if (match) {
      used.add(match);
      return patch(doc, match, value);
    }
    return doc.createNode(value) as Node;
  });
  return seq;
}
