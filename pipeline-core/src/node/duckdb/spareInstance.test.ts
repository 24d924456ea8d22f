import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from './nodeEngine.js';
import { createInstance, keepSpareInstance, takeSpareInstance } from './spareInstance.js';

describe('the spare DuckDB instance', () => {
  it('is taken by the next in-memory engine, with that engine’s settings applied', async () => {
    const spare = await createInstance({ threads: '1', memory_limit: '100MB' });
    keepSpareInstance(spare);
    const engine = await NodeDuckdbEngine.open({ threads: 2, memoryLimit: '300MB' });
    try {
      expect(await takeSpareInstance()).toBeUndefined(); // it was taken
      const [s] = await engine.query("SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS mem, current_setting('autoload_known_extensions') AS autoload");
      expect(Number(s?.['threads'])).toBe(2);
      expect(s?.['mem']).toBe('286.1 MiB'); // 300 MB, as DuckDB shows it
      // and it is the spare itself: a table made through the engine is visible through the instance kept
      await engine.exec('CREATE TABLE t AS SELECT 42 AS x');
      const conn = await spare.connect();
      expect((await conn.runAndReadAll('SELECT x FROM t')).getRowObjectsJson()).toEqual([{ x: 42 }]);
      conn.closeSync();
    } finally {
      engine.close();
    }
  });

  it('has settings the engine leaves out reset to DuckDB’s defaults', async () => {
    keepSpareInstance(await createInstance({ threads: '1' }));
    const engine = await NodeDuckdbEngine.open({});
    try {
      const [s] = await engine.query("SELECT current_setting('threads') AS threads");
      expect(Number(s?.['threads'])).toBe(availableParallelism());
    } finally {
      engine.close();
    }
  });
});
