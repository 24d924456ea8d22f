import type { ReactElement, ReactNode } from 'react';
import { useDiagnostics } from '../editors/fields';
import type { SpecPath } from '../editors/types';

/** Outlines a control in red while the spec has a problem at exactly its path (the message shows under its group). */
export function Flagged({ path, children }: { path: SpecPath; children: ReactNode }): ReactElement {
  const bad = useDiagnostics(path).some((d) => d.severity === 'error');
  return <span className={`match-flag ${bad ? 'has-problem' : ''}`}>{children}</span>;
}
