/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

export interface LatencySummary {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  /** Operations per second between the first start and the last finish. */
  throughput: number;
}

interface Sample {
  ms: number;
  ok: boolean;
  startedAt: number;
  endedAt: number;
}

/** Latency samples per operation name, in milliseconds. */
export class Recorder {
  private readonly samples = new Map<string, Sample[]>();

  record(operation: string, startedAt: number, endedAt: number, ok: boolean): void {
    const list = this.samples.get(operation) ?? [];
    list.push({ ms: endedAt - startedAt, ok, startedAt, endedAt });
    this.samples.set(operation, list);
  }

  operations(): string[] {
    return [...this.samples.keys()];
  }

  count(): number {
    return [...this.samples.values()].reduce((sum, list) => sum + list.length, 0);
  }

  errors(): number {
    return [...this.samples.values()].flat().filter((sample) => !sample.ok).length;
  }

  /** The successful samples' latencies (sorted) of every operation, or of one, that started in [from, to) (performance.now()). */
  latenciesBetween(from: number, to: number, operation?: string): number[] {
    const lists = operation === undefined ? [...this.samples.values()] : [this.samples.get(operation) ?? []];
    return lists
      .flat()
      .filter((s) => s.ok && s.startedAt >= from && s.startedAt < to)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
  }

  /** When the first sample started and the last one ended (performance.now()). */
  span(): { from: number; to: number } {
    const all = [...this.samples.values()].flat();
    return { from: Math.min(...all.map((s) => s.startedAt)), to: Math.max(...all.map((s) => s.endedAt)) };
  }

  summary(operation: string): LatencySummary {
    const list = this.samples.get(operation) ?? [];
    const sorted = list.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
    const span = Math.max(...list.map((s) => s.endedAt)) - Math.min(...list.map((s) => s.startedAt));
    return {
      count: list.length,
      errors: list.filter((s) => !s.ok).length,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      throughput: span > 0 ? (list.length / span) * 1000 : Number.NaN,
    };
  }
}
