/**
 * One Lambda function the way every evtgen function is deployed: bundled locally by esbuild into one
 * ES module (every dependency inlined, the AWS SDK included, so the code runs with exactly the
 * versions it was tested with; one esbuild build for all functions: bundles.ts), Node 24 on arm64 (the latest Lambda Node runtime: cdk-nag L1), active X-Ray tracing, its own log
 * group with a retention, and its own role that may write only to that log group.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import { Duration, NestedStack, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type CfnFunction,
  Function as LambdaFunction,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { alarm, latencyWindow, percentOf, rateWindow } from './cdk-alarms.js';
import { bundledCode, bundleSettings } from './cdk-bundles.js';

// Kept here as well: the constructs and apps written before cdk-alarms.ts import them from this module.
export { type AlarmSpec, alarm } from './cdk-alarms.js';

/**
 * Where the constructs put each function and what belongs to it. `single`: everything in the stack
 * of the construct (the logical ids every existing deployment has). `nested`: each operation's and
 * each consumer's resources in their own NestedStack named after the contract name (operationId's
 * type name / consumer name), the schemas in a fixed number of nested stacks by a hash of the
 * message name; the API, bus, registry and idempotency table stay in the parent stack. Opt-in
 * because switching an existing deployment moves resources to other stacks, which replaces them
 * (a moved queue loses its messages).
 */
export type ServiceLayout = 'single' | 'nested';

/**
 * The scope of one operation's or consumer's resources: a plain construct (`single`) or a
 * NestedStack (`nested`), with the same id either way.
 */
export function functionScope(
  scope: Construct,
  id: string,
  layout: ServiceLayout,
  description: string,
): Construct {
  return layout === 'nested' ? new NestedStack(scope, id, { description }) : new Construct(scope, id);
}

/** Settings shared by every function of the service. */
export interface FunctionDefaults {
  /** Absolute folder of the user-owned entry points (`app/handlers`). */
  readonly handlersDir: string;
  /** Absolute folder of evtgen's output (`generated`): its validator modules are bundled apart. */
  readonly generatedDir: string;
  /** Added to every function's environment. */
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize: number;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly minify: boolean;
  /** Actions of every alarm (the service's alarm topic, then the app's `alarmActions`). */
  readonly alarmActions: readonly IAlarmAction[];
  /** Actions when an alarm recovers (the alarm topic). */
  readonly okActions?: readonly IAlarmAction[];
}

export interface ServiceFunctionProps {
  /** The contract's name of the function: the operationId, the consumer's name, or `outboxRelay`. */
  readonly name: string;
  /** The entry point: relative to the handlers folder, or absolute (evtgen's own functions). */
  readonly entry: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Other actions of this function that AWS only grants on `Resource: "*"`, with why, added to the
   * reason of the cdk-nag acknowledgement of its DefaultPolicy (the outbox relay: `dynamodb:ListStreams`).
   */
  readonly wildcardReason?: string;
  /** The error-rate objective (percent of invocations; default 0.1, the architecture's). */
  readonly errorRatePercent?: number;
  /** The p99 duration objective of one invocation (ms; default 80 % of the timeout). */
  readonly p99Ms?: number;
}

/** A function with its log group, role and alarms (error rate, throttles, p99 duration). */
export class ServiceFunction extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, defaults: FunctionDefaults, props: ServiceFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: defaults.logRetention,
      removalPolicy: defaults.logRemovalPolicy,
    });
    // Its own role instead of AWSLambdaBasicExecutionRole: logs go to this log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description}: execution role`,
      // X-Ray's actions live in the role itself, not in its DefaultPolicy (where `tracing: ACTIVE`
      // would put them, and where every grant goes): so the Resource "*" acknowledgement below
      // covers exactly these two actions, and a wildcard grant added later still fails cdk-nag.
      inlinePolicies: {
        Tracing: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The inline Tracing policy holds only X-Ray PutTraceSegments/PutTelemetryRecords, which support no resource-level permissions: AWS requires Resource "*".',
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const entry = isAbsolute(props.entry) ? props.entry : join(defaults.handlersDir, props.entry);
    this.function = new LambdaFunction(this, 'Function', {
      code: bundledCode(this, entry, bundleSettings(defaults)),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: defaults.memorySize,
      timeout: Duration.seconds(props.timeoutSeconds),
      logGroup: this.logGroup,
      role: this.role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...defaults.environment,
        ...props.environment,
      },
    });
    // Active tracing without the L2 `tracing` prop, which would add the X-Ray statement to the
    // DefaultPolicy again (the role has it: see above).
    const cfnFunction = this.function.node.defaultChild as CfnFunction;
    cfnFunction.tracingConfig = { mode: Tracing.ACTIVE };
    // `evtgen dev` synthesizes without bundling and runs each function from its source: this says
    // which contract function and which entry point (relative to the app's folder) it is.
    cfnFunction.addMetadata('evtgen:function', {
      name: props.name,
      entry: relative(process.cwd(), entry).split(sep).join('/'),
    });
    if (props.wildcardReason) {
      // Only where a function says why: any other wildcard grant in a DefaultPolicy still fails the synth.
      const policy = this.role.node.tryFindChild('DefaultPolicy');
      if (policy)
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: props.wildcardReason,
        });
    }
    const fn = this.function;
    const errorRate = props.errorRatePercent ?? 0.1;
    // p99 above 80% of the timeout: the next slow dependency turns into timeouts.
    const p99 = props.p99Ms ?? props.timeoutSeconds * 1000 * 0.8;
    this.alarms.push(
      alarm(this, 'ErrorRateAlarm', defaults, {
        metric: percentOf(
          fn.metricErrors({ statistic: 'Sum' }),
          fn.metricInvocations({ statistic: 'Sum' }),
          'errors %',
        ),
        threshold: errorRate,
        window: rateWindow,
        description:
          `${props.description}: more than ${errorRate} % of invocations failed in 3 of 5 minutes. ` +
          'Read the errors in its log group (level ERROR) and X-Ray traces; roll back a recent deploy first.',
      }),
      alarm(this, 'ThrottlesAlarm', defaults, {
        metric: fn.metricThrottles({ statistic: 'Sum' }),
        threshold: 0,
        window: rateWindow,
        description:
          `${props.description}: invocations throttled in 3 of 5 minutes. ` +
          "Lambda's concurrency is exhausted: raise the account's concurrency quota or lower the traffic (x-throttling, maxConcurrency).",
      }),
      alarm(this, 'DurationP99Alarm', defaults, {
        metric: fn.metricDuration({ statistic: 'p99' }),
        threshold: p99,
        window: latencyWindow,
        description:
          `${props.description}: p99 duration above ${p99} ms ${props.p99Ms ? '(objective, x-slo.p99Ms)' : `(80 % of the ${props.timeoutSeconds} s timeout)`} in 2 of 3 five-minute periods. ` +
          'X-Ray shows the slow calls; raise memory (more CPU) or fix the slow dependency before it turns into timeouts.',
      }),
    );
  }
}
