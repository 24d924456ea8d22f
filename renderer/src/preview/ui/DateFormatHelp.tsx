import { useEffect, useState, type ReactElement } from 'react';
import { FORMAT_CODES, type FormatSuggestion, type SpecPath } from '@batchbook/pipeline-core';
import { useServices } from '../../app/context';
import { useDoc } from '../../store/docStore';
import { usePreview } from '../../store/previewStore';

const MAX_SHOWN = 4;

/** The stage a cleanse step at `path` reads from (the step's column is looked up in its rows). */
function useInputStage(path: SpecPath): string | undefined {
  return useDoc((s) => {
    const stage = typeof path[1] === 'number' ? s.input?.stages[path[1]] : undefined;
    return stage && 'input' in stage && typeof stage.input === 'string' ? stage.input : undefined;
  });
}

/** Which formats read the column's previewed values, and how many each; recounted when the input's rows change. */
function useSuggestions(stage: string | undefined, column: string, formats: readonly string[]): readonly FormatSuggestion[] | undefined {
  const { preview } = useServices();
  const generation = usePreview((s) => (stage ? (s.generation[stage] ?? 0) : 0));
  const [found, setFound] = useState<readonly FormatSuggestion[]>();
  const own = formats.join('\u0000');
  useEffect(() => {
    if (!stage || !column) return setFound(undefined);
    let live = true;
    preview.client.dateFormats(stage, column, own.split('\u0000')).then(
      (s) => live && setFound(s),
      () => live && setFound(undefined),
    );
    return () => {
      live = false;
    };
  }, [preview, stage, column, own, generation]);
  return found;
}

/**
 * Under a parse_date step's formats: how many of the column's sample values its formats read,
 * formats that read more (one click to use), and the format codes with examples.
 */
export function DateFormatHelp({ path, column, formats, onUse, testId }: { path: SpecPath; column: string; formats: readonly string[]; onUse: (formats: string[]) => void; testId: string }): ReactElement {
  const found = useSuggestions(useInputStage(path), column, formats);
  const reads = (f: string) => found?.find((s) => s.format === f)?.parses ?? 0;
  const best = Math.max(0, ...formats.map(reads));
  const of = found?.[0]?.of ?? 0;
  const better = (found ?? []).filter((s) => !formats.includes(s.format) && s.parses > best).slice(0, MAX_SHOWN);
  return (
    <div className="date-format-help small" data-testid={`${testId}-format-help`}>
      {found && of > 0 && (
        <p className="muted" data-testid={`${testId}-format-reads`}>
          {formats.map((f) => `${f} reads ${reads(f).toLocaleString()} of ${of.toLocaleString()}`).join('; ')} previewed values
        </p>
      )}
      {better.length > 0 && (
        <ul className="format-suggestions" aria-label="Formats that read more of this column">
          {better.map((s, i) => (
            <li key={s.format}>
              <button className="btn small" data-testid={`${testId}-format-suggestion-${i}`} onClick={() => onUse(best === 0 ? [s.format] : [...formats, s.format])}>
                Use <code>{s.format}</code>
              </button>{' '}
              <span className="muted">
                reads {s.parses.toLocaleString()} of {s.of.toLocaleString()}
              </span>
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>Format codes</summary>
        <table className="format-codes">
          <tbody>
            {FORMAT_CODES.map((c) => (
              <tr key={c.code}>
                <td className="mono">{c.code}</td>
                <td>{c.meaning}</td>
                <td className="mono muted">{c.example}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">“Jun 12 1998” is %b %d %Y; “2026-11-24T10:00:00+01:00” is %Y-%m-%dT%H:%M:%S%z.</p>
      </details>
    </div>
  );
}
