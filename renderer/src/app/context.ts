import { createContext, useContext } from 'react';
import type { Host } from '../host/host';
import type { PreviewController } from '../preview/previewController';

export interface AppServices {
  readonly host: Host;
  readonly preview: PreviewController;
}

export const AppContext = createContext<AppServices | undefined>(undefined);

export function useServices(): AppServices {
  const s = useContext(AppContext);
  if (!s) throw new Error('AppContext is missing');
  return s;
}
