import { loadConfig } from './config.js';
import { type Diagnostic, dedupeDiagnostics, hasErrors, sortDiagnostics } from './diagnostics.js';
import { listSpecFiles } from './load/discover.js';
import { isObject } from './load/json-pointer.js';
import { type RedoclyDocument, redoclyLint } from './load/redocly-lint.js';
import { readSourceFile } from './load/source-file.js';
import { loadAndCheckEmission } from './pipeline.js';

export interface LintResult {
  readonly ok: boolean;
  readonly failure?: 'config' | 'spec';
  /** The Redocly ruleset that applied: `redocly.yaml` of the project, or evtgen's default. */
  readonly ruleset?: string;
  readonly diagnostics: Diagnostic[];
}

/**
 * `evtgen lint`: every diagnostic of loading and modelling the specs (AsyncAPI parser, evtgen's
 * extension schemas, naming), what compiling the validators reports, and the Redocly ruleset's
 * findings, in one sorted list, without writing anything. Redocly runs beside the pipeline.
 */
export async function lint(projectRoot: string): Promise<LintResult> {
  const { config, diagnostics: configProblems } = await loadConfig(projectRoot);
  if (!config) return { ok: false, failure: 'config', diagnostics: configProblems };
  const [{ loaded, emitted }, redocly] = await Promise.all([
    loadAndCheckEmission(config),
    lintableDocuments(config.specsDir).then((documents) => redoclyLint(config.projectRoot, documents)),
  ]);
  if (redocly.configFailed) return { ok: false, failure: 'config', diagnostics: redocly.diagnostics };
  const own = withoutRedoclyExampleDuplicates(
    [...loaded.diagnostics, ...(emitted?.diagnostics ?? [])],
    redocly.diagnostics,
  );
  const diagnostics = sortDiagnostics(dedupeDiagnostics([...own, ...redocly.diagnostics]));
  const ok = !hasErrors(diagnostics);
  return { ok, ...(ok ? {} : { failure: 'spec' as const }), ruleset: redocly.ruleset, diagnostics };
}

/**
 * The documents Redocly should lint: those evtgen reads (AsyncAPI 3.0, OpenAPI 3.0/3.1). A file that
 * does not parse, or a version evtgen refuses, is already reported by the loader; Redocly's view of
 * it would only repeat that.
 */
async function lintableDocuments(specsDir: string): Promise<RedoclyDocument[]> {
  const paths = await listSpecFiles(specsDir).catch(() => []);
  const documents: RedoclyDocument[] = [];
  for (const path of paths) {
    const { file } = await readSourceFile(path, path);
    if (!isObject(file.value)) continue;
    if (/^3\.0\./.test(String(file.value.asyncapi))) documents.push({ path, kind: 'asyncapi' });
    else if (/^3\.[01]\./.test(String(file.value.openapi))) documents.push({ path, kind: 'openapi' });
  }
  return documents;
}

/** Redocly's rules that check OpenAPI examples against their schemas, as evtgen's example check does. */
const redoclyExampleRules = new Set([
  'redocly/no-invalid-media-type-examples',
  'redocly/no-invalid-parameter-examples',
  'redocly/no-invalid-schema-examples',
]);

/**
 * One problem, one line: where Redocly already reports an OpenAPI example at a pointer, evtgen's own
 * `example-invalid` finding at the same file and pointer is left out (generate, which does not run
 * Redocly, still reports it).
 */
function withoutRedoclyExampleDuplicates(
  own: readonly Diagnostic[],
  redocly: readonly Diagnostic[],
): Diagnostic[] {
  const reported = new Set(
    redocly.filter((d) => redoclyExampleRules.has(d.code)).map((d) => `${d.file}#${d.pointer}`),
  );
  return own.filter((d) => d.code !== 'example-invalid' || !reported.has(`${d.file}#${d.pointer}`));
}
