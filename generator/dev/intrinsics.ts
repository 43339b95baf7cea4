/**
 * CloudFormation's intrinsic functions, evaluated against what provisioning created in the emulator:
 * a function's environment (`ORDERS_TABLE_NAME: {Ref: OrdersTable…}`) must hold the local physical
 * values, exactly as CloudFormation would fill them in on deploy. Conditions (`Fn::If`…), imports
 * and mappings are refused with a message naming what asked for them, never guessed.
 */
import type { DevFunction, ProvisionedResources, TemplateValue } from './plan.js';
import { getAttParts, intrinsicName, isMap, show } from './template.js';

/** A value with every intrinsic evaluated (same shape as a template value, without functions). */
export type ResolvedValue = TemplateValue;

export interface ResolveContext {
  readonly stackName: string;
  /** The values `Ref` of a template parameter gives (`DevPlan.parameters` holds the defaults). */
  readonly parameters?: Readonly<Record<string, string | readonly string[]>>;
  /** What is being resolved, for error messages (`environment variable X of function Y`). */
  readonly where?: string;
}

interface Scope {
  readonly provisioned: ProvisionedResources;
  readonly context: ResolveContext;
}

/**
 * Evaluates every intrinsic in `value`: `Ref` (resources, parameters and the pseudo parameters
 * AWS::Region, AccountId, Partition, StackName, StackId, URLSuffix, NoValue), `Fn::GetAtt` (list
 * and dotted forms), `Fn::Join`, `Fn::Sub` (both forms), `Fn::Select`, `Fn::Split` and `Fn::Base64`.
 * Returns undefined for `AWS::NoValue` (and drops it from lists and maps, as CloudFormation does).
 * Throws an Error naming the reference when something cannot be resolved.
 */
export function resolveValue(
  value: TemplateValue,
  provisioned: ProvisionedResources,
  context: ResolveContext,
): ResolvedValue | undefined {
  return resolve(value, { provisioned, context });
}

/** Like resolveValue, for values that must be a string (numbers are written as CloudFormation does). */
export function resolveString(
  value: TemplateValue,
  provisioned: ProvisionedResources,
  context: ResolveContext,
): string {
  const resolved = resolveValue(value, provisioned, context);
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  throw fail({ provisioned, context }, `expected a string, ${show(value)} gives ${show(resolved)}`);
}

/**
 * The environment of a function with the local physical values (queue URLs, table names…), as
 * Lambda would hand it to the handler. Variables that resolve to `AWS::NoValue` are left out.
 */
export function resolveEnvironment(
  fn: DevFunction,
  provisioned: ProvisionedResources,
  context: ResolveContext,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(fn.environment)) {
    const where = `environment variable ${name} of function ${fn.name} (${fn.logicalId})`;
    const resolved = resolveValue(value, provisioned, { ...context, where });
    if (resolved === undefined) continue;
    if (typeof resolved === 'string') environment[name] = resolved;
    else if (typeof resolved === 'number' || typeof resolved === 'boolean')
      environment[name] = String(resolved);
    else throw new Error(`${where}: expected a string, found ${show(resolved)}`);
  }
  return environment;
}

function fail(scope: Scope, message: string): Error {
  return new Error(scope.context.where ? `${scope.context.where}: ${message}` : message);
}

