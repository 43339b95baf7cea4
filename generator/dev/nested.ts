/**
 * Nested stacks (`layout: 'nested'`) flattened into one template, so `evtgen dev` runs the nested
 * layout exactly like the single one. A nested resource keeps its logical id behind its stack's
 * (`<NestedStackId>/<LogicalId>`, unique across nested templates that reuse ids like
 * `HandlerFunction…`); a nested `Ref` of a parameter becomes the value the parent passes (an
 * intrinsic in the parent's scope), and the parent's `Fn::GetAtt [Stack, Outputs.X]` becomes the
 * nested template's output X. Pure: the caller loads the nested templates.
 */
import type { TemplateValue } from './plan.js';
import {
  type CfnResource,
  type CfnTemplate,
  getAttParts,
  intrinsicName,
  isMap,
  literalMap,
  type TemplateMap,
} from './template.js';

/** Returns the template of the nested stack resource `logicalId` (throws when it is not available). */
export type NestedTemplateLoader = (logicalId: string, resource: CfnResource) => CfnTemplate;

/** Between a nested stack's logical id and the ids of its resources in the flattened template. */
export const nestedIdSeparator = '/';

const stackType = 'AWS::CloudFormation::Stack';

/** `template` with every `AWS::CloudFormation::Stack` replaced by its (recursively flattened) resources. */
export function flattenNestedStacks(
  template: CfnTemplate,
  load: NestedTemplateLoader,
  depth = 0,
): CfnTemplate {
  const entries = Object.entries(template.Resources);
  if (!entries.some(([, r]) => r.Type === stackType)) return template;
  if (depth > 16) throw new Error('Nested stacks are nested more than 16 levels deep');
  const resources: Record<string, CfnResource> = {};
  const outputs: Record<string, Record<string, TemplateValue>> = {};
  for (const [id, resource] of entries) {
    if (resource.Type !== stackType) {
      resources[id] = resource;
      continue;
    }
    const where = `${id} (${stackType})`;
    if (resource.Condition !== undefined)
      throw new Error(`${where}: conditional nested stacks are not supported by evtgen dev`);
    const child = flattenNestedStacks(load(id, resource), load, depth + 1);
    if (Object.keys(child.Conditions ?? {}).length > 0)
      throw new Error(`${where}: its template has Conditions, which evtgen dev does not evaluate`);
    const passed = literalMap(resource.Properties?.Parameters, `${where} Parameters`);
    const rename = childScope(`${id}${nestedIdSeparator}`, child, passed, where);
    for (const [childId, childResource] of Object.entries(child.Resources)) {
      resources[`${id}${nestedIdSeparator}${childId}`] = withProperties(childResource, rename);
    }
    outputs[id] = Object.fromEntries(
      Object.entries(child.Outputs ?? {}).map(([name, o]) => [name, rename(o.Value)]),
    );
  }
  const parentScope = (value: TemplateValue) => replaceOutputs(value, outputs, 0);
  return {
    ...template,
    Resources: Object.fromEntries(
      Object.entries(resources).map(([id, r]) => [id, withProperties(r, parentScope)]),
    ),
    ...(template.Outputs
      ? {
          Outputs: Object.fromEntries(
            Object.entries(template.Outputs).map(([name, o]) => [
              name,
              { ...o, Value: parentScope(o.Value) },
            ]),
          ),
        }
      : {}),
  };
}

function withProperties(
  resource: CfnResource,
  rewrite: (value: TemplateValue) => TemplateValue,
): CfnResource {
  return resource.Properties
    ? { ...resource, Properties: rewrite(resource.Properties) as TemplateMap }
    : resource;
}

function mapEntries(value: TemplateMap, rewrite: (value: TemplateValue) => TemplateValue): TemplateMap {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item)]));
}

