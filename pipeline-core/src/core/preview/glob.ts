/**
 * Source paths are globs relative to the project's inbox (`pos/orders_*.csv`). The runner asks the
 * file system; the designer has a list of the project's files, and matches it with these.
 * Supported: `*` and `?` within one path segment, `**` across segments, `{a,b}` alternatives and
 * `[abc]` classes — what tinyglobby (the runner's matcher) does with such patterns.
 */
function segmentToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else if (ch === '{') {
      const end = glob.indexOf('}', i + 1);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, end).split(',').map(segmentToRegex).join('|')})`;
        i = end;
      }
    } else out += ch.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  return out;
}

export function globToRegExp(glob: string): RegExp {
  const parts = glob.split('/');
  let re = '';
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === '**') re += last ? '.*' : '(?:[^/]+/)*';
    else re += segmentToRegex(part) + (last ? '' : '/');
  });
  return new RegExp(`^${re}$`);
}

/** The files (paths relative to the inbox, '/'-separated) a source path matches, sorted as the runner sorts them. */
export function matchFiles(glob: string, files: readonly string[]): string[] {
  const re = globToRegExp(glob);
  return files.filter((f) => re.test(f)).sort();
}
