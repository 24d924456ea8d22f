import type { SpecInput } from '@batchbook/pipeline-core';
import type { Inferred } from './inferSchema';

/** A name the spec accepts (letters, digits, _; starting with a letter) from a file name. */
export function identifierFrom(fileName: string): string {
  const stem = fileName.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const named = /^[a-z_]/.test(stem) ? stem : `data_${stem}`;
  return (named || 'data').slice(0, 40);
}

type SourceInput = SpecInput['sources'][string];

/** A source for a data file, its confirmed schema pinned. */
export function sourceFromFile(path: string, inferred: Inferred): SourceInput {
  const options = inferred.format === 'csv' && inferred.delimiter && inferred.delimiter !== ',' ? { options: { delimiter: inferred.delimiter } } : {};
  return { format: inferred.format, path, ...options, schema: inferred.columns.map((c) => ({ name: c.name, type: c.type })) };
}

/**
 * The spec of a new project made from data files: each file is a source (its confirmed schema
 * pinned) and has an ingest cell reading it. The files go into the project's data/ folder.
 */
export function projectFromFiles(files: readonly { fileName: string; inferred: Inferred }[]): SpecInput {
  const sources: Record<string, SourceInput> = {};
  for (const f of files) {
    const base = identifierFrom(f.fileName);
    let name = base;
    for (let n = 2; name in sources; n++) name = `${base}_${n}`;
    sources[name] = sourceFromFile(f.fileName, f.inferred);
  }
  const names = Object.keys(sources);
  return {
    version: 1,
    name: files.length === 1 ? names[0]! : 'new_pipeline',
    description: `Started from ${files.map((f) => f.fileName).join(', ')}`,
    sources,
    stages: names.map((n) => ({ name: `raw_${n}`.slice(0, 63), kind: 'ingest', source: n })),
  } as SpecInput;
}

export function projectFromFile(fileName: string, inferred: Inferred): SpecInput {
  return projectFromFiles([{ fileName, inferred }]);
}
