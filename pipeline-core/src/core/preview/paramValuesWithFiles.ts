import { substitutePath, type ParamValues } from '../spec/params.js';
import { globToRegExp } from './glob.js';

const MARK = 'BBPARAMVALUEBB';

/**
 * The values of a parameter (run_date, say) for which a source's path template matches files in
 * the inbox — what a user whose run date has no files can switch to. `template` is the source's
 * path with its {params}; the other parameters keep their `values`. Sorted; empty when the
 * template does not use the parameter.
 */
export function paramValuesWithFiles(template: string, param: string, values: ParamValues, inbox: readonly string[]): string[] {
  if (!template.includes(`{${param}}`)) return [];
  const glob = substitutePath(template, { ...values, [param]: MARK });
  const re = new RegExp(globToRegExp(glob).source.split(MARK).join('([^/]+?)'));
  const found = new Set<string>();
  for (const f of inbox) {
    const m = re.exec(f);
    if (m?.[1] !== undefined) found.add(m[1]);
  }
  return [...found].sort();
}
