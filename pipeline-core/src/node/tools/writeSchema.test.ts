import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaText } from './writeSchema.js';

describe('published JSON Schema', () => {
  it('is up to date with the zod schema (run `npm run schema` in pipeline-core after changing it)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });
});
