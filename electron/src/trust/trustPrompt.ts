import type { TrustNeeds } from './alertsTrust.js';
import type { TrustAnswer } from './workspaceTrust.js';

/** The buttons, in the order the dialog shows them; the safe choice is the default. */
export const TRUST_BUTTONS: readonly { readonly label: string; readonly answer: TrustAnswer }[] = [
  { label: 'Trust and Run', answer: 'trust' },
  { label: 'Run Without These Alerts', answer: 'without' },
  { label: 'Cancel', answer: 'cancel' },
];
export const TRUST_DEFAULT = 1;
export const TRUST_CANCEL = 2;

/** Quotes an argument the way a shell user would read it (the runner itself uses no shell). */
function shown(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The question, in words: exactly what would run and which variables would leave the machine. */
export function trustPrompt(folderName: string, needs: TrustNeeds): { message: string; detail: string } {
  const acts: string[] = [];
  if (needs.command) acts.push(`• run this program on your computer, with your files and environment:\n    ${needs.command.map(shown).join(' ')}`);
  if (needs.envVars.length) {
    const where = needs.webhookHost ? `to ${needs.webhookHost}` : 'to a web address built from them';
    acts.push(`• send the values of your environment variables ${needs.envVars.map((v) => `$${v}`).join(', ')} ${where}`);
  }
  return {
    message: `Trust the alerts of “${folderName}”?`,
    detail: [
      `When a run ends, this project's pipeline.yaml (alerts:) would:`,
      ...acts,
      '',
      'Trust it only if you wrote this project or trust whoever did. Without trust, the run goes ahead and only these alerts are left out.',
      'Batchbook remembers your answer for this folder until its alerts section changes.',
    ].join('\n'),
  };
}
