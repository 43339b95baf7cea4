/**
 * A deployed stack, read back through CloudFormation: its template as deployed (nested stacks
 * flattened the way `evtgen dev` flattens them, see dev/nested.ts) and the physical id of every
 * resource, keyed by the same flattened logical ids (`<NestedStackId>/<LogicalId>`). The template,
 * not the local CDK app, is the source: it is what runs, even when the checkout has moved on.
 */
import {
  type CloudFormationClient,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { flattenNestedStacks, nestedIdSeparator } from '../../dev/nested.js';
import type { CfnTemplate } from '../../dev/template.js';
import { planFromTemplate } from '../../dev/template-plan.js';
import { type StackTopology, stackTopology } from './stack-topology.js';

export interface DeployedStack {
  readonly stackName: string;
  /** The deployed template, nested stacks flattened. */
  readonly template: CfnTemplate;
  /** Flattened logical id → physical id (queue URL, function name, `bus|rule` of a rule…). */
  readonly physicalIds: Readonly<Record<string, string>>;
}

const stackType = 'AWS::CloudFormation::Stack';

/** Reads `stackName` (a name or an ARN) and its nested stacks, however deep. */
export async function readDeployedStack(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<DeployedStack> {
  const templates = new Map<string, CfnTemplate>();
  const physicalIds: Record<string, string> = {};
  const visit = async (stack: string, prefix: string, depth: number): Promise<CfnTemplate> => {
    if (depth > 16) throw new Error(`${stackName}: nested stacks go more than 16 levels deep`);
    const template = await getTemplate(cloudFormation, stack);
    for (const resource of await listResources(cloudFormation, stack)) {
      const id = resource.LogicalResourceId;
      if (!id || !resource.PhysicalResourceId) continue;
      physicalIds[`${prefix}${id}`] = resource.PhysicalResourceId;
      if (resource.ResourceType === stackType)
        templates.set(
          `${prefix}${id}`,
          await visit(resource.PhysicalResourceId, `${prefix}${id}${nestedIdSeparator}`, depth + 1),
        );
    }
    return template;
  };
  const root = await visit(stackName, '', 0);
  // flattenNestedStacks names a nested stack by its id in its parent; the map is keyed by full path.
  const flatten = (template: CfnTemplate, prefix: string): CfnTemplate =>
    flattenNestedStacks(template, (id) => {
      const child = templates.get(`${prefix}${id}`);
      if (!child) throw new Error(`${stackName}: the nested stack ${prefix}${id} has no template`);
      return flatten(child, `${prefix}${id}${nestedIdSeparator}`);
    });
  return { stackName, template: flatten(root, ''), physicalIds };
}

/**
 * The stack's consumers and dead-letter queues by physical name (see stack-topology.ts); throws an
 * Error starting with `--stack NAME:` that says what is wrong (missing, unreadable, not this
 * contract's).
 */
export async function readDeployedTopology(
  cloudFormation: CloudFormationClient,
  stackName: string,
  region: string,
): Promise<StackTopology> {
  const deployed = await readDeployedStack(cloudFormation, stackName).catch((error: Error) => {
    throw new Error(`--stack ${stackName}: CloudFormation could not read it (${error.message}).`);
  });
  const topology = stackTopology(
    planFromTemplate(deployed.template, stackName, { region }),
    deployed.physicalIds,
  );
  if (topology.consumers.length === 0)
    throw new Error(
      `--stack ${stackName}: no rule of the stack delivers to a consumer; is it the stack of this contract?`,
    );
  return topology;
}

async function getTemplate(cloudFormation: CloudFormationClient, stack: string): Promise<CfnTemplate> {
  const { TemplateBody } = await cloudFormation.send(
    new GetTemplateCommand({ StackName: stack, TemplateStage: 'Original' }),
  );
  if (!TemplateBody) throw new Error(`${stack}: CloudFormation returned no template`);
  try {
    return JSON.parse(TemplateBody) as CfnTemplate;
  } catch {
    throw new Error(
      `${stack}: the deployed template is not JSON (a CDK app deploys JSON; YAML templates are not read)`,
    );
  }
}

async function listResources(
  cloudFormation: CloudFormationClient,
  stack: string,
): Promise<StackResourceSummary[]> {
  const found: StackResourceSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: stack, ...(NextToken ? { NextToken } : {}) }),
    );
    found.push(...(page.StackResourceSummaries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}
