/**
 * `evtgen load --target URL --stack NAME`: the deployed stack behind the URL, opened for counting —
 * its topology read through CloudFormation, and the SQS and CloudWatch clients the counts use, all
 * with the credentials of `--profile` (or the SDK's default chain) in the stack's region. The SDK's
 * `AWS_ENDPOINT_URL` variables are honoured, which is how the tests aim it at an emulator.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SQSClient } from '@aws-sdk/client-sqs';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { readDeployedTopology } from './deployed-stack.js';
import { readDepths, type StackDepths } from './stack-counts.js';
import type { StackTopology } from './stack-topology.js';

export interface StackWatch {
  readonly topology: StackTopology;
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
  depths(): Promise<StackDepths>;
  close(): void;
}

export interface StackWatchOptions {
  readonly stackName: string;
  readonly region: string;
  readonly profile?: string;
}

/** Throws an Error saying what is wrong with the stack (missing, not this contract's, unreadable). */
export async function openStackWatch(options: StackWatchOptions): Promise<StackWatch> {
  const settings = {
    region: options.region,
    credentials: defaultProvider(options.profile ? { profile: options.profile } : {}),
  };
  const cloudFormation = new CloudFormationClient(settings);
  const sqs = new SQSClient(settings);
  const cloudWatch = new CloudWatchClient(settings);
  const close = (): void => {
    for (const client of [cloudFormation, sqs, cloudWatch]) client.destroy();
  };
  try {
    const topology = await readDeployedTopology(cloudFormation, options.stackName, options.region);
    cloudFormation.destroy();
    return { topology, sqs, cloudWatch, depths: () => readDepths(sqs, topology), close };
  } catch (error) {
    close();
    throw error;
  }
}
