import type { ExportContext } from '../exportFile.js';
import { stageInputs } from '../../stages/registry.js';
import type { BeamPlan } from './beamPlan.js';
import { BEAM_VERSION } from './beamVersion.js';

const q = (s: string) => JSON.stringify(s);

function node(name: string, inputs: readonly string[], constructor: string, kwargs?: Readonly<Record<string, string>>): string {
  const input = inputs.length === 0 ? `\n      input: {}  # reads its source files` : inputs.length === 1 ? `\n      input: ${q(inputs[0]!)}` : `\n      input: {${inputs.map((i) => `${q(i)}: ${q(i)}`).join(', ')}}`;
  const args = kwargs ? `\n        kwargs: {${Object.entries(kwargs).map(([k, v]) => `${k}: ${q(v)}`).join(', ')}}` : '';
  return `    - type: PyTransform
      name: ${q(name)}${input}
      config:
        constructor: ${constructor}${args}`;
}

/** The name of the last node; a stage may not take it. */
export function publishNode(plan: BeamPlan): string {
  let name = 'batchbook_publish';
  while (plan.stages.some(({ stage }) => stage.name === name)) name = `_${name}`;
  return name;
}

/**
 * pipeline.beam.yaml: the stage graph as a Beam YAML pipeline. Every node is a PyTransform that
 * builds its stage from pipeline.py (bb_beam.YamlStage), so the YAML and the Python pipeline
 * cannot drift apart; the last node writes the rule results, rejects and outputs.
 */
export function beamYaml(ctx: ExportContext, plan: BeamPlan, runDate: string): string {
  const nodes = plan.stages.map(({ stage }) => node(stage.name, [...new Set(stageInputs(stage))], 'bb_beam.YamlStage', { stage: stage.name }));
  nodes.push(node(publishNode(plan), plan.stages.map(({ stage }) => stage.name), 'bb_beam.YamlPublish'));
  return `# ${ctx.spec.name}: Beam YAML variant of pipeline.py, exported by Batchbook ${ctx.toolVersion}.
# Generated: change the pipeline in Batchbook and export again rather than editing this file.
#
# Every stage is a PyTransform (bb_beam.YamlStage) that builds that stage of pipeline.py, wired
# to its inputs here; the last node writes rule results, rejects and (when no rule with action
# fail failed) the outputs. Python transforms only: Beam YAML's Join and Sql need a Java
# expansion service and are not used. Run it from this folder:
#
#   python -m apache_beam.yaml.main --yaml_pipeline_file=pipeline.beam.yaml --runner=FnApiRunner \\
#       --input_root=../data --output_root=./out --run_date=${runDate}
#
# FnApiRunner is the DirectRunner's own batch engine: Beam ${BEAM_VERSION}'s DirectRunner would first try
# to download its Prism runner from GitHub. On Dataflow use --runner=DataflowRunner and the
# options in README.md. Rule outcomes are in <output_root>/validation/<run_date>/rules.json
# (Beam YAML's launcher does not turn them into an exit status; pipeline.py does).
pipeline:
  transforms:
${nodes.join('\n')}
`;
}

/** The README's Beam YAML section: what the YAML variant covers and how to run it. */
export function yamlReadme(plan: BeamPlan, runDate: string): string {
  const kinds = [...new Set(plan.stages.map(({ stage }) => stage.kind))].join(', ');
  return `
## Beam YAML variant

\`pipeline.beam.yaml\` is the same pipeline as a Beam YAML file: one node per stage, wired to its
inputs, so the graph can be read, reviewed and run with Beam YAML's own launcher (and Dataflow's
YAML tooling). It covers every stage of this pipeline (${kinds}): each node is a \`PyTransform\`
(\`bb_beam.YamlStage\`) that builds that stage of \`pipeline.py\`, so the two variants cannot
drift apart; a last node (\`${publishNode(plan)}\`) writes rule results, rejects and outputs.
Beam YAML's native \`Join\` and \`Sql\` transforms are not used: they need a Java expansion
service, downloaded at run time. Batch only: run \`pipeline_streaming.py\` for streaming.

\`\`\`sh
python -m apache_beam.yaml.main --yaml_pipeline_file=pipeline.beam.yaml --runner=FnApiRunner \\
    --input_root=../data --output_root=./out --run_date=${runDate}
\`\`\`

Beam YAML's launcher does not turn rule outcomes into an exit status: read
\`<output_root>/validation/<run_date>/rules.json\` (or run \`pipeline.py\`, which does).
`;
}
