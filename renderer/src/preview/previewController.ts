import type { Host } from '../host/host';
import { useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import type { CellState, SampleOptions, SessionEvent } from './engine/previewSession';
import { PreviewClient } from './worker/previewClient';

/**
 * Keeps the preview in step with the document: after every edit (at once for a click, a moment
 * after the last keystroke when typing) it asks the worker to re-run what changed. A run still
 * going when the next edit lands is cancelled; only the latest state of the spec is previewed.
 */
const TYPING_DELAY_MS = 300;

export function yesterday(): string {
  return new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
}

export class PreviewController {
  readonly client: PreviewClient;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<unknown> | undefined;
  private force = new Set<string>();
  private again = false;
  private readonly fileCache = new Map<string, Blob>();
  private queued: SessionEvent[] = [];
  private frame: number | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly host: Host) {
    this.client = new PreviewClient((paths) => this.readFiles(paths));
    this.client.onDeath = (message) => usePreview.setState({ engine: { status: 'failed', message }, running: false, busy: false });
    this.client.ready.then(
      ({ ms }) => {
        usePreview.setState({ engine: { status: 'ready', startMs: ms } });
        this.schedule(0);
      },
      (e: Error) => usePreview.setState({ engine: { status: 'failed', message: e.message } }),
    );
    this.unsubscribe = useDoc.subscribe((s, prev) => {
      if (s.openSeq !== prev.openSeq) return void this.projectChanged();
      if (s.input !== prev.input) {
        const last = s.history.past[s.history.past.length - 1];
        this.schedule(last?.coalesce && s.history.past.length >= prev.history.past.length ? TYPING_DELAY_MS : 0);
      }
    });
  }

  dispose(): void {
    this.unsubscribe();
    this.client.terminate();
  }

  private async projectChanged(): Promise<void> {
    // files of other projects are forgotten; the new project's own (adopted just before it opened) stay
    const id = useDoc.getState().project?.ref.id;
    for (const k of [...this.fileCache.keys()]) if (!k.startsWith(`${id}\u0000`)) this.fileCache.delete(k);
    this.client.cancel();
    await this.running;
    usePreview.setState({ cells: {}, sources: [], missing: undefined, generation: {}, lastRun: undefined, runError: undefined, params: {} });
    await this.client.reset().catch(() => undefined);
    this.schedule(0);
  }

  /** Files dropped on the start screen, kept as the browser's File objects (the worker reads only what it needs of them). */
  adoptFiles(projectId: string, files: ReadonlyMap<string, Blob>): void {
    for (const [p, blob] of files) this.fileCache.set(`${projectId}\u0000${p}`, blob);
  }

  private async readFiles(paths: readonly string[]): Promise<ReadonlyMap<string, Blob>> {
    const project = useDoc.getState().project;
    if (!project) throw new Error('no project is open');
    const key = (p: string) => `${project.ref.id}\u0000${p}`;
    const missing = paths.filter((p) => !this.fileCache.has(key(p)));
    if (missing.length) for (const [p, bytes] of await this.host.readFiles(project.ref, missing)) this.fileCache.set(key(p), new Blob([bytes as BlobPart]));
    return new Map(paths.map((p) => [p, this.fileCache.get(key(p))!]));
  }

  setParams(params: Readonly<Record<string, string>>): void {
    usePreview.setState({ params });
    this.schedule(0);
  }

  setSample(sample: SampleOptions): void {
    usePreview.setState({ sample });
    this.schedule(0);
  }

  /** Re-runs the given stages (and what reads them) even when nothing changed: Run cell / Run all. */
  runStages(stages: readonly string[]): void {
    for (const s of stages) this.force.add(s);
    this.schedule(0);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.again = false;
    this.client.cancel();
    if (!this.running) usePreview.setState({ busy: false });
  }

  schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    usePreview.setState({ busy: true });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.start();
    }, delay);
  }

  private async start(): Promise<void> {
    if (usePreview.getState().engine.status !== 'ready') return usePreview.setState({ busy: false });
    if (this.running) {
      this.again = true;
      this.client.cancel();
      return;
    }
    const doc = useDoc.getState();
    if (!doc.input || !doc.project) return usePreview.setState({ busy: false });
    const { params, sample } = usePreview.getState();
    const force = [...this.force];
    this.force.clear();
    usePreview.setState({ running: true, progress: undefined, runError: undefined });
    const run = this.client
      .run({ input: doc.input, params, fallbackRunDate: yesterday(), sample, files: doc.project.files, force }, (e) => this.queue(e))
      .then(
        (outcome) => usePreview.setState({ lastRun: { ms: outcome.ms, ran: outcome.ran.length, cancelled: outcome.cancelled, ...(outcome.phases ? { phases: outcome.phases } : {}) } }),
        (e: Error) => usePreview.setState({ runError: e.message }),
      );
    this.running = run;
    await run;
    this.flush();
    this.running = undefined;
    usePreview.setState((s) => ({ running: false, progress: undefined, runs: s.runs + 1, busy: this.again || this.timer !== undefined }));
    if (this.again) {
      this.again = false;
      void this.start();
    }
  }

  /**
   * Events are applied once per frame, not one by one: the page repaints at most once a frame
   * and leaves the CPU to the worker while a run is going.
   */
  private queue(e: SessionEvent): void {
    if (e.type === 'cells') {
      // the start of a run shows at once: the cells it will refresh turn stale before any result
      this.flush();
      return this.onEvent(e);
    }
    this.queued.push(e);
    this.frame ??= requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    const events = this.queued;
    this.queued = [];
    for (const e of events) this.onEvent(e);
  }

  private onEvent(e: SessionEvent): void {
    const update = (stage: string, f: (c: CellState | undefined) => CellState) =>
      usePreview.setState((s) => ({ cells: { ...s.cells, [stage]: f(s.cells[stage]) } }));
    switch (e.type) {
      case 'cells':
        usePreview.setState((s) => ({ cells: e.cells, sources: e.sources, missing: e.missing, progress: { done: 0, total: e.toRun.length }, generation: s.generation }));
        return;
      case 'stage_start':
        update(e.stage, (c) => ({ ...c, status: 'running' }));
        usePreview.setState({ progress: { done: e.index, total: e.total, stage: e.stage } });
        return;
      case 'stage_end':
        usePreview.setState((s) => ({
          cells: { ...s.cells, [e.stage]: e.cell },
          generation: { ...s.generation, [e.stage]: (s.generation[e.stage] ?? 0) + 1 },
          progress: { done: e.index + 1, total: e.total },
        }));
        return;
      case 'rule':
        update(e.stage, (c) => ({ status: 'fresh', ...c, rules: [...(c?.rules ?? []), e.rule] }));
        return;
      case 'stage_error':
        update(e.stage, () => ({ status: 'error', origin: 'run', message: e.message }));
        for (const b of e.blocked) update(b, () => ({ status: 'blocked', message: `waits for '${e.stage}'` }));
        return;
    }
  }
}
