import { Command, Flags } from '@oclif/core';
import { pullFromAws } from '../../../registry/aws.js';
import { openProject } from '../../../registry/project.js';
import { writePulled } from '../../../registry/pulled.js';
import { loadCurrent } from '../../../registry/registry.js';
import { projectFlag, reportFailure } from '../../registry-shared.js';

export default class RegistryPull extends Command {
  static override summary =
    'Read every schema version of an AWS EventBridge Schema Registry for check --against registry:aws.';
  static override description =
    `Writes .evtgen/aws-registry/<registry>/<schema>.json (a cache: add .evtgen/ to .gitignore):
every version's content as deployed. Then evtgen check --against registry:aws compares the specs with
the deployed truth (the latest version, or every version under a *-transitive mode).`;
  static override enableJsonFlag = true;
  static override flags = {
    'registry-name': Flags.string({
      description: 'The EventBridge schema registry (default: the service name).',
    }),
    project: projectFlag,
  };

  async run(): Promise<
    { registryName: string; schemas: { name: string; versions: number }[]; written: string[] } | undefined
  > {
    const { flags } = await this.parse(RegistryPull);
    try {
      const p = await openProject(flags.project);
      const registry = flags['registry-name'] ?? (await loadCurrent(p)).model.service.name;
      const pulled = await pullFromAws(registry);
      const written = await writePulled(p.config, pulled);
      const schemas = pulled.map((s) => ({ name: s.subject, versions: s.versions.length }));
      if (!this.jsonEnabled()) {
        for (const s of schemas) this.log(`${s.name}  ${s.versions} version(s)`);
        this.log(
          `pulled ${schemas.length} schema(s) from ${registry} into .evtgen/aws-registry/${registry}/`,
        );
      }
      return { registryName: registry, schemas, written };
    } catch (error) {
      return reportFailure(error);
    }
  }
}
