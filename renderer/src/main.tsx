import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { AppContext } from './app/context';
import { createHost } from './host/createHost';
import { PreviewController } from './preview/previewController';
import './app/theme.css';
import './app/app.css';

const host = createHost();
const preview = new PreviewController(host);
// for the end-to-end tests and the benchmark: read-only handles on the running app
(window as unknown as { __batchbook?: unknown }).__batchbook = { preview, host };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext.Provider value={{ host, preview }}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
