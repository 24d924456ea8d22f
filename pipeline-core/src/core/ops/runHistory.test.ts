import { describe, expect, it } from 'vitest';
import { collectRunHistory, parseRunIndexLine, rawFingerprintText, unfinishedRunEntry, type RunLakeReader } from './runHistory.js';
import { parseRunReport, type RunReport } from './runReport.js';

const line = (run_id: string, started_at: string, pipeline = 'p', status = 'succeeded') => JSON.stringify({ run_id, pipeline, params: { run_date: started_at.slice(0, 10) }, status, started_at });

function report(run_id: string, started_at: string): RunReport {
  return {
    report_version: 1,
    run_id,
    pipeline: 'p',
    spec_sha256: 'abc',
    params: { run_date: '2026-11-25' },
    replay: false,
    status: 'failed',
    exit_code: 3,
    published: false,
    started_at,
    finished_at: started_at,
    duration_ms: 1200,
    bytes_read: 10,
    bytes_written: 0,
    landed: [{ source: 'orders', files: [{ path: 'raw/orders/2026-11-25/pos/a.csv', sha256: 'f1', bytes: 10, status: 'landed' }] }],
    stages: [{ name: 'raw', kind: 'ingest', rows_in: 4, rows_out: 3, rejected: 1, filtered: 0, ms: 5 }],
    rules: [
      { stage: 'v', name: 'r1', rule: 'unique', severity: 'error', action: 'fail', status: 'fail', failing: 2, samples: [] },
      { stage: 'v', name: 'r2', rule: 'not_null', severity: 'warn', action: 'warn', status: 'fail', failing: 1, samples: [] },
    ],
    outputs: [],
    rejects: [],
  } as unknown as RunReport;
}

function memoryLake(files: Record<string, string>, running: readonly string[] = []): RunLakeReader & { fingerprints: string[] } {
  const fingerprints: string[] = [];
  return {
    fingerprints,
    indexLines: () => (files['index.jsonl'] ?? '').split('\n'),
    runFolders: async () => [...new Set(Object.keys(files).filter((f) => f.includes('/')).map((f) => f.split('/')[0]!))],
    readRunFile: async (id, file) => files[`${id}/${file}`],
    isRunning: async (id) => running.includes(id),
    rawFingerprint: (raw) => {
      fingerprints.push(rawFingerprintText(raw));
      return 'sha-of-raw';
    },
  };
}

describe('reading a lake’s run history', () => {
  it('takes the index first, then run folders it misses: reports, and logs of runs killed or still going', async () => {
    const lake = memoryLake(
      {
        'index.jsonl': [line('20261124T010000Z-aaaaaa', '2026-11-24T01:00:00Z'), '{"run_id": "20261125T0', line('20261124T010000Z-aaaaaa', '2026-11-24T01:00:00Z', 'p', 'error'), line('20261123T010000Z-cccccc', '2026-11-23T01:00:00Z', 'other'), ''].join('\n'),
        '20261124T010000Z-aaaaaa/report.json': '{}',
        '20261125T010000Z-bbbbbb/report.json': JSON.stringify(report('20261125T010000Z-bbbbbb', '2026-11-25T01:00:00Z')),
        '20261126T010000Z-dddddd/log.jsonl': `${JSON.stringify({ time: '2026-11-26T01:00:00Z', pipeline: 'p', params: { run_date: '2026-11-26' } })}\n{"event":"stage_start"}\n`,
        '20261127T010000Z-eeeeee/log.jsonl': `${JSON.stringify({ time: '2026-11-27T01:00:00Z', pipeline: 'p', params: {} })}\n`,
        'not-a-run/report.json': JSON.stringify(report('not-a-run', '2026-11-20T00:00:00Z')),
      },
      ['20261127T010000Z-eeeeee'],
    );
    const all = await collectRunHistory(lake);
    expect(all.map((e) => [e.run_id, e.status])).toEqual([
      ['20261123T010000Z-cccccc', 'succeeded'],
      ['20261124T010000Z-aaaaaa', 'succeeded'], // the first line for a run wins; a cut line is skipped
      ['20261125T010000Z-bbbbbb', 'failed'],
      ['20261126T010000Z-dddddd', 'incomplete'],
      ['20261127T010000Z-eeeeee', 'running'],
    ]);
    const fromReport = all[2]!;
    expect(fromReport).toMatchObject({ exit_code: 3, duration_ms: 1200, raw_sha256: 'sha-of-raw', rule_failures: 2, rule_failures_error: 1, rows_in: 0 });
    expect(lake.fingerprints).toEqual(['orders\tpos/a.csv\tf1']);
    expect(all[3]).toMatchObject({ params: { run_date: '2026-11-26' }, started_at: '2026-11-26T01:00:00Z', exit_code: null, duration_ms: null });
    expect((await collectRunHistory(lake, { pipeline: 'other' })).map((e) => e.run_id)).toEqual(['20261123T010000Z-cccccc']);
  });

  it('reads a run killed between its commit and copying its report out from the commit', async () => {
    const killed = '20261128T010000Z-ffffff';
    const log = `${JSON.stringify({ time: '2026-11-28T01:00:00Z', pipeline: 'p', params: {} })}\n`;
    const lake = memoryLake({ [`${killed}/log.jsonl`]: log, '20261129T010000Z-999999/log.jsonl': log });
    lake.committedReport = async () => JSON.stringify(report(killed, '2026-11-28T01:00:00Z'));
    expect((await collectRunHistory(lake)).map((e) => [e.run_id, e.status, e.exit_code])).toEqual([
      [killed, 'failed', 3], // the commit's report
      ['20261129T010000Z-999999', 'incomplete', null], // not the commit's run: killed before committing
    ]);
  });

  it('is empty for a lake without runs', async () => {
    expect(await collectRunHistory(memoryLake({}))).toEqual([]);
  });

  it('refuses what is not an index line, a report or a run log', () => {
    expect(parseRunIndexLine('   ')).toBeUndefined();
    expect(parseRunIndexLine('[1,2]')).toBeUndefined();
    expect(parseRunReport('{"run_id": "x"}')).toBeUndefined();
    expect(parseRunReport('not json')).toBeUndefined();
    expect(parseRunReport(JSON.stringify(report('x', '')))?.run_id).toBe('x');
    expect(unfinishedRunEntry('x', '{"event":"run_start"}', false)).toBeUndefined();
    expect(unfinishedRunEntry('x', '', false)).toBeUndefined();
  });

  it('fingerprints raw files the same in any order', () => {
    const a = { source: 's', path: 'a.csv', sha256: '1' };
    const b = { source: 's', path: 'b.csv', sha256: '2' };
    expect(rawFingerprintText([b, a])).toBe(rawFingerprintText([a, b]));
    expect(rawFingerprintText([a, b])).toBe('s\ta.csv\t1\ns\tb.csv\t2');
  });
});
