import type { ExportContext, ExportFile } from '../exportFile.js';
import type { ExportFlag } from '../refusal.js';
import type { TargetResult } from '../targetResult.js';
import { batchName } from '../spark/sparkTarget.js';
import { compileBeamPlan, type BeamPlan } from './beamPlan.js';
import { beamPipelinePy, beamStreamingPy, runDateOf } from './beamPipeline.js';
import { beamReadme } from './beamReadme.js';
import { beamYaml, yamlReadme } from './beamYaml.js';
import { bbBeamPy, bbRuntimePy } from './runtime.js';
import { BEAM_VERSION } from './beamVersion.js';


function requirements(plan: BeamPlan): string {
  const sql = plan.stages.some(({ stage }) => stage.kind === 'sql');
  return `# What the pipeline needs (the launcher and, through setup.py, the Dataflow workers).
apache-beam[gcp]==${BEAM_VERSION}
# IANA time zones for parse_date steps, where the worker image has no system zone database
tzdata
${sql ? '# custom SQL stages run on DuckDB inside the pipeline\nduckdb==1.5.6\n' : ''}`;
}

function setupPy(ctx: ExportContext, plan: BeamPlan): string {
  const sql = plan.stages.some(({ stage }) => stage.kind === 'sql');
  return `"""Packages the pipeline's modules for the Dataflow workers: python pipeline.py … --setup_file=./setup.py"""
import setuptools

setuptools.setup(
    name=${JSON.stringify(`batchbook-${batchName(ctx.spec.name)}`)},
    version='1',
    py_modules=['bb_runtime', 'bb_beam', 'pipeline'],
    install_requires=['tzdata'${sql ? ", 'duckdb==1.5.6'" : ''}],
)
`;
}

export function beamTarget(ctx: ExportContext): TargetResult {
  const plan = compileBeamPlan(ctx.spec);
  if (plan.refusals.length) return { files: [], refusals: plan.refusals, flags: [], readme: '' };
  const flags: ExportFlag[] = plan.stages.flatMap(({ stage, compiled }) => (compiled.flags ?? []).map((message) => ({ target: 'beam' as const, stage: stage.name, message })));
  const files: ExportFile[] = [
    { path: 'pipeline.py', content: beamPipelinePy(ctx, plan), executable: true },
    { path: 'pipeline_streaming.py', content: beamStreamingPy(ctx), executable: true },
    { path: 'pipeline.beam.yaml', content: beamYaml(ctx, plan, runDateOf(ctx)) },
    { path: 'bb_runtime.py', content: bbRuntimePy() },
    { path: 'bb_beam.py', content: bbBeamPy() },
    { path: 'setup.py', content: setupPy(ctx, plan) },
    { path: 'requirements.txt', content: requirements(plan) },
  ];
  return { files, refusals: [], flags, readme: beamReadme(ctx, plan, runDateOf(ctx), yamlReadme(plan, runDateOf(ctx))) };
}
