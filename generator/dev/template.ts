/**
 * The shape of a synthesized CloudFormation template as `evtgen dev` reads it, and the small helpers
 * the plan, the nested-stack flattening and the intrinsics share: what a `Ref`/`Fn::GetAtt` points
 * at, and reading literal property values with errors that name the resource and property (a
 * template is the user's code: a wrong guess would run something else than what deploys).
 */
import type { TemplateValue } from './plan.js';

/** A map value of a template (properties, intrinsic arguments…). */
export type TemplateMap = { readonly [key: string]: TemplateValue };

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: TemplateMap;
  readonly Metadata?: TemplateMap;
  readonly Condition?: string;
  readonly DependsOn?: TemplateValue;
}

export interface CfnParameter {
  readonly Type?: string;
  readonly Default?: TemplateValue;
}

export interface CfnTemplate {
  readonly Description?: string;
  readonly Resources: Readonly<Record<string, CfnResource>>;
  readonly Parameters?: Readonly<Record<string, CfnParameter>>;
  readonly Outputs?: Readonly<Record<string, { readonly Value: TemplateValue }>>;
  readonly Conditions?: TemplateMap;
}

/** A `Ref` (no attribute) or `Fn::GetAtt` of a logical id. */
export interface ResourceReference {
  readonly id: string;
  readonly attribute?: string;
}

/** True for a map (not a list, not null). */
export function isMap(value: TemplateValue | undefined): value is TemplateMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The intrinsic function of a value (`Ref`, `Fn::Join`…): a map with one key that names one. */
export function intrinsicName(value: TemplateValue | undefined): string | undefined {
  if (!isMap(value)) return undefined;
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))
    ? key
    : undefined;
}

/** `{Ref: id}`, `{'Fn::GetAtt': [id, attr]}` or `{'Fn::GetAtt': 'id.attr'}` → what it names. */
export function referenceOf(value: TemplateValue | undefined): ResourceReference | undefined {
  if (!isMap(value)) return undefined;
  if (intrinsicName(value) === 'Ref' && typeof value.Ref === 'string') return { id: value.Ref };
  if (intrinsicName(value) !== 'Fn::GetAtt') return undefined;
  return getAttParts(value['Fn::GetAtt']);
}

/** The logical id and attribute of a `Fn::GetAtt` argument (list or dotted string form). */
export function getAttParts(argument: TemplateValue | undefined): ResourceReference | undefined {
  if (typeof argument === 'string') {
    const dot = argument.indexOf('.');
    return dot > 0 ? { id: argument.slice(0, dot), attribute: argument.slice(dot + 1) } : undefined;
  }
  if (Array.isArray(argument) && argument.length === 2) {
    const [id, attribute] = argument as readonly TemplateValue[];
    if (typeof id === 'string' && typeof attribute === 'string') return { id, attribute };
  }
  return undefined;
}

/** Readable text of a template value for error messages (short). */
export function show(value: TemplateValue | undefined): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** A literal string property, or undefined when absent; anything else is an error naming `where`. */
export function literalString(value: TemplateValue | undefined, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw new Error(`${where}: expected a literal string, found ${show(value)}`);
}

/** A literal number property (CloudFormation also takes numeric strings), or undefined when absent. */
export function literalNumber(value: TemplateValue | undefined, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  throw new Error(`${where}: expected a number, found ${show(value)}`);
}

/** A literal boolean property (`true`/`"true"`), or undefined when absent. */
export function literalBoolean(value: TemplateValue | undefined, where: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`${where}: expected a boolean, found ${show(value)}`);
}

/** A list property (empty when absent). */
export function literalList(value: TemplateValue | undefined, where: string): readonly TemplateValue[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value as readonly TemplateValue[];
  throw new Error(`${where}: expected a list, found ${show(value)}`);
}

/** A map property (empty when absent). */
export function literalMap(value: TemplateValue | undefined, where: string): TemplateMap {
  if (value === undefined) return {};
  if (isMap(value) && intrinsicName(value) === undefined) return value;
  throw new Error(`${where}: expected a map, found ${show(value)}`);
}

/**
 * Every resource reference inside `value`: `Ref`, `Fn::GetAtt` and `Fn::Sub` placeholders
 * (`${Id}`, `${Id.Attr}`; `${!…}` escapes and the Sub's own variables excluded), in order.
 */
export function referencesIn(value: TemplateValue | undefined): ResourceReference[] {
  const found: ResourceReference[] = [];
  const visit = (item: TemplateValue | undefined): void => {
    if (Array.isArray(item)) {
      for (const element of item as readonly TemplateValue[]) visit(element);
      return;
    }
    if (!isMap(item)) return;
    const reference = referenceOf(item);
    if (reference) {
      found.push(reference);
      return;
    }
    if (intrinsicName(item) === 'Fn::Sub') {
      const argument = item['Fn::Sub'];
      const [text, variables] = Array.isArray(argument) ? (argument as readonly TemplateValue[]) : [argument];
      if (typeof text === 'string') found.push(...subPlaceholders(text, isMap(variables) ? variables : {}));
      if (isMap(variables)) visit(Object.values(variables));
      return;
    }
    for (const element of Object.values(item)) visit(element);
  };
  visit(value);
  return found;
}

/** The resource references of a `Fn::Sub` string (not its variables, not escapes). */
export function subPlaceholders(text: string, variables: TemplateMap): ResourceReference[] {
  const found: ResourceReference[] = [];
  for (const [, name = ''] of text.matchAll(/\$\{([^}]*)\}/g)) {
    if (name.startsWith('!') || name in variables || name.startsWith('AWS::')) continue;
    const dot = name.indexOf('.');
    found.push(dot > 0 ? { id: name.slice(0, dot), attribute: name.slice(dot + 1) } : { id: name });
  }
  return found;
}
