import { type Backend, bindingHeader, type ManifestEntry, snake, versionLabel } from './backend.js';
import { byName, enumKeyWords, enumValueLiteral, modelina, processorOptions } from './modelina.js';
import { eventNames, modelinaInput } from './schema.js';

/**
 * Go: Modelina's GoGenerator (structs, description comments), one package per event type and
 * version (`orderplacedv2`). Not compiled in evtgen's tests on machines without `go`.
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
  for (const s of subjects) {
    const names = eventNames(s);
    const pkg = `${names.base.toLowerCase()}v${s.version}`;
    const models = byName(await generator.generateCompleteModels(modelinaInput(s), { packageName: pkg }));
    const header = bindingHeader('//', `${s.subject}, ${versionLabel(s)}.`, 'go');
    for (const o of models)
      files.push({
        path: `${pkg}/${snake(o.modelName)}.go`,
        content: `${header}\n\n${o.result.replace(/[ \t]+$/gm, '').trim()}\n`,
      });
    files.push({
      path: `${pkg}/versions.go`,
      content: `${header}\n\npackage ${pkg}\n\nconst (\n\tSubject = ${JSON.stringify(s.subject)}\n\tSource = ${JSON.stringify(s.source)}\n\tDetailType = ${JSON.stringify(s.detailType)}\n\t// SchemaVersion is the registry version these types bind${s.version === 0 ? ' (0: not published yet)' : ''}.\n\tSchemaVersion = ${s.version}\n)\n`,
    });
    entries.push({
      subject: s.subject,
      version: s.version,
      file: `${pkg}/${snake(names.envelope)}.go`,
      type: `${pkg}.${names.envelope}`,
    });
  }
  return { files, entries };
};
