import { type Backend, bindingHeader, type ManifestEntry, versionLabel } from './backend.js';
import { type CSharpEvent, csharpParserFile } from './csharp-parser.js';
import { byName, enumKeyWords, enumValueLiteral, modelina, processorOptions } from './modelina.js';
import { eventNames, modelinaInput } from './schema.js';

/**
 * C#: Modelina's CSharpGenerator with its System.Text.Json serializer preset, one namespace per
 * event type and version (`Evtgen.Bindings.OrderPlaced.V2`), and `EventParser` (csharp-parser.ts).
 * Compiled by evtgen's tests only where `dotnet` is installed.
 */
export const csharp: Backend = async (subjects) => {
  const m = await modelina();
  const generator = new m.CSharpGenerator({
    processorOptions,
    constraints: {
      enumKey: m.csharpDefaultEnumKeyConstraints({ NO_SPECIAL_CHAR: enumKeyWords(m) }),
      enumValue: enumValueLiteral((text) => JSON.stringify(text)),
    },
    presets: [m.CSHARP_JSON_SERIALIZER_PRESET],
  });
  const files = [];
  const entries: ManifestEntry[] = [];
  const events: CSharpEvent[] = [];
  for (const s of subjects) {
    const names = eventNames(s);
    const ns = `Evtgen.Bindings.${names.base}.V${s.version}`;
    const dir = `${names.base}/V${s.version}`;
    const models = byName(await generator.generateCompleteModels(modelinaInput(s), { namespace: ns }));
    const header = bindingHeader('//', `${s.subject}, ${versionLabel(s)}.`, 'csharp');
    for (const o of models)
      files.push({
        path: `${dir}/${o.modelName}.cs`,
        content: `${header}\n${o.result.replace(/[ \t]+$/gm, '').trimEnd()}\n`,
      });
    files.push({
      path: `${dir}/Versions.cs`,
      content: `${header}\nnamespace ${ns}\n{\n  /// <summary>The event type these classes bind, and its registry version${s.version === 0 ? ' (0: not published yet)' : ''}.</summary>\n  public static class Versions\n  {\n    public const string Subject = ${JSON.stringify(s.subject)};\n    public const string Source = ${JSON.stringify(s.source)};\n    public const string DetailType = ${JSON.stringify(s.detailType)};\n    public const int SchemaVersion = ${s.version};\n  }\n}\n`,
    });
    events.push({ s, ns, envelope: names.envelope });
    entries.push({
      subject: s.subject,
      version: s.version,
      file: `${dir}/${names.envelope}.cs`,
      type: `${ns}.${names.envelope}`,
    });
  }
  files.push({ path: 'EventParser.cs', content: csharpParserFile(events) });
  return { files, entries };
};
