import { Args, Command } from '@oclif/core';
import { openProject } from '../../../registry/project.js';
import { type DiffResult, diff } from '../../../registry/registry.js';
import { projectFlag, renderFindings, reportFailure, storeFlag } from '../../registry-shared.js';
import { paint, useColour } from '../../render.js';

export default class RegistryDiff extends Command {
  static override summary =
    "Compare two versions of a subject with the check engine, under the subject's mode.";
  static override description = `Reports every change from version <a> to version <b> with its rule id,
its backward/forward verdicts and the level the subject's mode gives it (the same engine and rules as
evtgen check). Exit codes: 0 compatible under the mode; 1 an error-level finding; 2 usage error.`;
  static override enableJsonFlag = true;
  static override args = {
    subject: Args.string({ description: '{source}@{DetailType}', required: true }),
    a: Args.integer({ description: 'The older version.', required: true }),
    b: Args.integer({ description: 'The newer version.', required: true }),
  };
  static override flags = { project: projectFlag, store: storeFlag };

  async run(): Promise<DiffResult | undefined> {
    const { args, flags } = await this.parse(RegistryDiff);
    let result: DiffResult;
    try {
      result = await diff(await openProject(flags.project, flags.store), args.subject, args.a, args.b);
    } catch (error) {
      return reportFailure(error);
    }
    const errors = result.findings.filter((f) => f.level === 'error').length;
    if (!this.jsonEnabled()) {
      const colour = useColour(process.stdout);
      this.log(
        paint(`${result.subject}: v${result.from} → v${result.to} (mode ${result.mode})`, 'bold', colour),
      );
      this.log(paint(`reading policy: ${result.policy}`, 'dim', colour));
      const lines = renderFindings(result.findings, colour);
      if (lines.length > 0) this.log(lines.join('\n'));
      this.log(
        result.findings.length === 0
          ? paint('No changes that matter to any reader.', 'green', colour)
          : errors > 0
            ? paint(`${errors} incompatible under ${result.mode}.`, 'red', colour)
            : paint(`compatible under ${result.mode}.`, 'green', colour),
      );
    }
    if (errors > 0) process.exitCode = 1;
    return result;
  }
}
