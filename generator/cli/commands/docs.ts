import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Command, Flags, ux } from '@oclif/core';
import { buildDocs, type DocsResult, defaultDocsDir } from '../../docs/build-docs.js';
import { paint, renderDiagnostics, summarize, useColour } from '../render.js';

export default class Docs extends Command {
  static override summary =
    'Build browsable HTML docs of the specs: Redocly pages plus an index of the system.';

  static override description =
    `Builds one Redocly page per AsyncAPI and OpenAPI document under specs/ and an index page
that ties them together: every event with its source, detail-type, registry version, producers and
consumers, and every HTTP operation with the events it emits, each linking into the Redocly pages.
The pages are self-contained (no CDN; they work offline) and deterministic (same specs, same bytes).

The output folder (default ${defaultDocsDir}/, keep it out of git) is replaced as a whole, so it
must be new, empty or an earlier evtgen docs output. Nothing is replaced when a spec has an error
or a page fails to build.

Exit codes: 0 ok; 1 invalid specs or a page failed to build; 2 usage or configuration error.`;

  static override examples = [
    {
      command: '<%= config.bin %> docs',
      description: `Build ${defaultDocsDir}/index.html and one page per spec.`,
    },
    {
      command: '<%= config.bin %> docs --out /tmp/orders-docs --open',
      description: 'Build elsewhere and open the index.',
    },
    { command: '<%= config.bin %> docs --json', description: 'The files built, as JSON.' },
    {
      command: '<%= config.bin %> docs --service examples/shipping',
      description:
        "Docs of the system: this service and shipping's, with one index of every event, its owner, versions, producers and consumers.",
    },
    {
      command: '<%= config.bin %> docs --bindings bindings',
      description: 'Also link each event to the code bindings built by evtgen bindings --out bindings.',
    },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    out: Flags.string({
      char: 'o',
      description: 'Output folder, relative to the project.',
      default: defaultDocsDir,
    }),
    bindings: Flags.string({
      description: 'A folder evtgen bindings wrote: copied into the site, each event linked to its bindings.',
    }),
    service: Flags.string({
      description:
        "Another service's project folder (repeatable): its docs go under services/<name>/ and the index shows the whole system.",
      multiple: true,
    }),
    open: Flags.boolean({ description: 'Open the index page in the default browser when done.' }),
    quiet: Flags.boolean({ char: 'q', description: 'Print only errors: nothing when the docs were built.' }),
    project: Flags.directory({
      char: 'C',
      description: 'Project folder (holds specs/).',
      default: '.',
      exists: true,
    }),
  };

  async run(): Promise<DocsResult> {
    const { flags } = await this.parse(Docs);
    // Progress only for a person watching: not in pipes, CI logs or JSON mode.
    const showProgress = Boolean(process.stderr.isTTY) && !this.jsonEnabled() && !flags.quiet;
    if (showProgress) ux.action.start('Building docs with Redocly');
    const result = await buildDocs(flags.project, {
      outDir: flags.out,
      ...(flags.bindings === undefined ? {} : { bindingsDir: flags.bindings }),
      ...(flags.service ? { services: flags.service } : {}),
      onProgress: ({ file, current, total }) => {
        if (showProgress) ux.action.status = `${file} (${current}/${total})`;
      },
    });
    if (showProgress) ux.action.stop(result.ok ? 'done' : 'failed');
    if (!this.jsonEnabled()) this.report(result, flags.quiet);
    if (!result.ok) process.exitCode = result.failure === 'config' ? 2 : 1;
    else if (flags.open) this.openInBrowser(join(resolve(flags.project), result.outDir, 'index.html'));
    return result;
  }

  private report(result: DocsResult, quiet: boolean): void {
    const colour = useColour(process.stderr);
    const shown = quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
    if (shown.length > 0) {
      process.stderr.write(`${renderDiagnostics(shown, colour)}\n${summarize(shown)}\n`);
    }
    if (!result.ok) {
      process.stderr.write(paint(`Docs not built; ${result.outDir}/ is unchanged.\n`, 'red', colour));
      return;
    }
    if (quiet) return;
    for (const file of result.files) {
      const kb = `${Math.round(file.bytes / 1024)} KB`.padStart(8);
      this.log(`  ${kb}  ${result.outDir}/${file.path}${file.source ? `  (${file.source})` : ''}`);
    }
    this.log(paint(`Docs built: open ${result.outDir}/index.html`, 'green', useColour(process.stdout)));
  }

  /** Best effort: a machine without a desktop just keeps the message above. */
  private openInBrowser(path: string): void {
    const [command, ...args] =
      process.platform === 'darwin'
        ? ['open', path]
        : process.platform === 'win32'
          ? ['cmd', '/c', 'start', '""', path]
          : ['xdg-open', path];
    const child = spawn(command as string, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => this.warn(`Could not open a browser; open ${path} yourself.`));
    child.unref();
  }
}
