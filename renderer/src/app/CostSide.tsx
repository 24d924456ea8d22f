import { useMemo, type ReactElement } from 'react';
import { setCost, type CostSection } from '@batchbook/pipeline-core';
import { CostPanel } from '../cost/CostPanel';
import { useDoc } from '../store/docStore';

/** The cost estimate beside the notebook; scenario edits are commands like any other edit. */
export default function CostSide(): ReactElement {
  const runnable = useDoc((s) => s.check?.runnable);
  const dispatch = useDoc((s) => s.dispatch);
  const spec = useMemo(() => runnable, [runnable]);
  if (!spec) return <div className="side-empty muted">The cost estimate appears when the pipeline has no errors.</div>;
  return (
    <div className="cost-side">
      <CostPanel
        spec={spec}
        // the panel hands back the readonly (normalised) form of the section the command writes
        onScenarioChange={(cost: CostSection) => dispatch(setCost(cost as Parameters<typeof setCost>[0]), 'cost')}
      />
    </div>
  );
}
