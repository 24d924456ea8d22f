import { useState, type ReactElement } from 'react';
import type { RuleResult } from '@batchbook/pipeline-core';
import { Grid } from './RowsGrid';

/** Each rule's outcome; a failing rule opens to its failing rows (or groups). */
export function RulesView({ rules }: { rules: readonly RuleResult[] }): ReactElement {
  const [open, setOpen] = useState<string | undefined>(rules.find((r) => r.status === 'fail')?.name);
  if (rules.length === 0) return <div className="preview-empty muted">Checking rules…</div>;
  return (
    <ul className="rule-results" data-testid="rule-results">
      {rules.map((r) => {
        const cols = r.samples[0] ? Object.keys(r.samples[0]).map((name) => ({ name, type: 'string' })) : [];
        const isOpen = open === r.name && r.status === 'fail';
        return (
          <li key={r.name} className={`rule-result ${r.status}`} data-testid={`rule-result-${r.name}`}>
            <button className="rule-line" onClick={() => setOpen(isOpen ? undefined : r.name)} disabled={r.status === 'pass'}>
              <span className={`rule-status ${r.status}`}>{r.status === 'pass' ? '✓ pass' : '✕ fail'}</span>
              <span className="mono">{r.name}</span>
              <span className="muted">{r.rule}</span>
              {r.status === 'fail' && (
                <span className="rule-failing" data-testid={`rule-failing-${r.name}`}>
                  {r.failing.toLocaleString()} failing
                </span>
              )}
              <span className="grow" />
              <span className={`pill sev-${r.severity}`}>{r.severity}</span>
              <span className="pill">{r.action === 'fail' ? 'stops the run' : r.action === 'reject' ? 'rejects rows' : 'reports'}</span>
            </button>
            {isOpen && r.samples.length > 0 && (
              <div className="rule-samples">
                <Grid columns={cols} total={r.samples.length} rowAt={(i) => cols.map((c) => r.samples[i]![c.name] ?? null)} testId={`rule-samples-${r.name}`} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
