import { useRef, useState, type DragEvent, type ReactElement } from 'react';
import type { DataType } from '@batchbook/pipeline-core';
import { useServices } from '../app/context';
import { openProject } from '../app/documentActions';
import { inferFileSchema, type Inferred } from '../newProject/inferSchema';
import { projectFromFiles } from '../newProject/projectFromFile';
import { Icon } from '../ui/icons';
import { TypeSelect } from '../editors/fields';

interface Dropped {
  readonly name: string;
  /** The browser's File: only its first bytes (or Parquet footer) are read to infer the schema. */
  readonly file: File;
  readonly inferred: Inferred;
}

function SchemaTable({ file, types, onType }: { file: Dropped; types: readonly DataType[]; onType: (i: number, t: DataType) => void }): ReactElement {
  return (
    <section className="confirm-file" data-testid={`confirm-file-${file.name}`}>
      <p>
        <b>{file.name}</b>{' '}
        <span className="muted">
          · {file.inferred.format.toUpperCase()} · {file.inferred.columns.length} columns · types read from {file.inferred.rowsSeen.toLocaleString()} rows
        </span>
      </p>
      <div className="schema-table scroll-thin">
        <table>
          <thead>
            <tr>
              <th>Column</th>
              <th>Type</th>
              <th>Examples</th>
            </tr>
          </thead>
          <tbody>
            {file.inferred.columns.map((c, i) => (
              <tr key={c.name}>
                <td className="mono">{c.name}</td>
                <td>
                  <TypeSelect value={types[i] ?? c.type} onChange={(t) => onType(i, t)} testId={`schema-type-${c.name}`} />
                </td>
                <td className="muted mono ellipsis">{c.examples.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Drop (or choose) data files, confirm the schema Batchbook read from each, and start a project with a source per file. */
export function NewProject(): ReactElement {
  const { host, preview } = useServices();
  const [over, setOver] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [dropped, setDropped] = useState<Dropped[]>([]);
  const [types, setTypes] = useState<DataType[][]>([]);
  const input = useRef<HTMLInputElement>(null);

  const take = async (files: readonly File[]) => {
    if (files.length === 0) return;
    const ok: Dropped[] = [];
    const bad: string[] = [];
    for (const file of files) {
      try {
        ok.push({ name: file.name, file, inferred: await inferFileSchema(file, file.name) });
      } catch (e) {
        bad.push(`${file.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    setErrors(bad);
    setDropped(ok);
    setTypes(ok.map((d) => d.inferred.columns.map((c) => c.type)));
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take([...e.dataTransfer.files]);
  };

  const create = async () => {
    if (dropped.length === 0) return;
    const spec = projectFromFiles(dropped.map((d, k) => ({ fileName: d.name, inferred: { ...d.inferred, columns: d.inferred.columns.map((c, i) => ({ ...c, type: types[k]?.[i] ?? c.type })) } })));
    const name = dropped.length === 1 ? spec.name : 'new project';
    await openProject(
      host,
      async () => {
        // the project keeps the bytes (to save them later); the preview reads the Files themselves, a sample at a time
        const files = await Promise.all(dropped.map(async (d) => ({ path: d.name, bytes: new Uint8Array(await d.file.arrayBuffer()) })));
        const project = await host.createProject(name, files);
        preview.adoptFiles(project.ref.id, new Map(dropped.map((d) => [d.name, d.file])));
        return project;
      },
      spec,
    );
  };

  if (dropped.length > 0) {
    return (
      <div className="confirm-schema" data-testid="confirm-schema">
        {dropped.map((d, k) => (
          <SchemaTable key={d.name} file={d} types={types[k] ?? []} onType={(i, t) => setTypes((all) => all.map((ts, j) => (j === k ? ts.map((x, n) => (n === i ? t : x)) : ts)))} />
        ))}
        {errors.map((e) => (
          <p key={e} className="error-text" data-testid="new-project-error">
            {e}
          </p>
        ))}
        <p className="muted small">Values that do not fit their type become rejects with a reason. Keep text (string) for columns a cleanse step should parse.</p>
        <div className="row-gap">
          <button className="btn primary" data-testid="confirm-schema-create" onClick={() => void create()}>
            Pin {dropped.length === 1 ? 'this schema' : `these ${dropped.length} schemas`} and start
          </button>
          <button className="btn" onClick={() => setDropped([])}>
            Choose other files
          </button>
        </div>
      </div>
    );
  }

  return (
    <>
      <div
        className={`dropzone ${over ? 'over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        onClick={() => input.current?.click()}
        role="button"
        tabIndex={0}
        onKeyDown={(e) => e.key === 'Enter' && input.current?.click()}
      >
        <Icon.file width={22} height={22} />
        <div>
          <b>Drop CSV, JSON, NDJSON or Parquet files</b>
          <div className="muted small">or click to choose; each file’s schema is read and shown for you to confirm, and becomes a source</div>
        </div>
        <input ref={input} type="file" multiple hidden accept=".csv,.tsv,.txt,.json,.ndjson,.jsonl,.parquet,.pq" data-testid="file-input" onChange={(e) => void take([...(e.target.files ?? [])])} />
      </div>
      {errors.map((e) => (
        <p key={e} className="error-text" data-testid="new-project-error">
          {e}
        </p>
      ))}
    </>
  );
}
