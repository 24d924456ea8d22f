import { checkCsvHeaders, csvSourceRelation } from '../preview/csvRelation.js';
import type { PipelineSpec, Source } from '../spec/schema.js';
import type { SourceRelation } from '../stages/stageModule.js';
import type { MarkedSourceRelation } from './duckdb/duckdbTarget.js';
import { readMarker, shownMarker } from './markers.js';
import { jsonRelation, ndjsonRelation, parquetRelation } from './readerRelations.js';

/**
 * The exporters' source readers (`ExportOptions.duckdbSources`) built without file access, for an
 * export made in the browser: the same SQL as the node side's `markedSourceRelations` (the
 * runner's readers with path markers), given the header line of each CSV source's first sample
 * file (its first line, decoded as the source's encoding says). A CSV source without one keeps its pinned columns, as on the node side.
 */
export function markedSourceRelations(spec: PipelineSpec, csvHeaders: ReadonlyMap<string, string>): MarkedSourceRelation {
  return (name) => {
    const source = spec.sources[name];
    if (!source) throw new Error(`unknown source ${name}`);
    return markedSourceRelation(name, source, csvHeaders.get(name));
  };
}

function markedSourceRelation(name: string, source: Source, header: string | undefined): SourceRelation {
  const files = [readMarker(name)];
  const shown = [shownMarker(name)];
  const pinned = source.schema.map((c) => c.name);
  switch (source.format) {
    case 'csv': {
      const columns = header !== undefined && (source.options?.header ?? true) ? checkCsvHeaders(name, source, [header], shown) : pinned;
      return csvSourceRelation(name, source, files, shown, columns, 'insertion');
    }
    case 'ndjson':
      return ndjsonRelation(files, shown, source);
    case 'json':
      return jsonRelation(files, shown, pinned);
    case 'parquet':
      // the stored types are not known here: the exported plan checks them where it runs (as the CLI's export does)
      return parquetRelation(files, shown, source, 'at-run-time');
  }
}
