/**
 * Sums of CloudWatch metrics over a time window, many at once (`GetMetricData`, up to 500 queries a
 * call, paged). Counts only: the statistic is `Sum` at one-minute periods, and the window is widened
 * to whole minutes, since AWS services publish their metrics per minute.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';

export interface MetricKey {
  readonly namespace: string;
  readonly metricName: string;
  /** The exact dimension set the metric is published with. */
  readonly dimensions: Readonly<Record<string, string>>;
}

const minute = 60_000;
const queriesPerCall = 500;

/** The sum of each metric between `start` and `end` (0 for a metric with no data points). */
export async function sumMetrics(
  cloudWatch: CloudWatchClient,
  keys: readonly MetricKey[],
  window: { readonly start: number; readonly end: number },
): Promise<number[]> {
  const sums = keys.map(() => 0);
  const StartTime = new Date(Math.floor(window.start / minute) * minute);
  const EndTime = new Date(Math.ceil(Math.max(window.end, window.start + 1) / minute) * minute);
  for (let offset = 0; offset < keys.length; offset += queriesPerCall) {
    const queries: MetricDataQuery[] = keys.slice(offset, offset + queriesPerCall).map((key, i) => ({
      Id: `m${offset + i}`,
      MetricStat: {
        Metric: {
          Namespace: key.namespace,
          MetricName: key.metricName,
          Dimensions: Object.entries(key.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: 60,
        Stat: 'Sum',
      },
      ReturnData: true,
    }));
    let NextToken: string | undefined;
    do {
      const page = await cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime,
          EndTime,
          ...(NextToken ? { NextToken } : {}),
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        const index = Number(result.Id?.slice(1));
        if (!Number.isInteger(index) || index < 0 || index >= sums.length) continue;
        sums[index] = (sums[index] ?? 0) + (result.Values ?? []).reduce((sum, v) => sum + v, 0);
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return sums;
}
