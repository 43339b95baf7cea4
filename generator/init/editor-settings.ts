/**
 * VS Code settings that give the specs validation, hover text and completion for evtgen's `x-`
 * extensions: the YAML language server (redhat.vscode-yaml) and VS Code's JSON support associate
 * the editor schemas shipped in the evtgen package with the spec files. Paths are relative to the
 * workspace (the service folder), so they work on every clone once `npm ci` has run.
 */
const schemaDir = './node_modules/evtgen/generator/extensions';

export interface EditorSettingsPlan {
  /** The new settings.json text, or undefined when the existing one is kept as it is. */
  readonly content?: string;
  /** Why an existing settings.json was left alone (it holds comments or is not an object). */
  readonly keptBecause?: string;
}

/** File patterns of the specs: the folder's conventional names plus each adopted file by name. */
export function specPatterns(specsDir: string, adopted: readonly { path: string; kind: string }[]) {
  const under = (glob: string) => `${specsDir}/**/${glob}`;
  const pick = (kind: string, ext: RegExp) =>
    adopted.filter((s) => s.kind === kind && ext.test(s.path)).map((s) => s.path);
  return {
    asyncapiYaml: [under('*asyncapi*.yaml'), under('*asyncapi*.yml'), ...pick('asyncapi', /\.ya?ml$/)],
    openapiYaml: [under('*openapi*.yaml'), under('*openapi*.yml'), ...pick('openapi', /\.ya?ml$/)],
    asyncapiJson: [under('*asyncapi*.json'), ...pick('asyncapi', /\.json$/)],
    openapiJson: [under('*openapi*.json'), ...pick('openapi', /\.json$/)],
  };
}

/** The settings merged into `existing` (settings.json text, when there is one). */
export function planEditorSettings(
  existing: string | undefined,
  specsDir: string,
  adopted: readonly { path: string; kind: string }[],
): EditorSettingsPlan {
  let settings: Record<string, unknown> = {};
  if (existing !== undefined) {
    try {
      const parsed: unknown = JSON.parse(existing);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return { keptBecause: 'it is not a JSON object' };
      settings = parsed as Record<string, unknown>;
    } catch {
      return { keptBecause: 'it is not plain JSON (comments?)' };
    }
  }
  const p = specPatterns(specsDir, adopted);
  const unique = (values: string[]) => [...new Set(values)];
  const yamlSchemas = { ...(settings['yaml.schemas'] as Record<string, unknown> | undefined) };
  yamlSchemas[`${schemaDir}/asyncapi-editor.schema.json`] = unique(p.asyncapiYaml);
  yamlSchemas[`${schemaDir}/openapi-editor.schema.json`] = unique(p.openapiYaml);
  yamlSchemas[`${schemaDir}/ignore-file.schema.json`] = ['evtgen.ignore.yaml'];
  const ours = (url: string) => (entry: unknown) =>
    typeof entry === 'object' && entry !== null && (entry as { url?: unknown }).url === url;
  const jsonSchemas = Array.isArray(settings['json.schemas']) ? [...settings['json.schemas']] : [];
  for (const [file, fileMatch] of [
    ['asyncapi-editor.schema.json', unique(p.asyncapiJson)],
    ['openapi-editor.schema.json', unique(p.openapiJson)],
    ['config.schema.json', ['evtgen.config.json']],
  ] as const) {
    const url = `${schemaDir}/${file}`;
    const at = jsonSchemas.findIndex(ours(url));
    if (at >= 0) jsonSchemas.splice(at, 1);
    jsonSchemas.push({ fileMatch, url });
  }
  const merged = { ...settings, 'yaml.schemas': yamlSchemas, 'json.schemas': jsonSchemas };
  return { content: `${JSON.stringify(merged, null, 2)}\n` };
}

/** `.vscode/extensions.json`: recommend the YAML language server that reads `yaml.schemas`. */
export const extensionRecommendations = `${JSON.stringify({ recommendations: ['redhat.vscode-yaml'] }, null, 2)}\n`;
