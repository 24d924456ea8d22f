// Runs before any module: zod reads this when its schemas are defined, and so never probes
// `new Function` (the desktop app's content security policy forbids eval; see src/noEval.ts).
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
