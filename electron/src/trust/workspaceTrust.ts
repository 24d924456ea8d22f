import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openProject } from '@batchbook/pipeline-core/node';
import { writeAtomic } from '../projects.js';
import { alertsDigest, trustNeeds, type AlertsPermission, type TrustNeeds } from './alertsTrust.js';

/**
 * The user's answers to "run this project's alert command / send these variables?", kept in
 * userData per project folder (its real path) together with the digest of the alerts section
 * they were shown; a changed section is a new question.
 */
export type TrustAnswer = 'trust' | 'without' | 'cancel';

interface Decision {
  readonly digest: string;
  readonly mode: AlertsPermission['mode'];
  readonly decidedAt: string;
}

export class WorkspaceTrust {
  constructor(
    private readonly userData: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get file(): string {
    return join(this.userData, 'workspace-trust.json');
  }

  private async all(): Promise<Record<string, Decision>> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as { folders?: Record<string, Decision> };
      return parsed.folders && typeof parsed.folders === 'object' ? parsed.folders : {};
    } catch {
      return {}; // none yet, or unreadable: ask again rather than trust
    }
  }

  /** The remembered mode for this folder and these alerts, if the user answered for exactly them. */
  async recalled(dir: string, digest: string): Promise<AlertsPermission['mode'] | undefined> {
    const d = (await this.all())[dir];
    return d && d.digest === digest && (d.mode === 'trusted' || d.mode === 'untrusted') ? d.mode : undefined;
  }

  async remember(dir: string, digest: string, mode: AlertsPermission['mode']): Promise<void> {
    const folders = { ...(await this.all()), [dir]: { digest, mode, decidedAt: this.now().toISOString() } };
    await writeAtomic(this.file, JSON.stringify({ version: 1, folders }, null, 2));
  }
}

/** Asks the user about one project's alerts; the main process shows it as a native dialog. */
export type AskTrust = (folderName: string, needs: TrustNeeds) => Promise<TrustAnswer>;

/**
 * What a desktop run of the project in `dir` may do with its alerts: asks the first time its
 * alerts need trust (and again whenever they change), remembers the answer; null when the user
 * cancels the run. A spec that does not load needs no answer: the run reports its errors.
 */
export async function alertsPermission(dir: string, trust: WorkspaceTrust, ask: AskTrust): Promise<AlertsPermission | null> {
  const project = await openProject(dir);
  const alerts = project.loaded.spec?.alerts;
  const digest = alertsDigest(alerts);
  const needs = trustNeeds(alerts);
  if (!needs) return { mode: 'trusted', digest };
  const recalled = await trust.recalled(dir, digest);
  if (recalled) return { mode: recalled, digest };
  const answer = await ask(dir.split(/[\\/]/).pop() || dir, needs);
  if (answer === 'cancel') return null;
  const mode = answer === 'trust' ? 'trusted' : 'untrusted';
  await trust.remember(dir, digest, mode);
  return { mode, digest };
}
