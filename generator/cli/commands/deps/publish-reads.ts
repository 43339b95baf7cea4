import { relative } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { forwardTargets } from '../../../deps/forwards.js';
import { readPins } from '../../../deps/pin.js';
import { publishReaders } from '../../../deps/readers.js';
import { serviceName } from '../../../deps/service-name.js';
import { loadContract } from '../../../model/build-model.js';
import { RegistryCommandError } from '../../../registry/project.js';
import { projectConfig } from '../../deps-shared.js';
import { projectFlag, reportFailure } from '../../registry-shared.js';

interface PublishReadsResult {
  readonly consumer: string;
  readonly written: readonly string[];
  readonly skipped: readonly { subject: string; reason: string }[];
}

export default class DepsPublishReads extends Command {
  static override summary =
    'Tell the producers what this service reads, so their changes cannot break it unnoticed.';

  static override description = `Writes a reads record per pinned dependency into the producer's registry
store: <store>/readers/<this service>/<subject>.json, holding the pinned version, every field it
requires (JSON pointers) and its schema — what this service's generated validator accepts. The
producer's evtgen registry publish and evtgen check then refuse a change that breaks it, naming this
service and the field. With "account" in evtgen.config.json and a producer bus ARN of another
account, the record also names this service's bus (forwardTo): the producer's generate then adds a
rule forwarding the events there. Dependencies read from the producer's working tree are written there; for one
read at a git revision or from AWS, pass --to with a checkout of the producer's specs/registry and
open a pull request with the record.

Exit codes: 0 written; 1 a damaged pin; 2 usage or configuration error.`;

  static override examples = [
    {
      command: '<%= config.bin %> deps publish-reads',
      description: 'Write the records into the producers’ stores.',
    },
    {
      command: '<%= config.bin %> deps publish-reads --to ../orders/specs/registry',
      description: "Write them into a checkout of the producer's repository.",
    },
  ];

  static override enableJsonFlag = true;
  static override flags = {
    to: Flags.directory({
      description: "A producer's registry store folder to write every record to.",
      exists: true,
    }),
    project: projectFlag,
  };

  async run(): Promise<PublishReadsResult | undefined> {
    const { flags } = await this.parse(DepsPublishReads);
    let result: PublishReadsResult;
    try {
      const config = await projectConfig(flags.project);
      const pins = await readPins(config.projectRoot, config.specsDir);
      if (pins.diagnostics.length > 0)
        throw new RegistryCommandError(
          'store',
          'The pinned external events are damaged: nothing was written.',
          pins.diagnostics,
        );
      if (pins.pins.length === 0)
        throw new RegistryCommandError('usage', 'Nothing is pinned: run evtgen deps update first.');
      const consumer = await serviceName(config);
      // Across accounts the record also says where the producer must forward (this service's bus).
      let forwardTo = new Map<string, string>();
      if (config.account) {
        const loaded = await loadContract(config.projectRoot, config.specsDir, { validate: false });
        if (!loaded.model)
          throw new RegistryCommandError(
            'spec',
            'The specs do not load: fix them (evtgen lint) and publish again.',
            loaded.diagnostics.filter((d) => d.severity === 'error'),
          );
        forwardTo = forwardTargets(config, loaded.model);
      }
      result = { consumer, ...(await publishReaders(config, consumer, pins.pins, flags.to, forwardTo)) };
    } catch (error) {
      return reportFailure(error);
    }
    if (!this.jsonEnabled()) {
      for (const path of result.written) this.log(`wrote ${relative(process.cwd(), path) || path}`);
      for (const s of result.skipped) this.log(`skipped ${s.subject}: ${s.reason}`);
    }
    return result;
  }
}
