/**
 * Synthesizing the example app in tests: the user-owned stack (app/cdk/stack.ts) in an App with the
 * context cdk.json gives, and asset bundling switched off (`aws:cdk:bundling-stacks: []`) so a
 * template takes ~3 s instead of bundling six functions; the CLI test (cli-synth.test.ts) bundles
 * for real. Logical ids, policies and properties do not depend on bundling.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { repoRoot } from '../helpers/project.js';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: unknown;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: Stack;
  readonly template: Template;
  readonly resources: Record<string, CfnResource>;
}

/** The context of the committed cdk.json (JWT issuer/audience placeholders). */
export async function cdkJsonContext(root = repoRoot): Promise<Record<string, unknown>> {
  const cdkJson = JSON.parse(await readFile(join(root, 'cdk.json'), 'utf8')) as { context?: object };
  return { ...(cdkJson.context ?? {}) };
}

export function newApp(context: Record<string, unknown>, bundle = false): App {
  return new App({ context: { ...context, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
}

export function synthesized(app: App, stack: Stack): Synthesized {
  const template = Template.fromStack(stack);
  const resources = (template.toJSON() as { Resources: Record<string, CfnResource> }).Resources;
  return { app, stack, template, resources };
}

export function ofType(resources: Record<string, CfnResource>, type: string): [string, CfnResource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** `{Ref: id}` / `{'Fn::GetAtt': [id, attr]}` → the logical id it names. */
export function refId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

export interface StackTemplate {
  /** The construct path of the stack (the parent's id, or `…/Api/CreateOrder` for a nested one). */
  readonly path: string;
  readonly stack: Stack;
  readonly template: { Resources: Record<string, CfnResource>; Parameters?: Record<string, unknown> };
}

/** The template of `stack` and of every stack nested in it (depth first, by construct path). */
export function stackTemplates(stack: Stack): StackTemplate[] {
  const nested = stack.node
    .findAll()
    .filter((c): c is NestedStack => NestedStack.isNestedStack(c))
    .sort((a, b) => a.node.path.localeCompare(b.node.path));
  return [stack, ...nested].map((s) => ({
    path: s.node.path,
    stack: s,
    template: Template.fromStack(s).toJSON() as StackTemplate['template'],
  }));
}

/** Every resource of `stack` and its nested stacks, by `<stack path>#<logical id>`. */
export function allResources(stack: Stack): Record<string, CfnResource> {
  return Object.fromEntries(
    stackTemplates(stack).flatMap(({ path, template }) =>
      Object.entries(template.Resources).map(([id, r]) => [`${path}#${id}`, r]),
    ),
  );
}

/** The nested stack holding `construct` (its nearest enclosing stack), or undefined in the parent. */
export function nestedStackOf(construct: IConstruct): NestedStack | undefined {
  const stack = Stack.of(construct);
  return NestedStack.isNestedStack(stack) ? stack : undefined;
}
