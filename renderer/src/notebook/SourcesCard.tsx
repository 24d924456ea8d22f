import { useState, type ReactElement } from 'react';
import { removeSource, renameSource, setSource, type DataType, type SpecInput } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import { toast } from '../store/uiStore';
import { useServices } from '../app/context';
import { CommitInput, FieldProblems, Labeled, Select, TextInput, TypeSelect } from '../editors/fields';
import { inferSchema } from '../newProject/inferSchema';
import { identifierFrom } from '../newProject/projectFromFile';
import { Icon } from '../ui/icons';

type SourceInput = SpecInput['sources'][string];

function SourceEditor({ name, source, onRenamed }: { name: string; source: SourceInput; onRenamed: (to: string) => void }): ReactElement {
  const dispatch = useDoc((s) => s.dispatch);
  const info = usePreview((s) => s.sources.find((x) => x.name === name));
  const set = (next: SourceInput, field?: string) => dispatch(setSource(name, next), field ? `source.${name}.${field}` : undefined);
  return (
    <div className="source" data-testid={`source-${name}`}>
      <div className="editor-grid">
        <Labeled label="Name" hint="Renaming a source also renames it in the ingest cells that read it">
          <CommitInput className="field mono" value={name} size={Math.max(10, name.length + 1)} ariaLabel="source name" testId={`source-name-${name}`} onCommit={(to) => dispatch(renameSource(name, to)) && onRenamed(to)} />
        </Labeled>
        <Labeled label="Format">
          <Select value={source.format} options={['csv', 'json', 'ndjson', 'parquet'] as const} onChange={(format) => set({ ...source, format })} />
        </Labeled>
        <Labeled label="Files in data/" hint="A glob; {run_date} is replaced by the run date">
          <TextInput value={source.path} mono width="22em" onChange={(path) => set({ ...source, path }, 'path')} testId={`source-path-${name}`} />
        </Labeled>
        {source.format === 'csv' && (
          <Labeled label="Delimiter">
            <TextInput value={source.options?.delimiter ?? ','} mono width="3em" onChange={(d) => set({ ...source, options: { ...source.options, delimiter: d.slice(0, 1) || undefined } }, 'delimiter')} />
          </Labeled>
        )}
        {info && (
          <span className="muted small">
            {info.files.join(', ')} · {info.rows.toLocaleString()} rows
          </span>
        )}
      </div>
      <table className="schema-mini">
        <tbody>
          {(source.schema ?? []).map((c, i) => (
            <tr key={i}>
              <td className="mono">{c.name}</td>
              <td>
                <TypeSelect value={c.type as DataType} onChange={(type) => set({ ...source, schema: (source.schema ?? []).map((x, j) => (j === i ? { ...x, type } : x)) })} testId={`source-type-${name}-${c.name}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FieldProblems path={['sources', name]} exact={false} />
      <button className="btn small ghost danger" onClick={() => dispatch(removeSource(name))}>
        <Icon.trash /> Remove source
      </button>
    </div>
  );
}

/** The project's sources (its raw files and their pinned schemas), above the cells that read them. */
export function SourcesCard(): ReactElement {
  const { host } = useServices();
  const sources = useDoc((s) => s.input?.sources ?? {});
  const files = useDoc((s) => s.project?.files ?? []);
  const ref = useDoc((s) => s.project?.ref);
  const dispatch = useDoc((s) => s.dispatch);
  const [open, setOpen] = useState<string | undefined>();
  const names = Object.keys(sources);
  const unused = files.filter((f) => !Object.values(sources).some((s) => s.path === f));

  const addFrom = async (file: string) => {
    if (!ref) return;
    try {
      const bytes = (await host.readFiles(ref, [file])).get(file)!;
      const inferred = inferSchema(file, bytes);
      const name = identifierFrom(file.split('/').pop()!);
      const options = inferred.delimiter && inferred.delimiter !== ',' ? { options: { delimiter: inferred.delimiter } } : {};
      dispatch(setSource(name, { format: inferred.format, path: file, ...options, schema: inferred.columns.map((c) => ({ name: c.name, type: c.type })) }));
      setOpen(name);
    } catch (e) {
      toast(`${file}: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  };

  return (
    <section className="sources-card" data-testid="sources">
      <div className="sources-bar">
        <span className="labeled-label">Sources</span>
        {names.length === 0 && <span className="muted small">none yet — add one from the project’s data files</span>}
        {names.map((n) => (
          <button key={n} className={`source-chip ${open === n ? 'on' : ''}`} onClick={() => setOpen(open === n ? undefined : n)} data-testid={`source-chip-${n}`}>
            <Icon.source width={14} height={14} />
            <span className="mono">{n}</span>
            <span className="muted small">{sources[n]!.format}</span>
          </button>
        ))}
        {unused.length > 0 && (
          <select className="field small-select" value="" aria-label="Add a source from a data file" data-testid="add-source" onChange={(e) => e.target.value && void addFrom(e.target.value)}>
            <option value="">+ source from a file…</option>
            {unused.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        )}
      </div>
      {open && sources[open] && <SourceEditor name={open} source={sources[open]!} onRenamed={setOpen} />}
    </section>
  );
}
