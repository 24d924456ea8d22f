import pc from 'picocolors';
import type { RunEvent } from '../runner/run.js';

export interface ProgressOptions {
  /** Redraw a status line (a terminal); otherwise only lasting lines are written. */
  readonly live: boolean;
  readonly out?: NodeJS.WritableStream;
}

/**
 * The CLI's view of a running pipeline, fed by the same events as the log: a live line with the
 * current stage on a terminal, and the lines that must not scroll away unseen (failed rules,
 * alerts that could not be sent) on any stream.
 */
export function runProgress(opts: ProgressOptions): (e: RunEvent) => void {
  const out = opts.out ?? process.stderr;
  let drawn = false;
  const clear = () => {
    if (drawn) out.write('\r\x1b[2K');
    drawn = false;
  };
  const status = (text: string) => {
    if (!opts.live) return;
    out.write(`\r\x1b[2K${text}`);
    drawn = true;
  };
  return (e) => {
    switch (e.event) {
      case 'landed':
        status(pc.dim(`landed ${e.landed.reduce((a, l) => a + l.files.length, 0)} file(s)…`));
        break;
      case 'waiting':
        // on any stream: a run that seems stuck says why
        clear();
        out.write(`${pc.dim(`${e.message}…`)}\n`);
        break;
      case 'stage_start':
        status(`${pc.dim(`[${e.index + 1}/${e.total}]`)} ${e.stage} ${pc.dim(e.kind)}…`);
        break;
      case 'rule':
        if (e.result.status === 'fail' && opts.live) {
          clear();
          const mark = e.result.severity === 'error' ? pc.red('✗') : pc.yellow('!');
          out.write(`${mark} rule ${e.result.stage}.${e.result.name} failed (${e.result.failing} failing)\n`);
        }
        break;
      case 'run_end':
        clear();
        break;
      case 'alert': {
        clear();
        const a = e.outcome;
        const text = `alert ${a.status} via ${a.channel}: ${a.detail}`;
        if (a.status === 'sent') out.write(`${pc.dim(text)}\n`);
        else if (a.status === 'skipped') out.write(`${pc.yellow(text)}\n`);
        else out.write(`${pc.yellow(`${text} (the run's own outcome and exit code are unchanged)`)}\n`);
        break;
      }
      default:
        break;
    }
  };
}
