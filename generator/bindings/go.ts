import { type Backend, bindingHeader, type ManifestEntry, versionLabel } from './backend.js';
import { type GoEvent, goEnumJson, goModule, goParserFile } from './go-parser.js';
import { byName, enumKeyWords, enumValueLiteral, modelina, processorOptions } from './modelina.js';
import { eventNames, modelinaInput } from './schema.js';

/**
 * Go: Modelina's GoGenerator (structs, description comments), one package per event type and
 * version (`orderplacedv2`), enums made JSON-readable, and `events.Parse` (go-parser.ts) in a module
 * `evtgen/bindings`. Compiled by evtgen's tests only where `go` is installed.
 */
export const go: Backend = async (subjects) => {
  const m = await modelina();
  const generator = new m.GoGenerator({
    processorOptions,
    constraints: {
      enumKey: m.goDefaultEnumKeyConstraints({ NO_SPECIAL_CHAR: enumKeyWords(m) }),
      enumValue: enumValueLiteral((text) => JSON.stringify(text)),
    },
    presets: [
      m.GO_DESCRIPTION_PRESET,
      {
        struct: {
          field: ({ content, field }) =>
            `${content} \`json:"${field.unconstrainedPropertyName.replace(/["\\`]/g, '')},omitempty"\``,
        },
      },
    ],
  });
  const files = [];
  const entries: ManifestEntry[] = [];
  const events: GoEvent[] = [];
  for (const s of subjects) {
    const names = eventNames(s);
    const pkg = `${names.base.toLowerCase()}v${s.version}`;
    const models = byName(await generator.generateCompleteModels(modelinaInput(s), { packageName: pkg }));
    const header = bindingHeader('//', `${s.subject}, ${versionLabel(s)}.`, 'go');
    for (const o of models) {
      const enumType = o.model instanceof m.ConstrainedEnumModel;
      const code = o.result.replace(/[ \t]+$/gm, '').trim();
      files.push({
        path: `${pkg}/${fileName(o.modelName)}`,
        content: `${header}\n\n${enumType ? `${withImports(code)}\n${goEnumJson(o.modelName)}` : `${code}\n`}`,
      });
    }
    files.push({
      path: `${pkg}/versions.go`,
      content: `${header}\n\npackage ${pkg}\n\nconst (\n\tSubject = ${JSON.stringify(s.subject)}\n\tSource = ${JSON.stringify(s.source)}\n\tDetailType = ${JSON.stringify(s.detailType)}\n\t// SchemaVersion is the registry version these types bind${s.version === 0 ? ' (0: not published yet)' : ''}.\n\tSchemaVersion = ${s.version}\n)\n`,
    });
    events.push({ s, pkg, envelope: names.envelope });
    entries.push({
      subject: s.subject,
      version: s.version,
      file: `${pkg}/${fileName(names.envelope)}`,
      type: `${pkg}.${names.envelope}`,
    });
  }
  files.push({ path: 'events/parser.go', content: goParserFile(events) });
  files.push({ path: 'go.mod', content: `module ${goModule}\n\ngo 1.20\n` });
  return { files, entries };
};

/**
 * Lower case without underscores: a file named `order_test.go` or `foo_linux.go` (which snake case
 * could produce) would be a test file or built on Linux only.
 */
function fileName(model: string): string {
  return `${model.toLowerCase()}.go`;
}

/** The imports the added enum JSON methods need, after the package clause. */
function withImports(code: string): string {
  return code.replace(/^(package \w+)\n/, '$1\n\nimport (\n\t"encoding/json"\n\t"fmt"\n)\n');
}
