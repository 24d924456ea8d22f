import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** One WCAG 2.1 AA problem axe-core found: rule, impact and where (CSS targets of the first nodes). */
export interface AxeProblem {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly nodes: readonly string[];
}

/** The WCAG 2.1 AA rules whose outcome depends on colours: all a theme can change. */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * Runs axe-core (offline, injected into the page) with the WCAG 2.0/2.1 A and AA rules and returns
 * the critical and serious violations, each with a few of its nodes so a failure says where.
 * `within` limits the check to one part of the page (a panel or dialog opened over a screen
 * already checked whole): axe over the full notebook takes tens of seconds on a busy machine.
 * `coloursOnly` runs only the colour rules (for a second theme of a screen checked whole).
 */
export async function axeProblems(page: Page, within?: string, coloursOnly = false): Promise<AxeProblem[]> {
  const builder = coloursOnly ? new AxeBuilder({ page }).withRules(COLOUR_RULES) : new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const result = await (within ? builder.include(within) : builder).analyze();
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => ({ rule: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`) }));
}
