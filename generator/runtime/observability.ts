/**
 * Logger, metrics and tracer of one Lambda function, from Powertools for AWS Lambda, and the
 * invocation scaffolding every generated wrapper shares: Lambda context in every log line, the cold
 * start annotated, a subsegment around the handler, metrics flushed when the invocation ends.
 *
 * Powertools' own `injectLambdaContext`/`logMetrics`/`captureLambdaHandler` need middy or class
 * decorators; generated wrappers are plain functions, so this does the same steps by hand.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

export interface ObservabilityOptions {
  /** Default service name; `POWERTOOLS_SERVICE_NAME` overrides it. */
  readonly serviceName: string;
  /** Default metrics namespace; `POWERTOOLS_METRICS_NAMESPACE` overrides it. */
  readonly namespace: string;
}

/** One set per function (module scope), so clients and buffers survive warm invocations. */
export function createObservability(options: ObservabilityOptions): Observability {
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? options.serviceName;
  const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE ?? options.namespace;
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace }),
    tracer: new Tracer({ serviceName }),
  };
}

/** Counts one outcome of one event type: its own EMF record, so the `eventType` dimension is exact. */
export function countEvents(metrics: Metrics, name: string, eventType: string, count = 1): void {
  if (count <= 0) return;
  const single = metrics.singleMetric();
  single.addDimension('eventType', eventType);
  single.addMetric(name, MetricUnit.Count, count);
}

/**
 * Runs one invocation: Lambda context on the logger, a traced subsegment, the cold-start metric,
 * and the stored metrics published even when the handler throws.
 */
export async function observeInvocation<T>(
  observability: Observability,
  context: Context | undefined,
  run: () => Promise<T>,
): Promise<T> {
  const { logger, metrics, tracer } = observability;
  if (context) logger.addContext(context);
  metrics.captureColdStartMetric(context?.functionName);
  const handlerName = process.env._HANDLER ?? 'handler';
  const segment = tracer.getSegment();
  const subsegment = segment?.addNewSubsegment(`## ${handlerName}`);
  if (subsegment) tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    return await run();
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment?.close();
    if (segment) tracer.setSegment(segment);
    // Publishing an empty buffer only logs a warning; per-event counts are already out (singleMetric).
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.resetKeys();
  }
}
