import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/sql/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

/**
 * Monaco, bundled with the app: only the editor core, its features and the SQL language; its
 * worker is ours. `loader.config` stops @monaco-editor/react from fetching Monaco from a CDN.
 */
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });

export { monaco };
