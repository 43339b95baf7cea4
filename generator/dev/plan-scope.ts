/**
 * What reading a template into a plan needs at every step: the resources by logical id, the
 * functions found so far, and the resolution of a property to "which queue / function / table of
 * this template" — with an error naming the resource and property when it points elsewhere, since a
 * reference evtgen dev cannot follow would otherwise drop a route or a delivery without a word.
 */
import { resolveString } from './intrinsics.js';
import type { DevFunction, TemplateValue } from './plan.js';
import { type CfnResource, type CfnTemplate, intrinsicName, referenceOf, show } from './template.js';

export interface PlanOptions {
  /** The region names with `${AWS::Region}` are derived for (default `us-east-1`). */
  readonly region?: string;
  /** The account names with `${AWS::AccountId}` are derived for (default moto's `123456789012`). */
  readonly account?: string;
}

export class PlanScope {
  /** Functions with `evtgen:function` metadata, by logical id (filled by the plan as it goes). */
  readonly functions = new Map<string, DevFunction>();
  /** Functions without it: logical id → physical name. */
  readonly otherFunctions = new Map<string, string>();

  constructor(
    readonly template: CfnTemplate,
    readonly stackName: string,
    readonly parameters: Readonly<Record<string, string | readonly string[]>>,
    private readonly options: PlanOptions = {},
  ) {}

  /** The resources of one type, in template order. */
  ofType(type: string): [string, CfnResource][] {
    return Object.entries(this.template.Resources).filter(([, r]) => r.Type === type);
  }

  /**
   * A value that must be known before anything exists (a name, a timeout): a literal, or an
   * intrinsic of pseudo parameters and parameters only (`${AWS::StackName}-orders`).
   */
  known(value: TemplateValue, where: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    try {
      const provisioned = {
        region: this.options.region ?? 'us-east-1',
        account: this.options.account ?? '123456789012',
        refs: {},
        attributes: {},
        invokeQueues: {},
      };
      return resolveString(value, provisioned, { stackName: this.stackName, parameters: this.parameters });
    } catch (error) {
      throw new Error(
        `${where}: ${show(value)} must be a literal or use only parameters and pseudo parameters (${(error as Error).message})`,
      );
    }
  }

  /** The logical id a `Ref`/`Fn::GetAtt` names, if it is a resource of `type` (and an allowed attribute). */
  private reference(
    value: TemplateValue | undefined,
    type: string,
    attributes: readonly (string | undefined)[],
  ): string | undefined {
    const reference = referenceOf(value);
    if (!reference || this.template.Resources[reference.id]?.Type !== type) return undefined;
    return attributes.includes(reference.attribute) ? reference.id : undefined;
  }

  /** The error for a reference that is not what `expected` says, naming what it is instead. */
  unknown(value: TemplateValue | undefined, where: string, expected: string): Error {
    const reference = referenceOf(value);
    const resource = reference ? this.template.Resources[reference.id] : undefined;
    const actual = !reference
      ? intrinsicName(value)
        ? `${show(value)}, which evtgen dev cannot follow`
        : `${show(value)}, not a reference to a resource of this template`
      : !resource
        ? `${reference.id}, which is not a resource of this template`
        : `${reference.id} (${resource.Type}${reference.attribute ? `.${reference.attribute}` : ''})`;
    return new Error(`${where}: expected ${expected}, found ${actual}`);
  }

  /** The logical id of the SQS queue `value` names (its Arn, Ref/QueueUrl or QueueName). */
  queueOf(value: TemplateValue | undefined, where: string): string {
    const id = this.reference(value, 'AWS::SQS::Queue', ['Arn', undefined, 'QueueUrl', 'QueueName']);
    if (id) return id;
    throw this.unknown(value, where, 'an SQS queue of this template (Fn::GetAtt [Queue, Arn])');
  }

  /** The logical id of the event bus a rule names (`default` for the default bus). */
  busOf(value: TemplateValue | undefined, where: string, busNames: ReadonlyMap<string, string>): string {
    if (value === undefined || value === 'default') return 'default';
    const id = this.reference(value, 'AWS::Events::EventBus', [undefined, 'Name', 'Arn']);
    if (id) return id;
    if (typeof value === 'string') {
      // Another service's bus, named by name or ARN (a rule on the producer's bus): the rule's bus
      // is that name, and the plan lists it as a foreign bus (see template-plan.ts).
      const name = value.startsWith('arn:') ? value.slice(value.indexOf(':event-bus/') + 11) : value;
      return busNames.get(name) ?? name;
    }
    throw this.unknown(value, where, 'an event bus of this template, a bus name or ARN, or `default`');
  }

  /** The logical id of a function with a known entry that `value` names (Ref, Arn or physical name). */
  functionOf(value: TemplateValue | undefined, where: string): string {
    const id = this.functionIdOf(value);
    if (id === undefined) throw this.unknown(value, where, 'a Lambda function of this template');
    if (this.functions.has(id)) return id;
    throw new Error(
      `${where}: function ${id} has no evtgen:function metadata, so evtgen dev does not know its entry ` +
        "point (functions made with evtgen's CDK constructs carry it; Metadata['evtgen:function'] = " +
        '{name, entry} with entry relative to the project root)',
    );
  }

  /** The logical id of any function of the template `value` names, or undefined. */
  functionIdOf(value: TemplateValue | undefined): string | undefined {
    const id = this.reference(value, 'AWS::Lambda::Function', [undefined, 'Arn']);
    if (id || typeof value !== 'string') return id;
    const name = value.includes(':function:') ? (value.split(':function:')[1]?.split(':')[0] ?? '') : value;
    for (const fn of this.functions.values()) if (fn.functionName === name) return fn.logicalId;
    for (const [logicalId, functionName] of this.otherFunctions) if (functionName === name) return logicalId;
    return undefined;
  }

  /** The logical id of the DynamoDB table whose stream `value` names (`Fn::GetAtt [Table, StreamArn]`). */
  tableStreamOf(value: TemplateValue | undefined): string | undefined {
    return this.reference(value, 'AWS::DynamoDB::Table', ['StreamArn']);
  }
}
