import { readFile } from 'node:fs/promises';
import { packagePath } from '../package-root.js';

/**
 * What a service scaffolded by `evtgen init` installs. `runtime` is exactly what the deployed
 * handlers import (generated/runtime/: Powertools and the AWS SDK clients) — the only packages the
 * Lambda bundles are built from; `development` is the toolchain (CDK, cdk-nag, esbuild, TypeScript,
 * vitest). Versions are the ones evtgen itself is built and tested with, read from its own
 * package.json, so a new service starts on a combination this release was verified against.
 */
export const runtimeDependencyNames = [
  '@aws-lambda-powertools/batch',
  '@aws-lambda-powertools/idempotency',
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/metrics',
  '@aws-lambda-powertools/tracer',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/client-eventbridge',
  // Consumers send poison events straight to their dead-letter queue.
  '@aws-sdk/client-sqs',
  // The idempotency persistence layer marshals items with @aws-sdk/util-dynamodb, which this brings.
  '@aws-sdk/lib-dynamodb',
] as const;

export const developmentDependencyNames = [
  '@types/aws-lambda',
  '@types/node',
  'aws-cdk',
  'aws-cdk-lib',
  'cdk-nag',
  'constructs',
  'esbuild',
  'typescript',
  'vitest',
] as const;

export interface AppDependencies {
  readonly evtgenVersion: string;
  readonly runtime: Readonly<Record<string, string>>;
  readonly development: Readonly<Record<string, string>>;
}

interface OwnManifest {
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

export async function appDependencies(): Promise<AppDependencies> {
  const own = JSON.parse(await readFile(packagePath('package.json'), 'utf8')) as OwnManifest;
  const known = { ...own.devDependencies, ...own.dependencies };
  const pick = (names: readonly string[]) =>
    Object.fromEntries(
      names.map((name) => {
        const version = known[name];
        // A broken release, not a user error: the test of this module keeps the lists resolvable.
        if (!version) throw new Error(`evtgen's package.json does not pin ${name}`);
        return [name, version];
      }),
    );
  return {
    evtgenVersion: own.version,
    runtime: pick(runtimeDependencyNames),
    development: pick(developmentDependencyNames),
  };
}
