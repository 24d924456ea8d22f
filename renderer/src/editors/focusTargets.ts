/**
 * How to put the keyboard into an editor that is not a plain form field: Monaco takes input
 * through its own hidden element (an EditContext or a textarea, by browser), so focusing a DOM
 * node inside it is unreliable; the editor registers its own `focus()` under its container here.
 */
const targets = new WeakMap<Element, () => void>();

export function registerFocusTarget(container: Element, focus: () => void): () => void {
  targets.set(container, focus);
  return () => targets.delete(container);
}

/** Focuses the first registered editor inside `root`; false when there is none. */
export function focusEditorIn(root: Element): boolean {
  for (const el of root.querySelectorAll('[data-focus-target]')) {
    const focus = targets.get(el);
    if (focus) {
      focus();
      return true;
    }
  }
  return false;
}
