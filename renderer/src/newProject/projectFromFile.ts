import type { SpecInput } from '@batchbook/pipeline-core';
import type { Inferred } from './inferSchema';

/** A name the spec accepts (letters, digits, _; starting with a letter) from a file name. */
export function identifierFrom(fileName: string): string {
  const stem = fileName.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const named = /^[a-z_]/.test(stem) ? stem : `data_${stem}`;
  return (named || 'data').slice(0, 40);
}

/**
 * The spec of a new project made from one file: the file is the source (its confirmed schema
 * pinned) and the first cell ingests it. The file goes into the project's data/ folder.
 */
export function projectFromFile(fileName: string, inferred: Inferred): SpecInput {
  const name = identifierFrom(fileName);
  const options = inferred.format === 'csv' && inferred.delimiter && inferred.delimiter !== ',' ? { options: { delimiter: inferred.delimiter } } : {};
  return {
    version: 1,
    name,
    description: `Started from ${fileName}`,
    sources: {
      [name]: { format: inferred.format, path: fileName, ...options, schema: inferred.columns.map((c) => ({ name: c.name, type: c.type })) },
    },
    stages: [{ name: `raw_${name}`.slice(0, 63), kind: 'ingest', source: name }],
  } as SpecInput;
}
