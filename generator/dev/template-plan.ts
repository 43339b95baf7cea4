/**
 * The synthesized CloudFormation template of the user's CDK app → what `evtgen dev` runs. The
 * template is the source because it is what deploys: the same functions, queues, rules, patterns and
 * routes, including what the user added in app/cdk/stack.ts. Pure (no I/O); resources it does not
 * emulate are listed in `ignoredTypes`, references it cannot follow are errors.
 */
import { derivedName, functionNameLimit, queueNameLimit, tableNameLimit } from './names.js';
import type { DevBus, DevFunction, DevPlan, DevQueue, DevTable, TemplateValue } from './plan.js';
import { type PlanOptions, PlanScope } from './plan-scope.js';
import {
  type CfnTemplate,
  isMap,
  literalBoolean,
  literalList,
  literalMap,
  literalNumber,
  literalString,
  show,
  type TemplateMap,
} from './template.js';
import { isForeignBus, planAsyncInvokeConfigs, planEventSources, planRules } from './template-plan-events.js';
import { planRoutes } from './template-plan-routes.js';

export type { PlanOptions } from './plan-scope.js';

/** The resource types the plan reads (everything else is reported in `ignoredTypes`). */
const planned = new Set([
  'AWS::Lambda::Function',
  'AWS::SQS::Queue',
  'AWS::DynamoDB::Table',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
]);

/**
 * SQS attributes that change behaviour locally. Encryption (`SqsManagedSseEnabled`, `KmsMasterKeyId`,
 * `KmsDataKeyReusePeriodSeconds`) is left out: it changes nothing in an emulator and the KMS key is
 * not there; `RedrivePolicy` is set by provisioning once the DLQ's ARN is known.
 */
const queueAttributes = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'FifoQueue',
  'ContentBasedDeduplication',
  'ReceiveMessageWaitTimeSeconds',
  'MaximumMessageSize',
  'DeduplicationScope',
  'FifoThroughputLimit',
] as const;

/**
 * Reads `template` (one stack; nested stacks flattened by synth.ts) into a DevPlan. Throws an Error
 * naming the resource and property for references it cannot follow.
 */
export function planFromTemplate(
  template: CfnTemplate,
  stackName: string,
  options: PlanOptions = {},
): DevPlan {
  const scope = new PlanScope(template, stackName, parameterDefaults(template), options);
  for (const [id, resource] of scope.ofType('AWS::Lambda::Function')) {
    const fn = planFunction(scope, id, resource.Properties ?? {}, resource.Metadata?.['evtgen:function']);
    if (fn) scope.functions.set(id, fn);
  }
  const queues = scope.ofType('AWS::SQS::Queue').map(([id, r]) => planQueue(scope, id, r.Properties ?? {}));
  const tables = scope
    .ofType('AWS::DynamoDB::Table')
    .map(([id, r]) => planTable(scope, id, r.Properties ?? {}));
  const buses = scope.ofType('AWS::Events::EventBus').map(([id, r]): DevBus => {
    const name = r.Properties?.Name;
    if (name === undefined) throw new Error(`${id} (AWS::Events::EventBus) Name: missing`);
    return { logicalId: id, busName: scope.known(name, `${id} (AWS::Events::EventBus) Name`) };
  });
  const rules = planRules(scope, buses);
  for (const bus of new Set(rules.map((r) => r.bus)))
    if (bus !== 'default' && !buses.some((b) => b.logicalId === bus))
      buses.push({ logicalId: bus, busName: bus, foreign: true });
  const { queueSources, streamSources } = planEventSources(scope);
  const ignored = new Set(
    Object.values(template.Resources)
      .map((r) => r.Type)
      .filter((type) => !planned.has(type)),
  );
  for (const [, rule] of scope.ofType('AWS::Events::Rule')) {
    if (rule.Properties?.EventPattern === undefined) ignored.add('AWS::Events::Rule (schedule)');
    const targets = Array.isArray(rule.Properties?.Targets) ? rule.Properties.Targets : [];
    if (targets.some((t) => isForeignBus((t as { Arn?: unknown }).Arn)))
      ignored.add('AWS::Events::Rule target (a bus of another account)');
  }
  return {
    stackName,
    functions: [...scope.functions.values()],
    queues,
    tables,
    buses,
    rules,
    queueSources,
    streamSources,
    asyncInvokeConfigs: planAsyncInvokeConfigs(scope),
    routes: planRoutes(scope),
    parameters: scope.parameters,
    otherFunctions: [...scope.otherFunctions].map(([logicalId, functionName]) => ({
      logicalId,
      functionName,
    })),
    ignoredTypes: [...ignored].sort(),
  };
}

