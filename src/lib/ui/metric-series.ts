/**
 * Lines for the metric charts: several curves measured at different steps laid on one shared
 * x axis, as uPlot wants them (one x array, one y array per series, gaps as null).
 */
import type { MetricPoint } from '$lib/registry/types';

export interface MetricSeries {
  label: string;
  points: MetricPoint[];
}

export type AlignedSeries = [number[], ...(number | null)[][]];

/** Every step any series has, ascending; each series' value there, or null. */
export function alignSeries(series: MetricSeries[]): AlignedSeries {
  const steps = [...new Set(series.flatMap((s) => s.points.map((point) => point.step)))].sort(
    (a, b) => a - b,
  );
  const position = new Map(steps.map((step, index) => [step, index]));

  const columns = series.map((s) => {
    const column: (number | null)[] = new Array(steps.length).fill(null);
    // Points arrive in step order; a repeated step keeps its latest measurement.
    for (const point of s.points) column[position.get(point.step)!] = point.value;
    return column;
  });

  return [steps, ...columns];
}

/** Colours for series that read on both the light and the dark background. */
export function seriesColours(dark: boolean): string[] {
  return dark
    ? ['#6cc0d6', '#f3a65a', '#b59cf0', '#74d39c']
    : ['#1b6479', '#c4661f', '#6a4fb5', '#23804b'];
}
