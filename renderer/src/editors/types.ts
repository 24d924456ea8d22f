import type { DataType } from '@batchbook/pipeline-core';

export type { DataType, Schema, SpecDiagnostic, SpecPath, SpecInput, StageInput, StepInput, RuleInput } from '@batchbook/pipeline-core';

export const SCALAR_TYPES_LIST: readonly DataType[] = ['string', 'integer', 'double', 'boolean', 'date', 'timestamp'];
