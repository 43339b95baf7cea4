import { Command, Flags } from '@oclif/core';
import { type Language, languages } from '../../bindings/backend.js';
import { type BindingsResult, buildBindings } from '../../bindings/bindings.js';
import { projectFlag, reportFailure } from '../registry-shared.js';

export default class Bindings extends Command {
  static override summary =
    'Event models and envelope parsers for consumers in other languages, per registry version.';

  static override description =
    `For each event type — its latest registry version (specs/registry/), --version N of one
--subject, or the current specs with --from spec — writes the models of its payload and metadata,
the EventBridge envelope (detail-type, source, detail: {metadata, data}), a version constant and a
parser that reads an EventBridge event (direct or as an SQS message body) into its typed object.
Names are evtgen's; Modelina renders the languages. One folder per language under --out, each with
bindings.json (subject → version → file). Same registry, same bytes. Guide: docs/bindings.md.

Exit codes: 0 ok; 1 the specs or the registry are invalid; 2 usage error (unknown language,
subject or version).`;

  static override examples = [
    {
      command: '<%= config.bin %> bindings --lang python --out bindings',
      description: 'Python, every subject.',
    },
    {
      command:
        '<%= config.bin %> bindings --lang java --subject com.example.orders@OrderPlaced --version 1 --out bindings',
      description: 'Java, one subject at one version.',
    },
    {
      command: '<%= config.bin %> bindings --lang python --lang typescript --from spec --out bindings',
      description: 'Two languages, from the current specs.',
    },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    lang: Flags.string({
      char: 'l',
      description: `Language (repeatable): ${languages.join(', ')}.`,
      required: true,
      multiple: true,
    }),
    subject: Flags.string({ char: 's', description: 'Only this subject, {source}@{DetailType}.' }),
    version: Flags.integer({
      char: 'v',
      description: 'The registry version of --subject (default: latest).',
      min: 1,
    }),
    from: Flags.string({
      description: 'Bind the registry versions, or the current specs.',
      options: ['registry', 'spec'],
      default: 'registry',
    }),
    out: Flags.string({
      char: 'o',
      description: 'Output folder (one sub-folder per language).',
      required: true,
    }),
    project: projectFlag,
  };

  async run(): Promise<BindingsResult | undefined> {
    const { flags } = await this.parse(Bindings);
    try {
      const result = await buildBindings({
        project: flags.project,
        langs: flags.lang as Language[],
        out: flags.out,
        from: flags.from === 'spec' ? 'spec' : 'registry',
        ...(flags.subject === undefined ? {} : { subject: flags.subject }),
        ...(flags.version === undefined ? {} : { version: flags.version }),
      });
      if (!this.jsonEnabled())
        for (const l of result.languages)
          this.log(
            `${l.lang}: ${l.dir}/ (${l.files} file(s), ${l.changed} changed) — ${result.subjects.map((s) => `${s.subject} v${s.version}`).join(', ')}`,
          );
      return result;
    } catch (error) {
      return reportFailure(error);
    }
  }
}
