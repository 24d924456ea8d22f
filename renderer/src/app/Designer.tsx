import { lazy, Suspense, useEffect, useState, type ReactElement } from 'react';
import { useDoc } from '../store/docStore';
import { useUi } from '../store/uiStore';
import { Notebook } from '../notebook/Notebook';
import { DagPanel } from '../dag/DagPanel';
import { TopBar } from './TopBar';
import { StatusBar } from './StatusBar';
import { discardRecovery, onRecoveryOffer, recoveryOffer, restoreRecovery } from './documentActions';
import { useServices } from './context';

const CostSide = lazy(() => import('./CostSide'));
const RunsPanel = lazy(() => import('../runs/RunsPanel'));

function RecoveryBanner(): ReactElement | null {
  const { host } = useServices();
  const [offer, setOffer] = useState(recoveryOffer());
  useEffect(() => onRecoveryOffer(() => setOffer(recoveryOffer())), []);
  if (!offer) return null;
  return (
    <div className="banner warn" role="alert" data-testid="recovery-banner">
      <span>
        Unsaved changes from <b>{new Date(offer.savedAt).toLocaleString()}</b> were kept after the app closed unexpectedly.
      </span>
      <button className="btn small primary" data-testid="recovery-restore" onClick={restoreRecovery}>
        Restore them
      </button>
      <button className="btn small" data-testid="recovery-discard" onClick={() => void discardRecovery(host)}>
        Discard
      </button>
    </div>
  );
}

export function Designer(): ReactElement {
  const side = useUi((s) => s.side);
  const refused = useDoc((s) => s.refused);
  return (
    <div className="app">
      <TopBar />
      <RecoveryBanner />
      {refused && (
        <div className="banner error" role="alert" data-testid="refused">
          {refused}
          <button className="btn small ghost" onClick={() => useDoc.setState({ refused: undefined })}>
            Dismiss
          </button>
        </div>
      )}
      <div className="workspace">
        {side && (
          <aside className={`side side-${side}`} data-testid={`side-${side}`}>
            {side === 'dag' ? (
              <DagPanel />
            ) : side === 'runs' ? (
              <Suspense fallback={<div className="side-loading muted">Loading the run history…</div>}>
                <RunsPanel />
              </Suspense>
            ) : (
              <Suspense fallback={<div className="side-loading muted">Loading the cost model…</div>}>
                <CostSide />
              </Suspense>
            )}
          </aside>
        )}
        <main className="notebook-scroll scroll-thin" data-testid="notebook">
          <Notebook />
        </main>
      </div>
      <StatusBar />
    </div>
  );
}
