/**
 * The event side of the plan: EventBridge rules with their exact patterns and targets, Lambda's
 * event source mappings (SQS queues, DynamoDB streams) and asynchronous invocation settings. These
 * decide what runs when, so every setting that changes delivery (batch sizes, partial batch
 * responses, filters, retries, dead-letter queues) is carried over with Lambda's defaults.
 */
import { derivedName, ruleNameLimit } from './names.js';
import type {
  DevAsyncInvokeConfig,
  DevBus,
  DevQueueSource,
  DevRule,
  DevRuleTarget,
  DevStreamSource,
  TemplateValue,
} from './plan.js';
import type { PlanScope } from './plan-scope.js';
import {
  literalBoolean,
  literalList,
  literalMap,
  literalNumber,
  literalString,
  referenceOf,
  show,
  type TemplateMap,
} from './template.js';

/** Rules with an event pattern (scheduled rules are not emulated: see `ignoredTypes`). */
export function planRules(scope: PlanScope, buses: readonly DevBus[]): DevRule[] {
  const busNames = new Map(buses.map((b) => [b.busName, b.logicalId]));
  const rules: DevRule[] = [];
  for (const [id, resource] of scope.ofType('AWS::Events::Rule')) {
    const props = resource.Properties ?? {};
    const where = `${id} (AWS::Events::Rule)`;
    const pattern = props.EventPattern;
    if (pattern === undefined) continue;
    const state = literalString(props.State, `${where} State`) ?? 'ENABLED';
    rules.push({
      logicalId: id,
      ruleName:
        props.Name === undefined
          ? derivedName(scope.stackName, id, ruleNameLimit)
          : scope.known(props.Name, `${where} Name`),
      bus: scope.busOf(props.EventBusName, `${where} EventBusName`, busNames),
      // Exactly the template's pattern (key order kept); intrinsics in it are resolved by provisioning.
      eventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern),
      enabled: state !== 'DISABLED',
      targets: literalList(props.Targets, `${where} Targets`)
        .map((t, i) => ({ target: literalMap(t, `${where} Targets[${i}]`), at: `${where} Targets[${i}]` }))
        // A bus of another account (a producer's forwarding rule): one emulator is one account.
        .filter(({ target }) => !isForeignBus(target.Arn))
        .map(({ target, at }) => planTarget(scope, target, at)),
    });
  }
  return rules;
}

/** An event bus ARN as a rule target: a forwarding rule to another account's bus. */
export function isForeignBus(arn: unknown): boolean {
  return typeof arn === 'string' && arn.includes(':event-bus/');
}

function planTarget(scope: PlanScope, target: TemplateMap, where: string): DevRuleTarget {
  const id = literalString(target.Id, `${where}.Id`);
  if (id === undefined) throw new Error(`${where}.Id: missing`);
  const arn = referenceOf(target.Arn);
  const type = arn ? scope.template.Resources[arn.id]?.Type : undefined;
  let kind: DevRuleTarget['kind'];
  let resource: string;
  if (type === 'AWS::SQS::Queue') {
    kind = 'queue';
    resource = scope.queueOf(target.Arn, `${where}.Arn`);
  } else if (type === 'AWS::Lambda::Function') {
    kind = 'function';
    resource = scope.functionOf(target.Arn, `${where}.Arn`);
  } else {
    throw scope.unknown(target.Arn, `${where}.Arn`, 'an SQS queue or Lambda function of this template');
  }
  const deadLetter = literalMap(target.DeadLetterConfig, `${where}.DeadLetterConfig`).Arn;
  const retry = literalMap(target.RetryPolicy, `${where}.RetryPolicy`);
  const maximumRetryAttempts = literalNumber(retry.MaximumRetryAttempts, `${where}.RetryPolicy`);
  const maximumEventAgeInSeconds = literalNumber(retry.MaximumEventAgeInSeconds, `${where}.RetryPolicy`);
  const messageGroupId = literalMap(target.SqsParameters, `${where}.SqsParameters`).MessageGroupId;
  const transformer = literalMap(target.InputTransformer, `${where}.InputTransformer`);
  const input = target.Input;
  return {
    id,
    kind,
    resource,
    ...(deadLetter === undefined
      ? {}
      : { deadLetterQueue: scope.queueOf(deadLetter, `${where}.DeadLetterConfig.Arn`) }),
    ...(target.RetryPolicy === undefined
      ? {}
      : {
          retryPolicy: {
            ...(maximumRetryAttempts === undefined ? {} : { maximumRetryAttempts }),
            ...(maximumEventAgeInSeconds === undefined ? {} : { maximumEventAgeInSeconds }),
          },
        }),
    ...(messageGroupId === undefined
      ? {}
      : { messageGroupId: scope.known(messageGroupId, `${where}.SqsParameters.MessageGroupId`) }),
    ...(target.InputPath === undefined
      ? {}
      : { inputPath: scope.known(target.InputPath, `${where}.InputPath`) }),
    ...(input === undefined ? {} : { input: typeof input === 'string' ? input : JSON.stringify(input) }),
    ...(target.InputTransformer === undefined
      ? {}
      : { inputTransformer: planTransformer(scope, transformer, where) }),
  };
}