/** Rewrites a value of the nested template into the parent's scope. */
function childScope(
  prefix: string,
  child: CfnTemplate,
  passed: TemplateMap,
  where: string,
): (value: TemplateValue) => TemplateValue {
  const ids = new Set(Object.keys(child.Resources));
  const isParameter = (name: string) => child.Parameters?.[name] !== undefined;
  const parameter = (name: string): TemplateValue => {
    const value = passed[name] ?? child.Parameters?.[name]?.Default;
    if (value === undefined)
      throw new Error(`${where}: the nested template's parameter ${name} has no value`);
    return value;
  };
  const rewrite = (value: TemplateValue): TemplateValue => {
    if (Array.isArray(value)) return (value as readonly TemplateValue[]).map(rewrite);
    if (!isMap(value)) return value;
    const name = intrinsicName(value);
    const argument = name ? value[name] : undefined;
    if (name === 'Ref' && typeof argument === 'string') {
      if (ids.has(argument)) return { Ref: `${prefix}${argument}` };
      return isParameter(argument) ? parameter(argument) : value;
    }
    if (name === 'Fn::GetAtt') {
      const parts = getAttParts(argument);
      if (parts?.attribute !== undefined && ids.has(parts.id))
        return { 'Fn::GetAtt': [`${prefix}${parts.id}`, parts.attribute] };
      return { 'Fn::GetAtt': rewrite(argument ?? null) };
    }
    if (name === 'Fn::Sub') return rewriteSub(argument ?? null);
    return mapEntries(value, rewrite);
  };
  const rewriteSub = (argument: TemplateValue): TemplateValue => {
    const [text, variables = {}] = Array.isArray(argument)
      ? (argument as readonly TemplateValue[])
      : [argument];
    if (typeof text !== 'string' || !isMap(variables)) return { 'Fn::Sub': rewrite(argument) };
    const added: Record<string, TemplateValue> = {};
    const renamed = text.replace(/\$\{([^}]*)\}/g, (match, placeholder: string) => {
      if (placeholder.startsWith('!') || placeholder in variables) return match;
      const dot = placeholder.indexOf('.');
      if (ids.has(dot > 0 ? placeholder.slice(0, dot) : placeholder)) return `\${${prefix}${placeholder}}`;
      // A parameter's value is an intrinsic in the parent's scope: pass it as a Sub variable.
      if (dot < 0 && isParameter(placeholder)) added[placeholder] = parameter(placeholder);
      return match;
    });
    const all = { ...mapEntries(variables, rewrite), ...added };
    return { 'Fn::Sub': Object.keys(all).length > 0 ? [renamed, all] : renamed };
  };
  return rewrite;
}

/** Replaces `Fn::GetAtt [NestedStack, Outputs.X]` (and `${NestedStack.Outputs.X}`) by the output's value. */
function replaceOutputs(
  value: TemplateValue,
  outputs: Readonly<Record<string, Readonly<Record<string, TemplateValue>>>>,
  depth: number,
): TemplateValue {
  if (depth > 32) throw new Error('Nested stack outputs refer to each other in a cycle');
  const output = (stack: string, attribute: string): TemplateValue | undefined => {
    const stackOutputs = outputs[stack];
    if (!stackOutputs || !attribute.startsWith('Outputs.')) return undefined;
    const found = stackOutputs[attribute.slice('Outputs.'.length)];
    if (found === undefined)
      throw new Error(`Fn::GetAtt ${stack}.${attribute}: the nested template has no such output`);
    return replaceOutputs(found, outputs, depth + 1);
  };
  const rewrite = (item: TemplateValue): TemplateValue => {
    if (Array.isArray(item)) return (item as readonly TemplateValue[]).map(rewrite);
    if (!isMap(item)) return item;
    const name = intrinsicName(item);
    if (name === 'Fn::GetAtt') {
      const parts = getAttParts(item[name]);
      const replaced = parts?.attribute === undefined ? undefined : output(parts.id, parts.attribute);
      if (replaced !== undefined) return replaced;
    }
    if (name === 'Fn::Sub') {
      const argument = item[name] ?? null;
      const [text, variables = {}] = Array.isArray(argument)
        ? (argument as readonly TemplateValue[])
        : [argument];
      if (typeof text === 'string' && isMap(variables)) {
        const added: Record<string, TemplateValue> = {};
        for (const [, placeholder = ''] of text.matchAll(/\$\{([^}]*)\}/g)) {
          const dot = placeholder.indexOf('.');
          const replaced =
            dot > 0 ? output(placeholder.slice(0, dot), placeholder.slice(dot + 1)) : undefined;
          if (replaced !== undefined) added[placeholder] = replaced;
        }
        const all = { ...mapEntries(variables, rewrite), ...added };
        return { 'Fn::Sub': Object.keys(all).length > 0 ? [text, all] : text };
      }
    }
    return mapEntries(item, rewrite);
  };
  return rewrite(value);
}
