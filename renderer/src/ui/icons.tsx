import type { ReactElement, SVGProps } from 'react';
import type { StageKind } from '@batchbook/pipeline-core';

/** A small stroke icon set (16px, currentColor), drawn here so nothing is fetched. */
type P = SVGProps<SVGSVGElement>;
const base = (d: ReactElement, p: P) => (
  <svg width={16} height={16} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round" aria-hidden {...p}>
    {d}
  </svg>
);

export const Icon = {
  ingest: (p: P = {}) => base(<><path d="M8 2v7" /><path d="M5 6.5 8 9.5l3-3" /><path d="M2.5 10v2.5a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1V10" /></>, p),
  cleanse: (p: P = {}) => base(<><path d="M10.5 2.5 13.5 5.5 7 12H4v-3z" /><path d="M3 14h10" /></>, p),
  join: (p: P = {}) => base(<><circle cx="6" cy="8" r="3.5" /><circle cx="10" cy="8" r="3.5" /></>, p),
  match: (p: P = {}) => base(<><path d="M2 5h5" /><path d="M9 5h5" /><path d="M2 11h5" /><path d="M9 11h5" /><path d="m6 3 2 2-2 2" /></>, p),
  aggregate: (p: P = {}) => base(<path d="M12 3H4l4.5 5L4 13h8" />, p),
  union: (p: P = {}) => base(<><path d="M4 3v5a4 4 0 0 0 8 0V3" /></>, p),
  sql: (p: P = {}) => base(<><path d="m5.5 4.5-3 3.5 3 3.5" /><path d="m10.5 4.5 3 3.5-3 3.5" /></>, p),
  validate: (p: P = {}) => base(<><path d="M8 1.8 13 4v4c0 3-2.2 5.2-5 6.2C5.2 13.2 3 11 3 8V4z" /><path d="m5.8 8 1.6 1.6L10.5 6.5" /></>, p),
  output: (p: P = {}) => base(<><path d="M8 10V3" /><path d="M5 5.5 8 2.5l3 3" /><path d="M2.5 10v2.5a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1V10" /></>, p),
  source: (p: P = {}) => base(<><ellipse cx="8" cy="4" rx="5" ry="2" /><path d="M3 4v8c0 1.1 2.2 2 5 2s5-.9 5-2V4" /><path d="M3 8c0 1.1 2.2 2 5 2s5-.9 5-2" /></>, p),
  play: (p: P = {}) => base(<path d="M5 3.5v9l7-4.5z" fill="currentColor" stroke="none" />, p),
  stop: (p: P = {}) => base(<rect x="4" y="4" width="8" height="8" rx="1" fill="currentColor" stroke="none" />, p),
  plus: (p: P = {}) => base(<><path d="M8 3v10" /><path d="M3 8h10" /></>, p),
  copy: (p: P = {}) => base(<><rect x="5" y="5" width="8.5" height="8.5" rx="1.5" /><path d="M11 5V3.5A1 1 0 0 0 10 2.5H3.5a1 1 0 0 0-1 1V10a1 1 0 0 0 1 1H5" /></>, p),
  trash: (p: P = {}) => base(<><path d="M3 4.5h10" /><path d="M6.5 4.5V3h3v1.5" /><path d="M4.5 4.5l.7 8.5a1 1 0 0 0 1 .9h3.6a1 1 0 0 0 1-.9l.7-8.5" /></>, p),
  up: (p: P = {}) => base(<path d="m4 10 4-4 4 4" />, p),
  down: (p: P = {}) => base(<path d="m4 6 4 4 4-4" />, p),
  chevron: (p: P = {}) => base(<path d="m6 4 4 4-4 4" />, p),
  undo: (p: P = {}) => base(<><path d="M4 6h6a3 3 0 0 1 0 6H7" /><path d="M6.5 3.5 4 6l2.5 2.5" /></>, p),
  redo: (p: P = {}) => base(<><path d="M12 6H6a3 3 0 0 0 0 6h3" /><path d="M9.5 3.5 12 6 9.5 8.5" /></>, p),
  save: (p: P = {}) => base(<><path d="M3 3.5a1 1 0 0 1 1-1h6.5L13 5v7.5a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1z" /><path d="M5.5 2.5v3h4v-3" /><rect x="5" y="9" width="6" height="4.5" /></>, p),
  sun: (p: P = {}) => base(<><circle cx="8" cy="8" r="3" /><path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" /></>, p),
  moon: (p: P = {}) => base(<path d="M13 9.5A5.5 5.5 0 0 1 6.5 3a5.5 5.5 0 1 0 6.5 6.5z" />, p),
  graph: (p: P = {}) => base(<><rect x="1.5" y="2.5" width="4" height="3" rx=".8" /><rect x="10.5" y="6.5" width="4" height="3" rx=".8" /><rect x="1.5" y="10.5" width="4" height="3" rx=".8" /><path d="M5.5 4h2.5v7H5.5M8 8h2.5" /></>, p),
  search: (p: P = {}) => base(<><circle cx="7" cy="7" r="4.5" /><path d="m10.5 10.5 3 3" /></>, p),
  folder: (p: P = {}) => base(<path d="M2 4.5a1 1 0 0 1 1-1h3.2l1.3 1.5H13a1 1 0 0 1 1 1v6.5a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1z" />, p),
  file: (p: P = {}) => base(<><path d="M4 1.5h5.5L12.5 4.5v9a1 1 0 0 1-1 1h-7.5a1 1 0 0 1-1-1v-11a1 1 0 0 1 1-1z" /><path d="M9.5 1.5v3h3" /></>, p),
  dollar: (p: P = {}) => base(<><path d="M8 1.5v13" /><path d="M11 4.5H6.8a2 2 0 0 0 0 4h2.4a2 2 0 0 1 0 4H5" /></>, p),
  grip: (p: P = {}) => base(<><circle cx="6" cy="4" r=".6" /><circle cx="10" cy="4" r=".6" /><circle cx="6" cy="8" r=".6" /><circle cx="10" cy="8" r=".6" /><circle cx="6" cy="12" r=".6" /><circle cx="10" cy="12" r=".6" /></>, p),
  close: (p: P = {}) => base(<><path d="m4 4 8 8" /><path d="m12 4-8 8" /></>, p),
  warn: (p: P = {}) => base(<><path d="M8 2 14.5 13.5h-13z" /><path d="M8 6.5v3" /><path d="M8 11.5v.1" /></>, p),
  check: (p: P = {}) => base(<path d="m3.5 8.5 3 3 6-7" />, p),
  history: (p: P = {}) => base(<><path d="M2.5 8a5.5 5.5 0 1 0 1.6-3.9" /><path d="M2.5 2.5v2.2h2.2" /><path d="M8 5v3.2l2 1.3" /></>, p),
  refresh: (p: P = {}) => base(<><path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9" /><path d="M13.5 2.5v2.2h-2.2" /></>, p),
};

export function KindIcon({ kind, ...p }: { kind: StageKind } & P): ReactElement {
  return Icon[kind](p);
}
