import { useEffect, useState, type ReactElement } from 'react';
import { useServices } from '../../app/context';
import { usePreview } from '../../store/previewStore';
import type { ColumnProfile } from '../engine/stageQueries';

function Histogram({ bins }: { bins: readonly number[] }): ReactElement {
  const max = Math.max(1, ...bins);
  const w = 120 / bins.length;
  return (
    <svg className="histogram" width={120} height={28} viewBox="0 0 120 28" role="img" aria-label="distribution">
      {bins.map((b, i) => (
        <rect key={i} x={i * w + 0.5} y={28 - (26 * b) / max} width={Math.max(1, w - 1)} height={(26 * b) / max} rx={1} />
      ))}
    </svg>
  );
}

function TopValues({ top }: { top: NonNullable<ColumnProfile['top']> }): ReactElement {
  const max = Math.max(1, ...top.map((t) => t.count));
  return (
    <div className="top-values">
      {top.map((t, i) => (
        <div key={i} className="top-value" title={`${t.value ?? 'null'}: ${t.count}`}>
          <span className="top-bar" style={{ width: `${(100 * t.count) / max}%` }} />
          <span className="mono ellipsis">{t.value ?? 'null'}</span>
          <span className="muted">{t.count.toLocaleString()}</span>
        </div>
      ))}
    </div>
  );
}

/** Per column: type, share of nulls, distinct values, min / max and a small histogram or the top values. */
export function ProfileView({ stage }: { stage: string }): ReactElement {
  const { preview } = useServices();
  const generation = usePreview((s) => s.generation[stage] ?? 0);
  const [profile, setProfile] = useState<readonly ColumnProfile[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    preview.client.profile(stage).then(
      (p) => live && (setProfile(p), setError(undefined)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [preview, stage, generation]);
  if (error) return <div className="preview-empty error-text">{error}</div>;
  if (!profile) return <div className="grid-placeholder" />;
  return (
    <div className="profile scroll-thin" data-testid={`profile-${stage}`}>
      {profile.map((c) => (
        <div key={c.name} className="profile-col">
          <div className="profile-name mono" title={c.name}>
            {c.name}
          </div>
          <div className="profile-type">{c.type}</div>
          <div className="profile-stats">
            <span title="share of empty values">
              <b>{c.nullPercent === 0 ? '0' : c.nullPercent < 0.1 ? '<0.1' : c.nullPercent.toFixed(1)}%</b> null
            </span>
            <span title={c.distinctApproximate ? 'distinct values, estimated (approximate count)' : 'distinct values'} data-testid={`profile-distinct-${c.name}`}>
              <b>{c.distinctApproximate ? '≈' : ''}{c.distinct.toLocaleString()}</b> distinct
            </span>
          </div>
          {c.histogram ? <Histogram bins={c.histogram} /> : c.top ? <TopValues top={c.top} /> : null}
          <div className="profile-range mono muted">
            <span className="ellipsis" title={c.min ?? ''}>
              {c.min ?? '—'}
            </span>
            <span className="ellipsis" title={c.max ?? ''}>
              {c.max ?? '—'}
            </span>
          </div>
        </div>
      ))}
    </div>
  );
}
