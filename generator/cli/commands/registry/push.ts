import { Command, Flags } from '@oclif/core';
import { type PushedSchema, pushToAws } from '../../../registry/aws.js';
import { openProject } from '../../../registry/project.js';
import { loadCurrent } from '../../../registry/registry.js';
import { projectFlag, reportFailure } from '../../registry-shared.js';

export default class RegistryPush extends Command {
  static override summary = 'Create or update the event schemas in an AWS EventBridge Schema Registry.';
  static override description =
    `Each event type becomes the schema {source}@{DetailType} (type JSONSchemaDraft4, the
whole EventBridge event as the CDK app deploys it). A schema is created when absent and updated only
when its latest content differs (normalized hash): AWS keeps at most 100 versions per schema.
Region and credentials come from the usual AWS configuration (environment, profile, role);
AWS_ENDPOINT_URL_SCHEMAS points the SDK elsewhere. Throttled calls are retried with backoff.

Exit codes: 0 pushed; 1 an AWS error (not found, access denied, throttled …); 2 usage error.`;
  static override enableJsonFlag = true;
  static override flags = {
    'registry-name': Flags.string({
      description: 'The EventBridge schema registry (default: the service name).',
    }),
    'dry-run': Flags.boolean({ description: 'Show what would be created or updated; change nothing.' }),
    project: projectFlag,
  };

  async run(): Promise<PushedSchema[] | undefined> {
    const { flags } = await this.parse(RegistryPush);
    try {
      const snap = await loadCurrent(await openProject(flags.project));
      const registry = flags['registry-name'] ?? snap.model.service.name;
      const pushed = await pushToAws(snap.model, registry, { dryRun: flags['dry-run'] });
      if (!this.jsonEnabled())
        for (const p of pushed)
          this.log(
            `${p.schemaName}  ${flags['dry-run'] && p.action !== 'unchanged' ? `would be ${p.action}` : p.action}${p.version ? ` (AWS version ${p.version})` : ''}`,
          );
      return pushed;
    } catch (error) {
      return reportFailure(error);
    }
  }
}
