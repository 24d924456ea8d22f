// Electron's runner utility process, in plain Node for the desktop tests: Electron gives a utility
// process `process.parentPort` (messages arrive as { data }); a forked Node child has
// process.send / 'message' instead. This adapts one to the other, then loads the real runner child.
process.parentPort = {
  on: (_event, listener) => process.on('message', (data) => listener({ data })),
  postMessage: (message) => process.send(message),
};
await import(new URL('../../../electron/dist/runner/runnerChild.js', import.meta.url).href);
