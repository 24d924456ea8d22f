import { defineConfig } from 'vitest/config';

// The engines suite starts real engines (DuckDB, local Spark sessions, Beam, dbt): minutes, not seconds.
// Two files run at a time: each file's engine work is one mostly single-threaded Python or JVM
// process (a Spark session on tiny data uses about one core), so two files keep both cores busy
// and halve the suite's wall time. The files share nothing that would collide: each works in its
// own mkdtemp folder, Spark sessions take free ports with the UI off, only sparkConnect starts the
// Connect server, Airflow gets its own AIRFLOW_HOME, and setup-venv.sh is serialised by flock.
export default defineConfig({
  test: {
    include: ['engines/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 30 * 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