function resolve(value: TemplateValue, scope: Scope): ResolvedValue | undefined {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return resolveList(value as readonly TemplateValue[], scope);
  const name = intrinsicName(value);
  if (!isMap(value)) return value;
  if (name === undefined) {
    const out: Record<string, ResolvedValue> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = resolve(item, scope);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
  const argument = value[name] as TemplateValue;
  switch (name) {
    case 'Ref':
      if (typeof argument !== 'string') throw fail(scope, `Ref takes a logical id, found ${show(argument)}`);
      return ref(argument, scope);
    case 'Fn::GetAtt':
      return getAtt(argument, scope);
    case 'Fn::Join':
      return join(argument, scope);
    case 'Fn::Sub':
      return sub(argument, scope);
    case 'Fn::Select':
      return select(argument, scope);
    case 'Fn::Split':
      return split(argument, scope);
    case 'Fn::Base64':
      return Buffer.from(text(resolve(argument, scope), 'Fn::Base64', scope), 'utf8').toString('base64');
    default:
      throw fail(
        scope,
        `${name} is not supported by evtgen dev (conditions, imports and mappings are not evaluated locally): ${show(value)}`,
      );
  }
}

function resolveList(list: readonly TemplateValue[], scope: Scope): ResolvedValue[] {
  const out: ResolvedValue[] = [];
  for (const item of list) {
    const resolved = resolve(item, scope);
    if (resolved !== undefined) out.push(resolved);
  }
  return out;
}

function ref(id: string, scope: Scope): ResolvedValue | undefined {
  const { provisioned, context } = scope;
  switch (id) {
    case 'AWS::Region':
      return provisioned.region;
    case 'AWS::AccountId':
      return provisioned.account;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return context.stackName;
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${provisioned.region}:${provisioned.account}:stack/${context.stackName}/00000000-0000-0000-0000-000000000000`;
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::NoValue':
      return undefined;
  }
  const parameter = context.parameters?.[id];
  if (parameter !== undefined) return parameter;
  const physical = provisioned.refs[id];
  if (physical !== undefined) return physical;
  throw fail(scope, `Ref ${id}: no such resource was provisioned and no such parameter has a value`);
}

function getAtt(argument: TemplateValue, scope: Scope): string {
  // The attribute name may itself be a parameter (`[Id, {Ref: Attr}]`).
  const list = Array.isArray(argument) ? resolveList(argument as readonly TemplateValue[], scope) : argument;
  const parts = getAttParts(list);
  if (!parts?.attribute)
    throw fail(scope, `Fn::GetAtt takes [logicalId, attribute], found ${show(argument)}`);
  return attribute(parts.id, parts.attribute, scope);
}

function attribute(id: string, name: string, scope: Scope): string {
  const attributes = scope.provisioned.attributes[id];
  const value = attributes?.[name];
  if (value !== undefined) return value;
  if (!attributes) throw fail(scope, `Fn::GetAtt ${id}.${name}: no such resource was provisioned`);
  const known = Object.keys(attributes).join(', ') || 'none';
  throw fail(scope, `Fn::GetAtt ${id}.${name}: ${id} has no attribute ${name} locally (it has: ${known})`);
}

function text(value: ResolvedValue | undefined, what: string, scope: Scope): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw fail(scope, `${what} needs a string, found ${show(value)}`);
}

function twoArguments(argument: TemplateValue, what: string, scope: Scope): [TemplateValue, TemplateValue] {
  if (Array.isArray(argument) && argument.length === 2) {
    const [first, second] = argument as readonly TemplateValue[];
    if (first !== undefined && second !== undefined) return [first, second];
  }
  throw fail(scope, `${what} takes two arguments, found ${show(argument)}`);
}

function join(argument: TemplateValue, scope: Scope): string {
  const [delimiter, list] = twoArguments(argument, 'Fn::Join', scope);
  const items = resolve(list, scope);
  if (!Array.isArray(items)) throw fail(scope, `Fn::Join needs a list, found ${show(list)}`);
  return (items as readonly ResolvedValue[])
    .map((item) => text(item, 'Fn::Join', scope))
    .join(text(delimiter, 'Fn::Join', scope));
}

function select(argument: TemplateValue, scope: Scope): ResolvedValue | undefined {
  const [index, list] = twoArguments(argument, 'Fn::Select', scope);
  const position = Number(text(resolve(index, scope), 'Fn::Select', scope));
  const items = resolve(list, scope);
  if (!Array.isArray(items)) throw fail(scope, `Fn::Select needs a list, found ${show(list)}`);
  const item = (items as readonly ResolvedValue[])[position];
  if (!Number.isInteger(position) || item === undefined)
    throw fail(scope, `Fn::Select: index ${position} is outside the list ${show(items)}`);
  return item;
}

function split(argument: TemplateValue, scope: Scope): string[] {
  const [delimiter, source] = twoArguments(argument, 'Fn::Split', scope);
  return text(resolve(source, scope), 'Fn::Split', scope).split(text(delimiter, 'Fn::Split', scope));
}

function sub(argument: TemplateValue, scope: Scope): string {
  let template: TemplateValue = argument;
  let variables: Readonly<Record<string, TemplateValue>> = {};
  if (Array.isArray(argument)) {
    const [first, second] = twoArguments(argument, 'Fn::Sub', scope);
    if (!isMap(second)) throw fail(scope, `Fn::Sub variables must be a map, found ${show(second)}`);
    template = first;
    variables = second;
  }
  if (typeof template !== 'string') throw fail(scope, `Fn::Sub needs a string, found ${show(template)}`);
  return template.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
    // `${!Literal}` is the escape for a literal `${Literal}`.
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const variable = variables[name];
    if (variable !== undefined) return text(resolve(variable, scope), `Fn::Sub variable ${name}`, scope);
    const dot = name.indexOf('.');
    if (dot > 0) return attribute(name.slice(0, dot), name.slice(dot + 1), scope);
    return text(ref(name, scope), `Fn::Sub \${${name}}`, scope);
  });
}
