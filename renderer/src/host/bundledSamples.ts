import { HostError, type OpenedProject, type SampleInfo } from './host';

/**
 * The sample projects ship inside the app (the build copies samples/*, see
 * build/samplesPlugin.ts): both adapters read them over the app's own origin, never the network.
 */
interface SampleEntry {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly files: readonly string[];
  readonly generate?: string;
}

const url = (path: string) => new URL(`samples/${path}`, document.baseURI).href;

let index: Promise<readonly SampleEntry[]> | undefined;

function sampleIndex(): Promise<readonly SampleEntry[]> {
  index ??= fetch(url('index.json')).then(async (r) => {
    if (!r.ok) throw new HostError(`the bundled samples are missing (${r.status})`);
    return (await r.json()) as SampleEntry[];
  });
  return index;
}

async function fetchBytes(path: string): Promise<Uint8Array> {
  const r = await fetch(url(path));
  if (!r.ok) throw new HostError(`cannot read the sample file ${path} (${r.status})`);
  return new Uint8Array(await r.arrayBuffer());
}

export async function listSamples(): Promise<SampleInfo[]> {
  return (await sampleIndex()).map((s) => ({ id: s.id, title: s.title, description: s.description, files: s.files.length, ...(s.generate ? { generate: s.generate } : {}) }));
}

export async function openSample(id: string): Promise<OpenedProject> {
  const entry = (await sampleIndex()).find((s) => s.id === id);
  if (!entry) throw new HostError(`there is no sample called '${id}'`);
  if (entry.generate) throw new HostError(`the ${entry.title} sample has no data yet: generate it with ${entry.generate}, then reload`);
  const text = new TextDecoder().decode(await fetchBytes(`${id}/pipeline.yaml`));
  return { ref: { id: `sample:${id}`, name: entry.title, kind: 'sample' }, specText: text, files: entry.files };
}

export async function readSampleFiles(id: string, paths: readonly string[]): Promise<Map<string, Uint8Array>> {
  return new Map(await Promise.all(paths.map(async (p) => [p, await fetchBytes(`${id}/data/${p}`)] as const)));
}

export function sampleId(projectId: string): string | undefined {
  return projectId.startsWith('sample:') ? projectId.slice('sample:'.length) : undefined;
}
