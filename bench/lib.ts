/** Tiny benchmark harness: interleaved runs of a subject and its same-run baseline, medians and spreads. */
export interface Measurement {
  name: string;
  baseline: string;
  unit: string;
  subjectMedian: number;
  subjectP10: number;
  subjectP90: number;
  baselineMedian: number;
  ratio: number;
  samples: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export async function compare(options: {
  name: string;
  baselineName: string;
  subject: () => unknown | Promise<unknown>;
  baseline: () => unknown | Promise<unknown>;
  samples?: number;
  warmup?: number;
}): Promise<Measurement> {
  const samples = options.samples ?? 30;
  for (let i = 0; i < (options.warmup ?? 5); i++) {
    await options.subject();
    await options.baseline();
  }
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < samples; i++) {
    // Interleave so that machine noise hits both equally.
    let t = performance.now();
    await options.baseline();
    b.push(performance.now() - t);
    t = performance.now();
    await options.subject();
    s.push(performance.now() - t);
  }
  s.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  const subjectMedian = quantile(s, 0.5);
  const baselineMedian = quantile(b, 0.5);
  return {
    name: options.name,
    baseline: options.baselineName,
    unit: "ms",
    subjectMedian: round(subjectMedian),
    subjectP10: round(quantile(s, 0.1)),
    subjectP90: round(quantile(s, 0.9)),
    baselineMedian: round(baselineMedian),
    ratio: round(subjectMedian / baselineMedian),
    samples,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function printTable(rows: Measurement[]) {
  console.log(["benchmark", "median ms", "p10–p90 ms", "baseline", "baseline ms", "ratio"].join(" | "));
  for (const r of rows) {
    console.log(
      [r.name, r.subjectMedian, `${r.subjectP10}–${r.subjectP90}`, r.baseline, r.baselineMedian, `${r.ratio}×`].join(
        " | ",
      ),
    );
  }
}
