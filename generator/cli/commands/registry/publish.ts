import { Command, Flags } from '@oclif/core';
import { openProject } from '../../../registry/project.js';
import { type PublishResult, publish } from '../../../registry/registry.js';
import { projectFlag, renderFindings, reportFailure, storeFlag } from '../../registry-shared.js';
import { paint, useColour } from '../../render.js';

export default class RegistryPublish extends Command {
  static override summary = 'Append a registry version for every event type whose schema changed.';

  static override description = `Every event type is a subject named {source}@{DetailType} with immutable,
numbered versions in specs/registry/<subject>.json. A subject whose schema changed (by normalized
content: key order and formatting do not count) gets a new version — unless its compatibility mode
(x-compatibility.mode on the message, else the default for who reads it) says the new schema is
incompatible with the latest version (or, for *-transitive modes, with any version), or that it breaks
a known consumer (a reads record under specs/registry/readers/, published by the consumer with evtgen
deps publish-reads): then nothing is published and the findings are shown, naming the consumer. Publishing holds a lock (specs/registry/.lock), so two runs at
once never reuse a version number. Run evtgen generate afterwards: the generated publishers stamp the
version into detail.schemaVersion.

Exit codes: 0 published or nothing to publish; 1 refused, damaged store or specs that do not load;
2 usage or configuration error.`;

  static override examples = [
    { command: '<%= config.bin %> registry publish --dry-run', description: 'Show what would be published.' },
    {
      command: '<%= config.bin %> registry publish && <%= config.bin %> generate',
      description: 'Publish, then stamp the versions into the generated code.',
    },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    'dry-run': Flags.boolean({ description: 'Show what would be published; write nothing.' }),
    project: projectFlag,
    store: storeFlag,
  };

  async run(): Promise<PublishResult | undefined> {
    const { flags } = await this.parse(RegistryPublish);
    let result: PublishResult;
    try {
      const p = await openProject(flags.project, flags.store);
      result = await publish(p, { dryRun: flags['dry-run'] });
    } catch (error) {
      return reportFailure(error);
    }
    if (!this.jsonEnabled()) {
      const colour = useColour(process.stdout);
      for (const s of result.subjects) {
        const verb =
          s.status === 'unchanged'
            ? paint(`unchanged (v${s.version})`, 'dim', colour)
            : s.status === 'refused'
              ? paint(
                  s.consumersBroken.length > 0
                    ? `refused: breaks consumer ${s.consumersBroken.join(', ')}`
                    : `refused: incompatible under ${s.mode} with ${s.checkedAgainst.map((v) => `v${v}`).join(', ')}`,
                  'red',
                  colour,
                )
              : paint(
                  `${result.dryRun ? 'would publish' : 'published'} v${s.version}${s.status === 'changed' ? ` (${s.mode}: compatible with ${s.checkedAgainst.map((v) => `v${v}`).join(', ') || 'no version'})` : ' (first version)'}`,
                  'green',
                  colour,
                );
        this.log(`${s.subject}  ${verb}${s.modeChanged ? `  mode → ${s.mode}` : ''}`);
        const lines = renderFindings(s.findings, colour, '    ');
        if (lines.length > 0) this.log(lines.join('\n'));
      }
      if (!result.ok)
        this.log(
          paint(
            result.subjects.some((s) => s.consumersBroken.length > 0)
              ? 'Nothing was published: a known consumer validates events against a version this change breaks. Keep the field, or agree the change with the consumer named (it updates its pin and publishes its reads again).'
              : "Nothing was published: make the change compatible, or change the subject's x-compatibility mode.",
            'red',
            colour,
          ),
        );
      else if (result.written.length > 0)
        this.log(`wrote ${result.written.join(', ')}; run evtgen generate to stamp the new versions.`);
    }
    if (!result.ok) process.exitCode = 1;
    return result;
  }
}
