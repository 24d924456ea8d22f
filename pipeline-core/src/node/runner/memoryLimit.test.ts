import { describe, expect, it } from 'vitest';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { duckdbMemoryLimit, duckdbThreads, explainOutOfMemory, parseMemorySize } from './memoryLimit.js';

describe('--memory-limit', () => {
  it('reads sizes the way DuckDB does (KB = 1000, KiB = 1024) and refuses others by name', () => {
    expect(parseMemorySize('512MB')).toBe(512_000_000);
    expect(parseMemorySize('2GB')).toBe(2_000_000_000);
    expect(parseMemorySize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(() => parseMemorySize('lots')).toThrow("--memory-limit 'lots' is not a size: write e.g. 512MB, 2GB or 1.5GiB");
    expect(() => parseMemorySize('5 parsecs')).toThrow(/--memory-limit '5 parsecs' is not a size/);
  });

  it('leaves DuckDB well below the process limit, for Node and the buffers outside its pool', () => {
    for (const limit of ['512MB', '2GB', '8GB']) {
      const duck = parseMemorySize(duckdbMemoryLimit(limit));
      const total = parseMemorySize(limit);
      expect(duck).toBeGreaterThan(total * 0.3);
      // at least 160 MB and 40 % of the rest stay outside DuckDB's pool
      expect(duck).toBeLessThanOrEqual((total - 160e6) * 0.6);
    }
    expect(() => duckdbMemoryLimit('100MB')).toThrow(/--memory-limit 100MB is too small: the runner needs at least 256MB/);
  });

  it('runs a small limit on fewer threads: at least 256 MB of DuckDB memory per thread', () => {
    expect(duckdbThreads('512MB', 8)).toBe(1); // DuckDB gets under 256 MB
    expect(duckdbThreads('2GB', 8)).toBe(Math.floor(parseMemorySize(duckdbMemoryLimit('2GB')) / 256e6));
    expect(duckdbThreads('64GB', 8)).toBe(8);
  });

  it("names the option and the stage in DuckDB's real out-of-memory error", async () => {
    const engine = await NodeDuckdbEngine.open({ memoryLimit: '8MB', threads: 1 });
    let message = '';
    try {
      await engine.query('SELECT list(i) FROM range(3000000) t(i)');
    } catch (e) {
      message = (e as Error).message.split('\n')[0]!;
    } finally {
      engine.close();
    }
    expect(message).toMatch(/^Out of Memory Error/);
    const explained = explainOutOfMemory(message, '512MB', 'store_day');
    expect(explained).toMatch(/^stage 'store_day' ran out of memory within --memory-limit 512MB \(DuckDB may use \d+MB of it/);
    expect(explained).toContain(message);
    expect(explainOutOfMemory('Binder Error: column x not found', '512MB', 'store_day')).toBeUndefined();
  });
});
