import { READERS_PY } from '../python/readersPy.js';
import { BB_BEAM_PY } from './bbBeamPy.js';
import { RUNTIME_EXPR_PY } from './runtimeExprPy.js';
import { RUNTIME_IO_PY } from './runtimeIoPy.js';
import { RUNTIME_RULES_PY } from './runtimeRulesPy.js';
import { RUNTIME_STEPS_PY } from './runtimeStepsPy.js';
import { RUNTIME_VALUES_PY } from './runtimeValuesPy.js';

/**
 * The Python modules every Beam export ships beside its pipeline:
 * - bb_runtime.py: the portable semantics in plain Python (values, expression helpers, the
 *   raw-file readers shared with the PySpark export, cleanse steps, rules); no Beam import, so
 *   it is unit-tested with a bare python3;
 * - bb_beam.py: the Beam transforms and the launcher.
 */
export function bbRuntimePy(): string {
  const readers = `\n\n# ---- raw-file readers (the same as the PySpark export's) -------------------------------------\n${READERS_PY.trim()}\n`;
  return [RUNTIME_VALUES_PY, RUNTIME_EXPR_PY, readers, RUNTIME_STEPS_PY, RUNTIME_RULES_PY, RUNTIME_IO_PY].join('');
}

export function bbBeamPy(): string {
  return BB_BEAM_PY;
}
