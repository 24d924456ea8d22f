import type { Stage } from '../spec/schema.js';
import type { CleanseStep } from './cleanse/steps.js';
import type { Rule } from './validate/rules.js';

const activeSteps = (stage: Extract<Stage, { kind: 'cleanse' }>) => (stage.steps as CleanseStep[]).filter((s) => s.enabled !== false);

function stepMayReject(step: CleanseStep): boolean {
  switch (step.step) {
    case 'cast':
    case 'parse_date':
    case 'parse_number':
      return step.on_error === 'reject';
    case 'filter':
      return step.on_false === 'reject';
    case 'standardise':
      return step.unmapped === 'reject';
    case 'dedupe':
      return true;
    default:
      return false;
  }
}

/** Whether a stage can send rows to its rejects (so its rows need their source position). */
export function stageMayReject(stage: Stage): boolean {
  switch (stage.kind) {
    case 'ingest':
      return true;
    case 'cleanse':
      return activeSteps(stage).some(stepMayReject);
    case 'validate':
      return (stage.rules as Rule[]).some((r) => r.action === 'reject');
    default:
      return false;
  }
}

/** Whether a stage can reject or filter rows (if not, its counts are its input's). */
export function stageMayRemoveRows(stage: Stage): boolean {
  if (stage.kind === 'cleanse') return activeSteps(stage).some((s) => stepMayReject(s) || s.step === 'filter');
  return stageMayReject(stage);
}

