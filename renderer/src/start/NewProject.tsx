import { useRef, useState, type DragEvent, type ReactElement } from 'react';
import type { DataType } from '@batchbook/pipeline-core';
import { useServices } from '../app/context';
import { openProject } from '../app/documentActions';
import { inferSchema, type Inferred } from '../newProject/inferSchema';
import { identifierFrom, projectFromFile } from '../newProject/projectFromFile';
import { Icon } from '../ui/icons';
import { TypeSelect } from '../editors/fields';

interface Dropped {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly inferred: Inferred;
}

/** Drop (or choose) a file, confirm the schema Batchbook read from it, and start a project. */
export function NewProject(): ReactElement {
  const { host } = useServices();
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string>();
  const [dropped, setDropped] = useState<Dropped>();
  const [types, setTypes] = useState<DataType[]>([]);
  const input = useRef<HTMLInputElement>(null);

  const take = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const inferred = inferSchema(file.name, bytes);
      setDropped({ name: file.name, bytes, inferred });
      setTypes(inferred.columns.map((c) => c.type));
    } catch (e) {
      setDropped(undefined);
      setError(`${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };

  const create = async () => {
    if (!dropped) return;
    const inferred = { ...dropped.inferred, columns: dropped.inferred.columns.map((c, i) => ({ ...c, type: types[i] ?? c.type })) };
    const spec = projectFromFile(dropped.name, inferred);
    await openProject(host, () => host.createProject(identifierFrom(dropped.name), [{ path: dropped.name, bytes: dropped.bytes }]), spec);
  };

  if (dropped) {
    return (
      <div className="confirm-schema" data-testid="confirm-schema">
        <p>
          <b>{dropped.name}</b> <span className="muted">· {dropped.inferred.format.toUpperCase()} · {dropped.inferred.columns.length} columns · types read from {dropped.inferred.rowsSeen.toLocaleString()} rows</span>
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
              {dropped.inferred.columns.map((c, i) => (
                <tr key={c.name}>
                  <td className="mono">{c.name}</td>
                  <td>
                    <TypeSelect value={types[i] ?? c.type} onChange={(t) => setTypes((ts) => ts.map((x, k) => (k === i ? t : x)))} testId={`schema-type-${c.name}`} />
                  </td>
                  <td className="muted mono ellipsis">{c.examples.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small">Values that do not fit their type become rejects with a reason. Keep text (string) for columns a cleanse step should parse.</p>
        <div className="row-gap">
          <button className="btn primary" data-testid="confirm-schema-create" onClick={() => void create()}>
            Pin this schema and start
          </button>
          <button className="btn" onClick={() => setDropped(undefined)}>
            Choose another file
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
          <b>Drop a CSV, JSON, NDJSON or Parquet file</b>
          <div className="muted small">or click to choose one; its schema is read and shown for you to confirm</div>
        </div>
        <input ref={input} type="file" hidden accept=".csv,.tsv,.txt,.json,.ndjson,.jsonl,.parquet,.pq" data-testid="file-input" onChange={(e) => void take(e.target.files?.[0])} />
      </div>
      {error && (
        <p className="error-text" data-testid="new-project-error">
          {error}
        </p>
      )}
    </>
  );
}