function planTransformer(
  scope: PlanScope,
  transformer: TemplateMap,
  where: string,
): NonNullable<DevRuleTarget['inputTransformer']> {
  const template = transformer.InputTemplate;
  if (template === undefined) throw new Error(`${where}.InputTransformer.InputTemplate: missing`);
  const paths = literalMap(transformer.InputPathsMap, `${where}.InputTransformer.InputPathsMap`);
  const inputPathsMap = Object.fromEntries(
    Object.entries(paths).map(([key, path]) => [
      key,
      scope.known(path, `${where}.InputTransformer.InputPathsMap`),
    ]),
  );
  return {
    inputTemplate: scope.known(template, `${where}.InputTransformer.InputTemplate`),
    ...(transformer.InputPathsMap === undefined ? {} : { inputPathsMap }),
  };
}

/** Enabled event source mappings: SQS queues and DynamoDB streams of the template. */
export function planEventSources(scope: PlanScope): {
  queueSources: DevQueueSource[];
  streamSources: DevStreamSource[];
} {
  const queueSources: DevQueueSource[] = [];
  const streamSources: DevStreamSource[] = [];
  for (const [id, resource] of scope.ofType('AWS::Lambda::EventSourceMapping')) {
    const props = resource.Properties ?? {};
    const where = `${id} (AWS::Lambda::EventSourceMapping)`;
    if (literalBoolean(props.Enabled, `${where} Enabled`) === false) continue;
    const fn = scope.functionOf(props.FunctionName, `${where} FunctionName`);
    const filterPatterns = literalList(
      literalMap(props.FilterCriteria, `${where} FilterCriteria`).Filters,
      `${where} FilterCriteria.Filters`,
    ).map((f, i) => {
      const pattern = literalMap(f, `${where} FilterCriteria.Filters[${i}]`).Pattern;
      return typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
    });
    const responseTypes = literalList(props.FunctionResponseTypes, `${where} FunctionResponseTypes`);
    const reportBatchItemFailures = responseTypes.includes('ReportBatchItemFailures');
    const batchingWindow = literalNumber(
      props.MaximumBatchingWindowInSeconds,
      `${where} MaximumBatchingWindowInSeconds`,
    );
    const table = scope.tableStreamOf(props.EventSourceArn);
    if (table !== undefined) {
      streamSources.push({
        logicalId: id,
        function: fn,
        table,
        batchSize: literalNumber(props.BatchSize, `${where} BatchSize`) ?? 100,
        startingPosition: startingPosition(props.StartingPosition, where),
        bisectBatchOnFunctionError: literalBoolean(props.BisectBatchOnFunctionError, where) ?? false,
        reportBatchItemFailures,
        filterPatterns,
        ...optionalLimit('maximumRetryAttempts', props.MaximumRetryAttempts, `${where} MaximumRetryAttempts`),
        ...optionalLimit(
          'maximumRecordAgeInSeconds',
          props.MaximumRecordAgeInSeconds,
          `${where} MaximumRecordAgeInSeconds`,
        ),
        ...onFailure(scope, props.DestinationConfig, where),
        ...(batchingWindow === undefined ? {} : { maximumBatchingWindowSeconds: batchingWindow }),
      });
      continue;
    }
    const queue = scope.queueOf(
      props.EventSourceArn,
      `${where} EventSourceArn (evtgen dev runs SQS queue and DynamoDB stream sources)`,
    );
    const concurrency = literalNumber(
      literalMap(props.ScalingConfig, `${where} ScalingConfig`).MaximumConcurrency,
      `${where} ScalingConfig.MaximumConcurrency`,
    );
    queueSources.push({
      logicalId: id,
      function: fn,
      queue,
      batchSize: literalNumber(props.BatchSize, `${where} BatchSize`) ?? 10,
      maximumBatchingWindowSeconds: batchingWindow ?? 0,
      ...(concurrency === undefined ? {} : { maximumConcurrency: concurrency }),
      reportBatchItemFailures,
      ...(filterPatterns.length > 0 ? { filterPatterns } : {}),
    });
  }
  return { queueSources, streamSources };
}

