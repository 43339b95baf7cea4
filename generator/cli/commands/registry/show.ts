import { Args, Command, Flags } from '@oclif/core';
import { openProject } from '../../../registry/project.js';
import { findSubject, versionOf } from '../../../registry/registry.js';
import type { RegistryVersion } from '../../../registry/store.js';
import { projectFlag, reportFailure, storeFlag } from '../../registry-shared.js';

export default class RegistryShow extends Command {
  static override summary = 'Show a version of a subject (default: the latest): its record and schema.';
  static override enableJsonFlag = true;
  static override args = { subject: Args.string({ description: '{source}@{DetailType}', required: true }) };
  static override flags = {
    version: Flags.integer({ char: 'v', description: 'The version number (default: the latest).', min: 1 }),
    project: projectFlag,
    store: storeFlag,
  };

  async run(): Promise<(RegistryVersion & { subject: string; mode: string }) | undefined> {
    const { args, flags } = await this.parse(RegistryShow);
    try {
      const stored = await findSubject(await openProject(flags.project, flags.store), args.subject);
      const v = versionOf(stored, flags.version);
      if (!this.jsonEnabled()) {
        this.log(`${stored.subject} v${v.version} of ${stored.versions.length} (mode ${stored.mode})`);
        this.log(
          `published ${v.publishedAt} from spec version ${v.specVersion}, commit ${v.commit ?? '(none)'}`,
        );
        this.log(`content ${v.contentHash}`);
        this.log(JSON.stringify(v.schema, null, 2));
      }
      return { subject: stored.subject, mode: stored.mode, ...v };
    } catch (error) {
      return reportFailure(error);
    }
  }
}
