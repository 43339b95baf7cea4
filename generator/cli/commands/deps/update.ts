import { Args, Command, Flags } from '@oclif/core';
import { serviceName } from '../../../deps/service-name.js';
import { type DepsResult, updateDependencies } from '../../../deps/update.js';
import { RegistryCommandError } from '../../../registry/project.js';
import { projectConfig, renderPlans } from '../../deps-shared.js';
import { projectFlag, reportFailure } from '../../registry-shared.js';
import { paint, useColour } from '../../render.js';

export default class DepsUpdate extends Command {
  static override summary = "Pin other services' events this service receives, after a compatibility check.";

  static override description = `Reads each dependency of evtgen.config.json ("dependencies": subject →
{"registry": "<the producer's specs/registry>", "rev"?, "version"?, "mode"?}) from the producer's
registry, chooses the highest version its range allows, and compares it with the pinned one through
the check engine under the dependency's mode (default full: the updated consumer reads events still
on the bus, and the consumer still deployed reads the new version). Compatible versions are written
to specs/external/<subject>.json — the file the AsyncAPI documents reference — and the changes are
listed; if any dependency is refused, nothing is written. Run evtgen generate afterwards.

Exit codes: 0 pinned or up to date; 1 refused or a damaged pin or producer registry; 2 usage or
configuration error (unknown subject, no version in range, producer registry not found).`;

  static override examples = [
    {
      command: '<%= config.bin %> deps update',
      description: 'Pin every dependency to the newest version its range allows.',
    },
    {
      command: '<%= config.bin %> deps update com.example.orders@OrderPlaced --dry-run',
      description: 'Show what updating one dependency would change; write nothing.',
    },
  ];

  static override enableJsonFlag = true;
  static override strict = false;
  static override args = {
    subject: Args.string({ description: 'Subjects to update ({source}@{DetailType}); default: all.' }),
  };

  static override flags = {
    'dry-run': Flags.boolean({ description: 'Show what would change; write nothing.' }),
    project: projectFlag,
  };

  async run(): Promise<DepsResult | undefined> {
    const { flags, argv } = await this.parse(DepsUpdate);
    let result: DepsResult;
    try {
      const config = await projectConfig(flags.project);
      if (config.dependencies.length === 0)
        throw new RegistryCommandError(
          'usage',
          'No dependencies: declare the events this service receives from others under "dependencies" in evtgen.config.json.',
        );
      result = await updateDependencies(config, await serviceName(config), {
        subjects: argv as string[],
        dryRun: flags['dry-run'],
      });
    } catch (error) {
      return reportFailure(error);
    }
    if (!this.jsonEnabled()) {
      const colour = useColour(process.stdout);
      const verb = flags['dry-run'] ? 'would pin' : 'pinned';
      this.log(renderPlans(result, colour, { changed: verb, refused: 'refused' }).join('\n'));
      if (!result.ok)
        this.log(
          paint(
            `Nothing was pinned: ${result.consumer} cannot take these versions as they are. Ask the producer to restore what the findings name, or narrow "version" to the pinned one.`,
            'red',
            colour,
          ),
        );
      else if (result.written.length > 0)
        this.log(`wrote ${result.written.length} pin(s) under specs/external/; run evtgen generate.`);
    }
    if (!result.ok) process.exitCode = 1;
    return result;
  }
}
