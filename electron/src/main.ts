export const ELECTRON_PLACEHOLDER = true;
