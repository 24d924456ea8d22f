import { useEffect, useState, type ReactElement } from 'react';
import type { RecentProject, SampleInfo } from '../host/host';
import { useServices } from '../app/context';
import { openProject } from '../app/documentActions';
import { Icon } from '../ui/icons';
import { setTheme, useUi } from '../store/uiStore';
import { NewProject } from './NewProject';
import { loadMonaco } from '../editors/ExprField';
import { preloadWhenIdle } from '../monaco/useMountTurn';

function ago(iso: string): string {
  const min = Math.round((Date.now() - Date.parse(iso)) / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  return h < 24 ? `${h} h ago` : new Date(iso).toLocaleDateString();
}

/** The first screen: open a folder, a bundled sample, a recent project, or start from a data file. */
export function StartScreen(): ReactElement {
  const { host } = useServices();
  const [samples, setSamples] = useState<readonly SampleInfo[] | undefined>();
  const [recent, setRecent] = useState<readonly RecentProject[]>([]);
  const [error, setError] = useState<string>();
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    host.listSamples().then(setSamples, (e: Error) => setError(e.message));
    host.recentProjects().then(setRecent, () => setRecent([]));
    // the editor's code (most of the app's weight) is parsed while this screen shows, not when a project opens
    preloadWhenIdle(loadMonaco);
  }, [host]);

  return (
    <div className="start" data-testid="start-screen">
      <div className="start-inner">
        <header className="start-hero">
          <div className="start-logo" aria-hidden>
            ▦
          </div>
          <div>
            <h1>Batchbook</h1>
            <p className="muted">Design batch pipelines cell by cell, previewed live on your own sample files — then run the same spec nightly.</p>
          </div>
          <button className="btn icon ghost start-theme" title="Toggle theme" aria-label="Toggle theme" data-testid="toggle-theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
            {theme === 'dark' ? <Icon.sun /> : <Icon.moon />}
          </button>
        </header>

        <div className="start-grid">
          <section className="start-card">
            <h2>Open</h2>
            <button className="btn primary wide" data-testid="open-folder" onClick={() => void openProject(host, () => host.openFolder())}>
              <Icon.folder /> Open a project folder…
            </button>
            <p className="muted small">A folder with a pipeline.yaml and its raw files in data/.</p>
            <h3>Recent</h3>
            {recent.length === 0 ? (
              <p className="muted small empty-note">Projects you open appear here.</p>
            ) : (
              <ul className="start-list" data-testid="recent-list">
                {recent.map((r) => (
                  <li key={r.ref.id}>
                    <button className="start-item" onClick={() => void openProject(host, () => host.openRecent(r.ref.id))} data-testid={`recent-${r.ref.name}`}>
                      {r.ref.kind === 'sample' ? <Icon.graph /> : <Icon.folder />}
                      <span className="start-item-name">{r.ref.name}</span>
                      <span className="muted small">{ago(r.openedAt)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="start-card">
            <h2>New project from a data file</h2>
            <NewProject />
          </section>

          <section className="start-card wide-card">
            <h2>Samples</h2>
            {error && <p className="error-text">{error}</p>}
            {!samples && !error && <p className="muted small">Loading…</p>}
            <ul className="sample-list">
              {samples?.map((s) => (
                <li key={s.id}>
                  {s.generate ? (
                    <div className="sample-card needs-data" data-testid={`sample-${s.id}`} aria-disabled>
                      <span className="sample-title">
                        {s.title} <span className="pill">no data yet</span>
                      </span>
                      <span className="muted small">{s.description || 'A sample project'}</span>
                      <span className="small" data-testid={`sample-generate-${s.id}`}>
                        Its data is generated, not shipped. Make it, then reload: <code className="sample-cmd">{s.generate}</code>
                      </span>
                    </div>
                  ) : (
                    <button className="sample-card" data-testid={`sample-${s.id}`} onClick={() => void openProject(host, () => host.openSample(s.id))}>
                      <span className="sample-title">{s.title}</span>
                      <span className="muted small">{s.description || 'A sample project'}</span>
                      <span className="muted small">
                        {s.files} data file{s.files === 1 ? '' : 's'}
                      </span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        </div>
        <footer className="start-foot muted small">Everything runs on this machine: your files are read locally and nothing is uploaded.</footer>
      </div>
    </div>
  );
}
