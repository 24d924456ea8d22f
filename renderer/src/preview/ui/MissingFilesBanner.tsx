import type { ReactElement } from 'react';
import { useServices } from '../../app/context';
import { usePreview } from '../../store/previewStore';

/**
 * One clear state when the chosen run date (or another path parameter) has no files: which
 * sources miss them, and the dates that have files, one click each — rather than a red error
 * per source and every cell after them blocked without saying why.
 */
export function MissingFilesBanner(): ReactElement | null {
  const { preview } = useServices();
  const missing = usePreview((s) => s.missing);
  const params = usePreview((s) => s.params);
  if (!missing) return null;
  return (
    <div className="missing-files" role="status" data-testid="missing-files">
      <p>
        <b>
          No files for {missing.param} {missing.value}
        </b>{' '}
        <span className="muted">({missing.sources.join(', ')}): the cells that read them wait.</span>
      </p>
      {missing.available.length > 0 ? (
        <p>
          Files exist for{' '}
          {missing.available.map((v) => (
            <button key={v} className="btn small" data-testid={`missing-files-use-${v}`} onClick={() => preview.setParams({ ...params, [missing.param]: v })}>
              {v}
            </button>
          ))}
        </p>
      ) : (
        <p className="muted">No {missing.param} has files for all of them in the project’s data folder.</p>
      )}
    </div>
  );
}
