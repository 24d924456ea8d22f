import type { ReactElement } from 'react';
import { useUi } from '../store/uiStore';

export function Toasts(): ReactElement {
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.tone}`} data-testid={`toast-${t.tone}`}>
          {t.text}
        </div>
      ))}
    </div>
  );
}