/** Parameter defaults (SSM-backed parameters are skipped: their default is a parameter path). */
function parameterDefaults(template: CfnTemplate): Record<string, string | readonly string[]> {
  const values: Record<string, string | readonly string[]> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const type = parameter.Type ?? 'String';
    const value = parameter.Default;
    if (value === undefined || type.startsWith('AWS::SSM::')) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    values[name] = type.includes('List') ? text.split(',') : text;
  }
  return values;
}

function planFunction(
  scope: PlanScope,
  id: string,
  props: TemplateMap,
  metadata: TemplateValue | undefined,
): DevFunction | undefined {
  const where = `${id} (AWS::Lambda::Function)`;
  const functionName =
    props.FunctionName === undefined
      ? derivedName(scope.stackName, id, functionNameLimit)
      : scope.known(props.FunctionName, `${where} FunctionName`);
  const entry = isMap(metadata)
    ? literalString(metadata.entry, `${where} Metadata evtgen:function.entry`)
    : undefined;
  if (!isMap(metadata) || entry === undefined) {
    scope.otherFunctions.set(id, functionName);
    return undefined;
  }
  const handler = literalString(props.Handler, `${where} Handler`) ?? 'index.handler';
  const environment = literalMap(literalMap(props.Environment, `${where} Environment`).Variables, where);
  return {
    logicalId: id,
    name: literalString(metadata.name, `${where} Metadata evtgen:function.name`) ?? id,
    functionName,
    entry,
    handlerExport: handler.slice(handler.lastIndexOf('.') + 1),
    timeoutSeconds: literalNumber(props.Timeout, `${where} Timeout`) ?? 3,
    memorySize: literalNumber(props.MemorySize, `${where} MemorySize`) ?? 128,
    environment,
  };
}

function planQueue(scope: PlanScope, id: string, props: TemplateMap): DevQueue {
  const where = `${id} (AWS::SQS::Queue)`;
  const fifo = literalBoolean(props.FifoQueue, `${where} FifoQueue`) ?? false;
  const queueName =
    props.QueueName === undefined
      ? derivedName(scope.stackName, id, queueNameLimit, fifo ? '.fifo' : '')
      : scope.known(props.QueueName, `${where} QueueName`);
  const attributes: Record<string, string> = {};
  for (const name of queueAttributes) {
    const value = props[name];
    if (value !== undefined) attributes[name] = scope.known(value, `${where} ${name}`);
  }
  // Standard queues take no FifoQueue attribute at all (SQS refuses `false`).
  if (!fifo) delete attributes.FifoQueue;
  const queue: DevQueue = { logicalId: id, queueName, fifo, attributes };
  if (props.RedrivePolicy === undefined) return queue;
  const policy: TemplateValue =
    typeof props.RedrivePolicy === 'string'
      ? (JSON.parse(props.RedrivePolicy) as TemplateValue)
      : props.RedrivePolicy;
  const redrive = literalMap(policy, `${where} RedrivePolicy`);
  const maxReceiveCount = literalNumber(redrive.maxReceiveCount, `${where} RedrivePolicy.maxReceiveCount`);
  if (maxReceiveCount === undefined) throw new Error(`${where} RedrivePolicy.maxReceiveCount: missing`);
  const deadLetterQueue = scope.queueOf(
    redrive.deadLetterTargetArn,
    `${where} RedrivePolicy.deadLetterTargetArn`,
  );
  return { ...queue, redrive: { deadLetterQueue, maxReceiveCount } };
}

