/**
 * Zod compiles fast parsers with `new Function` when it may; the desktop app's content security
 * policy forbids eval, and even zod's probe for it is reported as a violation. Zod reads its
 * global configuration when schemas are defined, so this must run before zod loads: the page
 * sets it in public/no-eval.js (a classic script ahead of the modules); the preview worker,
 * one bundle, imports this module first.
 */
const g = globalThis as { __zod_globalConfig?: Record<string, unknown> };
g.__zod_globalConfig = Object.assign(g.__zod_globalConfig ?? {}, { jitless: true });
