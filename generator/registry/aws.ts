import {
  CreateSchemaCommand,
  DescribeSchemaCommand,
  ListSchemasCommand,
  ListSchemaVersionsCommand,
  SchemasClient,
  UpdateSchemaCommand,
} from '@aws-sdk/client-schemas';
import { eventRegistryContent } from '../emit/registry-content.js';
import type { ContractModel } from '../model/contract.js';
import { RegistryCommandError } from './project.js';
import type { PulledSubject } from './pulled.js';
import { contentHash } from './store.js';

/** The AWS quota: versions per schema. */
export const maxVersionsPerSchema = 100;

/**
 * A Schemas client from the usual AWS configuration (region, credentials, profile, and the SDK's
 * `AWS_ENDPOINT_URL_SCHEMAS`). Throttled and unavailable responses are retried by the SDK's
 * standard retry strategy (exponential backoff with jitter), up to `maxAttempts`.
 */
export function schemasClient(maxAttempts = 5): SchemasClient {
  return new SchemasClient({ maxAttempts });
}

/** AWS errors as clear messages: what failed, on which schema, and what to do. */
export function awsError(error: unknown, what: string): RegistryCommandError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? 'Error';
  const hint =
    name === 'NotFoundException'
      ? 'the registry (or schema) does not exist: create the registry (the CDK app does) or pass --registry-name'
      : name === 'ForbiddenException' || name === 'UnauthorizedException' || status === 403 || status === 401
        ? 'access denied: the credentials need schemas:DescribeSchema, schemas:CreateSchema, schemas:UpdateSchema, schemas:ListSchemas and schemas:ListSchemaVersions on the registry'
        : name === 'TooManyRequestsException' || status === 429
          ? 'throttled by AWS even after retries with backoff: try again later'
          : name === 'CredentialsProviderError'
            ? 'no AWS credentials found (environment, profile or instance role)'
            : 'see the AWS message';
  return new RegistryCommandError(
    'aws',
    `${what}: ${name}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? ''} — ${hint}.`,
  );
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFoundException' || e.$metadata?.httpStatusCode === 404;
}

export interface PushedSchema {
  readonly schemaName: string;
  readonly action: 'created' | 'updated' | 'unchanged';
  /** The AWS version after the push. */
  readonly version?: string;
}

/**
 * `evtgen registry push`: every event type as `{source}@{DetailType}` in the AWS registry, in the
 * CDK app's content format (draft-4 AWSEvent). A schema is created when absent and updated only when
 * its latest content differs by normalized hash: unchanged schemas cost no version (quota: 100).
 */
export async function pushToAws(
  model: ContractModel,
  registryName: string,
  options: { client?: SchemasClient; dryRun?: boolean } = {},
): Promise<PushedSchema[]> {
  const client = options.client ?? schemasClient();
  const out: PushedSchema[] = [];
  for (const event of model.events) {
    const content = eventRegistryContent(model, event);
    const text = JSON.stringify(content.content);
    const ids = { RegistryName: registryName, SchemaName: content.name };
    let latest: { content?: string; version?: string } | undefined;
    try {
      const d = await client.send(new DescribeSchemaCommand(ids));
      latest = {
        ...(d.Content !== undefined ? { content: d.Content } : {}),
        ...(d.SchemaVersion !== undefined ? { version: d.SchemaVersion } : {}),
      };
    } catch (error) {
      if (!isNotFound(error)) throw awsError(error, `DescribeSchema ${content.name} in ${registryName}`);
    }
    const description = (event.summary ?? event.title ?? event.messageName).slice(0, 256);
    if (!latest) {
      if (options.dryRun) {
        out.push({ schemaName: content.name, action: 'created' });
        continue;
      }
      try {
        const r = await client.send(
          new CreateSchemaCommand({ ...ids, Type: content.type, Content: text, Description: description }),
        );
        out.push({
          schemaName: content.name,
          action: 'created',
          ...(r.SchemaVersion ? { version: r.SchemaVersion } : {}),
        });
      } catch (error) {
        throw awsError(error, `CreateSchema ${content.name} in ${registryName}`);
      }
      continue;
    }
    let same = false;
    try {
      same =
        latest.content !== undefined &&
        contentHash(JSON.parse(latest.content)) === contentHash(content.content);
    } catch {
      same = false;
    }
    if (same) {
      out.push({
        schemaName: content.name,
        action: 'unchanged',
        ...(latest.version ? { version: latest.version } : {}),
      });
      continue;
    }
    if (Number(latest.version) >= maxVersionsPerSchema)
      throw new RegistryCommandError(
        'aws',
        `${content.name} already has ${latest.version} versions in ${registryName}: AWS allows ${maxVersionsPerSchema} per schema. Delete old versions (DeleteSchemaVersion) before pushing.`,
      );
    if (options.dryRun) {
      out.push({ schemaName: content.name, action: 'updated' });
      continue;
    }
    try {
      const r = await client.send(
        new UpdateSchemaCommand({ ...ids, Type: content.type, Content: text, Description: description }),
      );
      out.push({
        schemaName: content.name,
        action: 'updated',
        ...(r.SchemaVersion ? { version: r.SchemaVersion } : {}),
      });
    } catch (error) {
      throw awsError(error, `UpdateSchema ${content.name} in ${registryName}`);
    }
  }
  return out;
}

/**
 * `evtgen registry pull`: every schema of the AWS registry with all its versions' content, for
 * `evtgen check --against registry:aws`.
 */
export async function pullFromAws(
  registryName: string,
  options: { client?: SchemasClient; now?: () => Date } = {},
): Promise<PulledSubject[]> {
  const client = options.client ?? schemasClient();
  const pulledAt = (options.now?.() ?? new Date()).toISOString();
  const names: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListSchemasCommand({ RegistryName: registryName, ...(token ? { NextToken: token } : {}) }),
      );
      for (const s of page.Schemas ?? []) if (s.SchemaName) names.push(s.SchemaName);
      token = page.NextToken;
    } while (token);
  } catch (error) {
    throw awsError(error, `ListSchemas in ${registryName}`);
  }
  const out: PulledSubject[] = [];
  for (const name of names.sort()) {
    const versions: string[] = [];
    try {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListSchemaVersionsCommand({
            RegistryName: registryName,
            SchemaName: name,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        for (const v of page.SchemaVersions ?? []) if (v.SchemaVersion) versions.push(v.SchemaVersion);
        token = page.NextToken;
      } while (token);
    } catch (error) {
      throw awsError(error, `ListSchemaVersions ${name} in ${registryName}`);
    }
    const pulled: PulledSubject['versions'][number][] = [];
    for (const version of versions.sort((a, b) => Number(a) - Number(b))) {
      try {
        const d = await client.send(
          new DescribeSchemaCommand({ RegistryName: registryName, SchemaName: name, SchemaVersion: version }),
        );
        pulled.push({
          version: Number(version),
          ...(d.VersionCreatedDate ? { createdAt: d.VersionCreatedDate.toISOString() } : {}),
          content: d.Content ? (JSON.parse(d.Content) as unknown) : {},
        });
      } catch (error) {
        throw awsError(error, `DescribeSchema ${name} version ${version} in ${registryName}`);
      }
    }
    out.push({ subject: name, registryName, pulledAt, versions: pulled });
  }
  return out;
}
