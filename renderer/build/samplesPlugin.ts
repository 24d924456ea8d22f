import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Ships the repository's sample projects with the app: every samples/<id>/ holding a
 * pipeline.yaml, its data/ files and an index. The dev and preview servers serve them from
 * disk; a build copies them into dist, so the web app and Electron open them offline.
 */
export interface SampleEntry {
  id: string;
  title: string;
  description: string;
  files: string[];
  /** Set when the sample's data is generated rather than committed and has not been generated yet. */
  generate?: string;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.')) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** Words a title spells in capitals (ml-history is "ML History", not "Ml History"). */
const ACRONYMS = new Set(['ai', 'api', 'csv', 'erp', 'etl', 'json', 'ml', 'pos', 'psp', 'sql']);

export function sampleTitle(id: string): string {
  return id
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

/** The spec's own description (its `description:` line), without parsing YAML here. */
function description(yaml: string): string {
  const m = /^description:\s*(.+)$/m.exec(yaml);
  return m ? m[1]!.replace(/^["']|["']$/g, '').trim() : '';
}

export function sampleIndex(root: string): SampleEntry[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((id) => existsSync(join(root, id, 'pipeline.yaml')))
    .sort()
    .map((id) => {
      const files = walk(join(root, id, 'data')).map((f) => relative(join(root, id, 'data'), f).split(sep).join('/')).sort();
      // a sample without data files is one whose data is generated (ml-history: gitignored) and not made yet
      return {
        id,
        title: sampleTitle(id),
        description: description(readFileSync(join(root, id, 'pipeline.yaml'), 'utf8')),
        files,
        ...(files.length === 0 ? { generate: `npm run samples:generate -- --sample ${id}` } : {}),
      };
    });
}

function serve(root: string) {
  return (req: { url?: string }, res: { statusCode: number; setHeader(k: string, v: string): void; end(b?: string | Buffer): void }, next: () => void) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
    const m = /(?:^|\/)samples\/(.*)$/.exec(url);
    if (!m) return next();
    const rest = m[1]!;
    if (rest === 'index.json') {
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify(sampleIndex(root)));
    }
    const [id, ...parts] = rest.split('/');
    const known = sampleIndex(root).find((s) => s.id === id);
    const file = parts.join('/');
    const allowed = known && (file === 'pipeline.yaml' || (file.startsWith('data/') && known.files.includes(file.slice(5))));
    if (!allowed) {
      res.statusCode = 404;
      return res.end('not found');
    }
    const abs = join(root, id!, ...parts);
    if (!existsSync(abs) || !statSync(abs).isFile()) {
      res.statusCode = 404;
      return res.end('not found');
    }
    res.setHeader('Content-Type', file.endsWith('.yaml') ? 'text/yaml; charset=utf-8' : 'application/octet-stream');
    res.end(readFileSync(abs));
  };
}

export function samplesPlugin(root: string): Plugin {
  return {
    name: 'batchbook-samples',
    configureServer(server) {
      server.middlewares.use(serve(root));
    },
    configurePreviewServer(server) {
      server.middlewares.use(serve(root));
    },
    generateBundle() {
      const index = sampleIndex(root);
      this.emitFile({ type: 'asset', fileName: 'samples/index.json', source: JSON.stringify(index) });
      for (const s of index) {
        this.emitFile({ type: 'asset', fileName: `samples/${s.id}/pipeline.yaml`, source: readFileSync(join(root, s.id, 'pipeline.yaml')) });
        for (const f of s.files) this.emitFile({ type: 'asset', fileName: `samples/${s.id}/data/${f}`, source: readFileSync(join(root, s.id, 'data', f)) });
      }
    },
  };
}
