/**
 * DynamoDB tables of the plan in the emulator. A table that exists with the same keys, indexes and
 * stream is kept (its items are the developer's local data across `evtgen dev` runs); one whose
 * structure changed is deleted and re-created, since DynamoDB cannot change keys in place and the
 * data is local. Time to live is switched to match the plan.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type Projection,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { DevTable, TemplateValue } from './plan.js';
import { literalList, literalMap, literalString } from './template.js';

/** What a table's `Ref` and `Fn::GetAtt` give. */
export interface ProvisionedTable {
  readonly name: string;
  readonly arn: string;
  readonly streamArn?: string;
  /** Why it was (re-)created, or undefined when it was kept as it was. */
  readonly change?: { readonly action: 'create' | 'replace'; readonly reason: string };
}

/** Creates the table, keeps it when it matches, or replaces it when its structure changed. */
export async function ensureTable(dynamo: DynamoDBClient, table: DevTable): Promise<ProvisionedTable> {
  const where = `${table.logicalId} (AWS::DynamoDB::Table)`;
  const wanted = {
    keySchema: table.keySchema,
    globalSecondaryIndexes: (table.globalSecondaryIndexes ?? []).map((gsi, i) =>
      index(gsi, `${where} GlobalSecondaryIndexes[${i}]`),
    ),
    localSecondaryIndexes: (table.localSecondaryIndexes ?? []).map((lsi, i) =>
      index(lsi, `${where} LocalSecondaryIndexes[${i}]`),
    ),
  };
  let existing = await describe(dynamo, table.tableName);
  let change: ProvisionedTable['change'];
  const difference = existing ? structuralDifference(existing, table, wanted) : undefined;
  if (existing && difference) {
    await dynamo.send(new DeleteTableCommand({ TableName: table.tableName }));
    await waitFor(dynamo, table.tableName, (t) => t === undefined);
    existing = undefined;
    change = {
      action: 'replace',
      reason: `${difference} changed; deleted and re-created (local items are gone)`,
    };
  }
  if (!existing) {
    await dynamo.send(
      new CreateTableCommand({
        TableName: table.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [...wanted.keySchema],
        AttributeDefinitions: [...table.attributeDefinitions],
        ...(wanted.globalSecondaryIndexes.length > 0
          ? { GlobalSecondaryIndexes: wanted.globalSecondaryIndexes }
          : {}),
        ...(wanted.localSecondaryIndexes.length > 0
          ? { LocalSecondaryIndexes: wanted.localSecondaryIndexes }
          : {}),
        ...(table.streamViewType
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } }
          : {}),
      }),
    );
    change ??= { action: 'create', reason: 'created' };
  }
  const active = await waitFor(dynamo, table.tableName, (t) => t?.TableStatus === 'ACTIVE');
  await ensureTimeToLive(dynamo, table);
  return {
    name: table.tableName,
    arn: active?.TableArn ?? '',
    ...(active?.LatestStreamArn && table.streamViewType ? { streamArn: active.LatestStreamArn } : {}),
    ...(change ? { change } : {}),
  };
}

