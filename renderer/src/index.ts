export const RENDERER_PLACEHOLDER = true;
