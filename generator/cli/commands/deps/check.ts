import { Args, Command } from '@oclif/core';
import { serviceName } from '../../../deps/service-name.js';
import { type DepsResult, planDependencies } from '../../../deps/update.js';
import { projectConfig, renderPlans } from '../../deps-shared.js';
import { projectFlag, reportFailure } from '../../registry-shared.js';
import { paint, useColour } from '../../render.js';

export default class DepsCheck extends Command {
  static override summary = 'Can this service still read what its producers publish now?';

  static override description = `For each dependency, compares the pinned version (what the deployed
consumer validates against) with the producer's latest published version, whatever the range: every
event of the latest version must be valid under the pin (forward compatibility). Run it in the
consumer's CI, on a schedule too: it fails when a producer published a version this consumer rejects.
Nothing is written.

Exit codes: 0 the pins read every latest version; 1 a producer's latest version breaks this consumer,
or a pin is missing or damaged; 2 usage or configuration error.`;

  static override examples = [
    {
      command: '<%= config.bin %> deps check',
      description: "Check every pin against its producer's latest version.",
    },
  ];

  static override enableJsonFlag = true;
  static override strict = false;
  static override args = {
    subject: Args.string({ description: 'Subjects to check ({source}@{DetailType}); default: all.' }),
  };

  static override flags = { project: projectFlag };

  async run(): Promise<DepsResult | undefined> {
    const { flags, argv } = await this.parse(DepsCheck);
    let result: DepsResult;
    try {
      const config = await projectConfig(flags.project);
      const consumer = await serviceName(config);
      const { plans } = await planDependencies(config, consumer, {
        subjects: argv as string[],
        against: 'latest',
      });
      result = {
        ok: plans.every((p) => p.status !== 'refused' && p.status !== 'new'),
        consumer,
        plans,
        written: [],
      };
    } catch (error) {
      return reportFailure(error);
    }
    if (!this.jsonEnabled()) {
      const colour = useColour(process.stdout);
      this.log(
        renderPlans(result, colour, { changed: 'reads', refused: `${result.consumer} cannot read` }).join(
          '\n',
        ),
      );
      for (const plan of result.plans.filter((p) => p.status === 'new'))
        this.log(paint(`${plan.subject} is not pinned yet: run evtgen deps update.`, 'red', colour));
    }
    if (!result.ok) process.exitCode = 1;
    return result;
  }
}
