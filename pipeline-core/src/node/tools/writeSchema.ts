import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pipelineJsonSchema } from '../../core/spec/schema.js';

/** Regenerates pipeline-core/schema/pipeline.schema.json from the zod schema (npm run schema). */
export const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/pipeline.schema.json', import.meta.url));

export function schemaText(): string {
  return `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(SCHEMA_FILE, schemaText());
  process.stderr.write(`wrote ${SCHEMA_FILE}\n`);
}