async function describe(dynamo: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await dynamo.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function waitFor(
  dynamo: DynamoDBClient,
  name: string,
  done: (table: TableDescription | undefined) => boolean,
): Promise<TableDescription | undefined> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const table = await describe(dynamo, name);
    if (done(table)) return table;
    if (Date.now() > deadline)
      throw new Error(`Table ${name} did not settle (status ${table?.TableStatus ?? 'gone'})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What differs between the existing table and the plan (keys, indexes, stream), or undefined. */
function structuralDifference(
  existing: TableDescription,
  table: DevTable,
  wanted: {
    keySchema: DevTable['keySchema'];
    globalSecondaryIndexes: GlobalSecondaryIndex[];
    localSecondaryIndexes: LocalSecondaryIndex[];
  },
): string | undefined {
  const keys = (schema: readonly KeySchemaElement[] | undefined) =>
    JSON.stringify((schema ?? []).map((k) => [k.AttributeName, k.KeyType]));
  const types = (names: readonly KeySchemaElement[]) =>
    JSON.stringify(
      names.map(
        (k) => existing.AttributeDefinitions?.find((d) => d.AttributeName === k.AttributeName)?.AttributeType,
      ),
    );
  const wantedTypes = (names: readonly KeySchemaElement[]) =>
    JSON.stringify(
      names.map(
        (k) => table.attributeDefinitions.find((d) => d.AttributeName === k.AttributeName)?.AttributeType,
      ),
    );
  const indexes = (
    list: readonly { IndexName?: string; KeySchema?: KeySchemaElement[]; Projection?: Projection }[],
  ) =>
    JSON.stringify(
      list
        .map((i) => [
          i.IndexName,
          keys(i.KeySchema),
          i.Projection?.ProjectionType,
          [...(i.Projection?.NonKeyAttributes ?? [])].sort(),
        ])
        .sort(),
    );
  if (
    keys(existing.KeySchema) !== keys(wanted.keySchema) ||
    types(existing.KeySchema ?? []) !== wantedTypes(wanted.keySchema)
  )
    return `the key schema (${keys(existing.KeySchema)} → ${keys(wanted.keySchema)})`;
  if (indexes(existing.GlobalSecondaryIndexes ?? []) !== indexes(wanted.globalSecondaryIndexes))
    return 'the global secondary indexes';
  if (indexes(existing.LocalSecondaryIndexes ?? []) !== indexes(wanted.localSecondaryIndexes))
    return 'the local secondary indexes';
  const stream = existing.StreamSpecification?.StreamEnabled
    ? existing.StreamSpecification.StreamViewType
    : undefined;
  if (stream !== table.streamViewType)
    return `the stream (${stream ?? 'none'} → ${table.streamViewType ?? 'none'})`;
  return undefined;
}

async function ensureTimeToLive(dynamo: DynamoDBClient, table: DevTable): Promise<void> {
  const { TimeToLiveDescription: ttl } = await dynamo.send(
    new DescribeTimeToLiveCommand({ TableName: table.tableName }),
  );
  const current = ttl?.TimeToLiveStatus === 'ENABLED' ? ttl.AttributeName : undefined;
  if (current === table.timeToLiveAttribute) return;
  if (current !== undefined)
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: table.tableName,
        TimeToLiveSpecification: { AttributeName: current, Enabled: false },
      }),
    );
  if (table.timeToLiveAttribute !== undefined)
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: table.tableName,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
}

/** A template index (GSI or LSI) as the API takes it; capacity settings are dropped (on-demand here). */
function index(value: TemplateValue, where: string): GlobalSecondaryIndex & LocalSecondaryIndex {
  const map = literalMap(value, where);
  const name = literalString(map.IndexName, `${where}.IndexName`);
  if (name === undefined) throw new Error(`${where}.IndexName: missing`);
  const keySchema = literalList(map.KeySchema, `${where}.KeySchema`).map((k, i): KeySchemaElement => {
    const key = literalMap(k, `${where}.KeySchema[${i}]`);
    const keyType = literalString(key.KeyType, `${where}.KeySchema[${i}].KeyType`);
    if (keyType !== 'HASH' && keyType !== 'RANGE')
      throw new Error(`${where}.KeySchema[${i}].KeyType: expected HASH or RANGE`);
    return {
      AttributeName: literalString(key.AttributeName, `${where}.KeySchema[${i}].AttributeName`),
      KeyType: keyType,
    };
  });
  const projection = literalMap(map.Projection, `${where}.Projection`);
  const projectionType =
    literalString(projection.ProjectionType, `${where}.Projection.ProjectionType`) ?? 'ALL';
  if (projectionType !== 'ALL' && projectionType !== 'KEYS_ONLY' && projectionType !== 'INCLUDE')
    throw new Error(`${where}.Projection.ProjectionType: expected ALL, KEYS_ONLY or INCLUDE`);
  const nonKey = literalList(projection.NonKeyAttributes, `${where}.Projection.NonKeyAttributes`).map(
    (a, i) => literalString(a, `${where}.Projection.NonKeyAttributes[${i}]`) ?? '',
  );
  return {
    IndexName: name,
    KeySchema: keySchema,
    Projection: {
      ProjectionType: projectionType,
      ...(nonKey.length > 0 ? { NonKeyAttributes: nonKey } : {}),
    },
  };
}