function planTable(scope: PlanScope, id: string, props: TemplateMap): DevTable {
  const where = `${id} (AWS::DynamoDB::Table)`;
  const keySchema = literalList(props.KeySchema, `${where} KeySchema`).map(
    (item, i): DevTable['keySchema'][number] => {
      const key = literalMap(item, `${where} KeySchema[${i}]`);
      const keyType = literalString(key.KeyType, `${where} KeySchema[${i}].KeyType`);
      if (keyType !== 'HASH' && keyType !== 'RANGE')
        throw new Error(`${where} KeySchema[${i}].KeyType: expected HASH or RANGE, found ${show(keyType)}`);
      return {
        AttributeName: scope.known(key.AttributeName ?? null, `${where} KeySchema[${i}]`),
        KeyType: keyType,
      };
    },
  );
  const attributeDefinitions = literalList(props.AttributeDefinitions, `${where} AttributeDefinitions`).map(
    (item, i): DevTable['attributeDefinitions'][number] => {
      const definition = literalMap(item, `${where} AttributeDefinitions[${i}]`);
      const type = literalString(
        definition.AttributeType,
        `${where} AttributeDefinitions[${i}].AttributeType`,
      );
      if (type !== 'S' && type !== 'N' && type !== 'B')
        throw new Error(
          `${where} AttributeDefinitions[${i}].AttributeType: expected S, N or B, found ${show(type)}`,
        );
      const name = scope.known(definition.AttributeName ?? null, `${where} AttributeDefinitions[${i}]`);
      return { AttributeName: name, AttributeType: type };
    },
  );
  const stream = literalMap(props.StreamSpecification, `${where} StreamSpecification`);
  const viewType = literalString(stream.StreamViewType, `${where} StreamSpecification.StreamViewType`);
  const ttl = literalMap(props.TimeToLiveSpecification, `${where} TimeToLiveSpecification`);
  const ttlEnabled = literalBoolean(ttl.Enabled, `${where} TimeToLiveSpecification.Enabled`) ?? false;
  return {
    logicalId: id,
    tableName:
      props.TableName === undefined
        ? derivedName(scope.stackName, id, tableNameLimit)
        : scope.known(props.TableName, `${where} TableName`),
    keySchema,
    attributeDefinitions,
    ...(props.GlobalSecondaryIndexes === undefined
      ? {}
      : {
          globalSecondaryIndexes: literalList(
            props.GlobalSecondaryIndexes,
            `${where} GlobalSecondaryIndexes`,
          ),
        }),
    ...(props.LocalSecondaryIndexes === undefined
      ? {}
      : {
          localSecondaryIndexes: literalList(props.LocalSecondaryIndexes, `${where} LocalSecondaryIndexes`),
        }),
    ...(viewType === undefined ? {} : { streamViewType: streamViewType(viewType, where) }),
    ...(ttlEnabled && ttl.AttributeName !== undefined
      ? {
          timeToLiveAttribute: scope.known(
            ttl.AttributeName,
            `${where} TimeToLiveSpecification.AttributeName`,
          ),
        }
      : {}),
  };
}

function streamViewType(value: string, where: string): NonNullable<DevTable['streamViewType']> {
  if (
    value === 'NEW_IMAGE' ||
    value === 'OLD_IMAGE' ||
    value === 'NEW_AND_OLD_IMAGES' ||
    value === 'KEYS_ONLY'
  )
    return value;
  throw new Error(`${where} StreamSpecification.StreamViewType: unknown view type ${show(value)}`);
}
