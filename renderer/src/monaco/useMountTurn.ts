import { useEffect, useState, type RefObject } from 'react';

/**
 * Turns for mounting heavy editors. Opening a project used to create every cell's Monaco editor
 * in one go: main-thread tasks of 0.5–1 s that held back the first cell's rows. Now each editor
 * waits for its turn, one per idle moment (or per IDLE_TIMEOUT_MS on a busy page), fields in or
 * near the viewport first; until then its plain-field stand-in shows and works.
 */
interface Turn {
  visible: boolean;
  readonly start: () => void;
  /** Loads what the mount needs (the editor's code chunk), so turns never pile up waiting for it. */
  readonly load: () => Promise<unknown>;
}

const IDLE_TIMEOUT_MS = 300;
const queue: Turn[] = [];
let scheduled = false;

function schedule(): void {
  if (scheduled || queue.length === 0) return;
  scheduled = true;
  const next = () => {
    scheduled = false;
    const i = queue.findIndex((t) => t.visible);
    const [turn] = queue.splice(i >= 0 ? i : 0, 1);
    if (!turn) return;
    scheduled = true;
    void turn.load().then(
      () => {
        scheduled = false;
        turn.start();
        schedule();
      },
      () => {
        scheduled = false;
        turn.start(); // the mount shows the loading error itself
      },
    );
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(next, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(next, 0);
}

/** True once the element's turn has come (then it stays true); `load` is awaited before the turn starts. */
export function useMountTurn(ref: RefObject<Element | null>, load: () => Promise<unknown>): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (ready) return;
    const turn: Turn = { visible: false, start: () => setReady(true), load };
    queue.push(turn);
    let observer: IntersectionObserver | undefined;
    if (ref.current && typeof IntersectionObserver === 'function') {
      observer = new IntersectionObserver((entries) => (turn.visible = entries.some((e) => e.isIntersecting)), { rootMargin: '200px' });
      observer.observe(ref.current);
    }
    schedule();
    return () => {
      observer?.disconnect();
      const i = queue.indexOf(turn);
      if (i >= 0) queue.splice(i, 1);
    };
  }, [ready, ref, load]);
  return ready;
}

/** Loads `load` when the page is next idle (the start screen), so opening a project does not pay for it. */
export function preloadWhenIdle(load: () => Promise<unknown>, timeout = 2000): void {
  const run = () => void load().catch(() => undefined);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout });
  else setTimeout(run, timeout);
}
