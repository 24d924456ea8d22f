import { useEffect, useState, type ReactElement } from 'react';
import { useServices } from '../../app/context';
import { usePreview } from '../../store/previewStore';
import type { RowsPage } from '../engine/stageQueries';
import { Grid } from './RowsGrid';

const LIMIT = 1000;

/** The rows this cell rejected, each with its reason and where it came from (file, row, line). */
export function RejectsView({ stage, total }: { stage: string; total: number }): ReactElement {
  const { preview } = useServices();
  const generation = usePreview((s) => s.generation[stage] ?? 0);
  const [page, setPage] = useState<RowsPage>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (total === 0) return;
    let live = true;
    preview.client.rejects(stage, LIMIT).then(
      (p) => live && (setPage(p), setError(undefined)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [preview, stage, generation, total]);
  if (total === 0) return <div className="preview-empty muted" data-testid={`no-rejects-${stage}`}>Nothing rejected.</div>;
  if (error) return <div className="preview-empty error-text">{error}</div>;
  if (!page) return <div className="grid-placeholder" />;
  const columns = page.columns.filter((c) => !['source_name', 'raw_line'].includes(c.name) || page.rows.some((r) => r[page.columns.indexOf(c)] !== null));
  const idx = columns.map((c) => page.columns.indexOf(c));
  return (
    <>
      {total > page.rows.length && <div className="muted small grid-note">Showing the first {page.rows.length.toLocaleString()} of {total.toLocaleString()}.</div>}
      <Grid columns={columns} total={page.rows.length} rowAt={(i) => idx.map((k) => page.rows[i]![k]!)} testId={`rejects-${stage}`} />
    </>
  );
}
