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

/** A number for a formula line: six significant digits, no trailing zeros, no exponent for normal sizes. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1e6) return String(Math.round(x));
  return String(Number(x.toPrecision(6)));
}