function startingPosition(
  value: TemplateValue | undefined,
  where: string,
): DevStreamSource['startingPosition'] {
  const position = literalString(value, `${where} StartingPosition`) ?? 'TRIM_HORIZON';
  if (position === 'TRIM_HORIZON' || position === 'LATEST') return position;
  throw new Error(
    `${where} StartingPosition: evtgen dev reads from TRIM_HORIZON or LATEST, found ${show(position)}`,
  );
}

/** `-1` is Lambda's "no limit": the same as leaving the setting out. */
function optionalLimit<K extends string>(
  key: K,
  value: TemplateValue | undefined,
  where: string,
): { [P in K]?: number } {
  const limit = literalNumber(value, where);
  return limit === undefined || limit === -1 ? {} : ({ [key]: limit } as { [P in K]?: number });
}

function onFailure(
  scope: PlanScope,
  config: TemplateValue | undefined,
  where: string,
): { onFailureQueue?: string } {
  const destination = literalMap(
    literalMap(config, `${where} DestinationConfig`).OnFailure,
    `${where} DestinationConfig.OnFailure`,
  ).Destination;
  if (destination === undefined) return {};
  return { onFailureQueue: scope.queueOf(destination, `${where} DestinationConfig.OnFailure.Destination`) };
}

/**
 * Lambda's asynchronous invocation settings (defaults: 2 retries, 6 hours). A setting for a function
 * evtgen dev does not run (no `evtgen:function` metadata) is left out: nothing here invokes it.
 */
export function planAsyncInvokeConfigs(scope: PlanScope): DevAsyncInvokeConfig[] {
  const configs: DevAsyncInvokeConfig[] = [];
  for (const [id, resource] of scope.ofType('AWS::Lambda::EventInvokeConfig')) {
    const props = resource.Properties ?? {};
    const where = `${id} (AWS::Lambda::EventInvokeConfig)`;
    const fnId = scope.functionIdOf(props.FunctionName);
    if (fnId === undefined)
      throw scope.unknown(props.FunctionName, `${where} FunctionName`, 'a Lambda function of this template');
    if (!scope.functions.has(fnId)) continue;
    const destinations = literalMap(props.DestinationConfig, `${where} DestinationConfig`);
    const onSuccess = literalMap(destinations.OnSuccess, `${where} DestinationConfig.OnSuccess`).Destination;
    configs.push({
      function: fnId,
      maximumRetryAttempts: literalNumber(props.MaximumRetryAttempts, `${where} MaximumRetryAttempts`) ?? 2,
      maximumEventAgeInSeconds:
        literalNumber(props.MaximumEventAgeInSeconds, `${where} MaximumEventAgeInSeconds`) ?? 21600,
      ...onFailure(scope, props.DestinationConfig, where),
      ...(onSuccess === undefined
        ? {}
        : { onSuccessQueue: scope.queueOf(onSuccess, `${where} DestinationConfig.OnSuccess.Destination`) }),
    });
  }
  return configs;
}
