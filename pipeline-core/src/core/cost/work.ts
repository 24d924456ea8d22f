/** The work of one run: raw input and the vCPU-hours it takes at a given throughput. */
export interface RunWork {
  readonly input_gb: number;
  /** MiB per vCPU-second */
  readonly throughput: number;
  readonly vcpu_hours: number;
  readonly working: string;
}

/** vCPU-hours = GB × 1024 MiB/GB ÷ (MiB/s per vCPU) ÷ 3600 s/h. */
export function runWork(inputGb: number, mibPerVcpuSecond: number): RunWork {
  const vcpuHours = (inputGb * 1024) / mibPerVcpuSecond / 3600;
  return {
    input_gb: inputGb,
    throughput: mibPerVcpuSecond,
    vcpu_hours: vcpuHours,
    working: `${fmt(inputGb)} GB × 1024 ÷ ${fmt(mibPerVcpuSecond)} MiB/s per vCPU ÷ 3600 = ${fmt(vcpuHours)} vCPU-hours`,
  };
}

/** A share as a percentage with two significant digits below 10 % (0.0043 %, 4.9 %, 75 %). */
export function pctText(x: number): string {
  const p = x * 100;
  if (p === 0) return '0 %';
  if (Math.abs(p) < 0.01) return p > 0 ? '<0.01 %' : '>-0.01 %';
  if (Math.abs(p) >= 10) return `${Math.round(p)} %`;
  return `${Number(p.toPrecision(2))} %`;
}

/** A number for a formula line: six significant digits, no trailing zeros, no exponent for normal sizes. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1e6) return String(Math.round(x));
  if (x !== 0 && Math.abs(x) < 1e-6) return x > 0 ? '<0.000001' : '>-0.000001';
  return String(Number(x.toPrecision(6)));
}
