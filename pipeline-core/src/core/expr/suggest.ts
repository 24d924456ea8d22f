import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `name`, when it is close enough to be a plausible typo: at most a
 * third of the name's length in edits (and at least one edit allowed). Ties go to the earlier
 * candidate, so suggestions are stable.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** "a, b, c and 4 more", for hints that list what exists. */
export function listNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
