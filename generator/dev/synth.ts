/**
 * Synthesizes the user's CDK app the way `cdk synth` would (the `app` command of cdk.json, its
 * context, `CDK_OUTDIR`), but with asset bundling skipped: `evtgen dev` bundles the handlers itself,
 * and bundling every function first would cost seconds per function on each reload. Reads the cloud
 * assembly for the stack that holds evtgen's functions and flattens its nested stacks (nested.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { flattenNestedStacks } from './nested.js';
import { type CfnResource, type CfnTemplate, show } from './template.js';

export interface SynthOptions {
  /** The stack to run when the app has several (artifact id, stack name or display name). */
  readonly stackName?: string;
  /** How long the app may take (default 5 minutes). */
  readonly timeoutMs?: number;
}

export interface SynthesizedStack {
  /** The stack's own template file in the cloud assembly. */
  readonly templatePath: string;
  /** The stack's name (CloudFormation's, which derived physical names start with). */
  readonly stackName: string;
  /** The stack's template with its nested stacks flattened into it. */
  readonly template: CfnTemplate;
  /** The nested templates that were flattened into `template`. */
  readonly nestedTemplatePaths: readonly string[];
}

interface StackArtifact {
  readonly id: string;
  readonly stackName: string;
  readonly displayName: string;
  readonly directory: string;
  readonly templateFile: string;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
    readonly file?: string;
  };
}

/**
 * Runs the CDK app of `projectRoot` into `outDir` and returns the template of its evtgen stack
 * (nested stacks flattened). Throws with the command and the tail of the app's stderr if it fails.
 */
export async function synthesizeForDev(
  projectRoot: string,
  outDir: string,
  options: SynthOptions = {},
): Promise<SynthesizedStack> {
  const cdkJson = await readJson<{ app?: string; context?: Record<string, unknown> }>(
    join(projectRoot, 'cdk.json'),
  );
  if (typeof cdkJson.app !== 'string' || cdkJson.app.trim() === '')
    throw new Error(`${join(projectRoot, 'cdk.json')} has no "app" command`);
  // The CLI merges cdk.context.json (cached lookups) under cdk.json's context.
  const cached = existsSync(join(projectRoot, 'cdk.context.json'))
    ? await readJson<Record<string, unknown>>(join(projectRoot, 'cdk.context.json'))
    : {};
  const context = { ...cached, ...(cdkJson.context ?? {}), 'aws:cdk:bundling-stacks': [] };
  await mkdir(outDir, { recursive: true });
  await runApp(cdkJson.app, projectRoot, outDir, context, options.timeoutMs ?? 300_000);
  const stacks = await stackArtifacts(outDir);
  const loaded = await Promise.all(stacks.map((s) => loadStack(s)));
  const chosen = chooseStack(loaded, options.stackName);
  return chosen.result;
}

function runApp(
  command: string,
  cwd: string,
  outDir: string,
  context: Record<string, unknown>,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      env: { ...process.env, CDK_OUTDIR: outDir, CDK_CONTEXT_JSON: JSON.stringify(context) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-6000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    const failure = (reason: string) =>
      new Error(`The CDK app ${reason}.\nCommand (in ${cwd}): ${command}\n${output.trim() || '(no output)'}`);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(failure(`could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          failure(signal ? `was stopped (${signal}; timeout ${timeoutMs} ms)` : `failed (exit code ${code})`),
        );
    });
  });
}

async function readJson<T>(path: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The stack artifacts of the assembly, including those of nested assemblies (CDK Stages). */
async function stackArtifacts(directory: string): Promise<StackArtifact[]> {
  const manifest = await readJson<{ artifacts?: Record<string, ManifestArtifact> }>(
    join(directory, 'manifest.json'),
  );
  const stacks: StackArtifact[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const properties = artifact.properties ?? {};
    if (artifact.type === 'aws:cloudformation:stack' && properties.templateFile) {
      stacks.push({
        id,
        stackName: properties.stackName ?? id,
        displayName: artifact.displayName ?? id,
        directory,
        templateFile: properties.templateFile,
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && properties.directoryName) {
      stacks.push(...(await stackArtifacts(join(directory, properties.directoryName))));
    }
  }
  return stacks;
}

interface LoadedStack {
  readonly artifact: StackArtifact;
  readonly result: SynthesizedStack;
  readonly evtgenFunctions: number;
}

async function loadStack(artifact: StackArtifact): Promise<LoadedStack> {
  const templatePath = join(artifact.directory, artifact.templateFile);
  const root = await readJson<CfnTemplate>(templatePath);
  const files = await nestedTemplateFiles(artifact.directory);
  const used: string[] = [];
  const template = flattenNestedStacks(root, (id, resource) => {
    const file = nestedTemplateFile(resource, files.byHash);
    const nested = file === undefined ? undefined : files.templates.get(file);
    if (file === undefined || nested === undefined)
      throw new Error(
        `${id} (AWS::CloudFormation::Stack) of ${artifact.displayName}: its template is not in the cloud assembly ` +
          `(${artifact.directory}); TemplateURL ${show(resource.Properties?.TemplateURL)}`,
      );
    used.push(join(artifact.directory, file));
    return nested;
  });
  const evtgenFunctions = Object.values(template.Resources).filter(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['evtgen:function'] !== undefined,
  ).length;
  return {
    artifact,
    result: { templatePath, stackName: artifact.stackName, template, nestedTemplatePaths: used },
    evtgenFunctions,
  };
}

/** The nested templates of an assembly directory, and asset hash → file from its asset manifests. */
async function nestedTemplateFiles(
  directory: string,
): Promise<{ templates: Map<string, CfnTemplate>; byHash: Map<string, string> }> {
  const names = await readdir(directory);
  const templates = new Map<string, CfnTemplate>();
  const byHash = new Map<string, string>();
  for (const name of names) {
    if (name.endsWith('.nested.template.json'))
      templates.set(name, await readJson<CfnTemplate>(join(directory, name)));
    if (name.endsWith('.assets.json')) {
      const assets = await readJson<{ files?: Record<string, { source?: { path?: string } }> }>(
        join(directory, name),
      );
      for (const [hash, file] of Object.entries(assets.files ?? {}))
        if (file.source?.path?.endsWith('.json')) byHash.set(hash, file.source.path);
    }
  }
  return { templates, byHash };
}

/**
 * The file of a nested stack: the `aws:asset:path` metadata the CDK CLI asks for, or else the asset
 * whose hash names the TemplateURL (an app run without the CLI's asset metadata).
 */
function nestedTemplateFile(resource: CfnResource, byHash: ReadonlyMap<string, string>): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return basename(assetPath);
  const hash = JSON.stringify(resource.Properties?.TemplateURL ?? '').match(/([0-9a-f]{64})\.json/)?.[1];
  const path = hash === undefined ? undefined : byHash.get(hash);
  return path === undefined ? undefined : basename(path);
}

function chooseStack(stacks: readonly LoadedStack[], wanted: string | undefined): LoadedStack {
  const names = stacks.map((s) => s.artifact.displayName).join(', ') || 'none';
  if (wanted !== undefined) {
    const found = stacks.find(
      (s) => s.artifact.id === wanted || s.artifact.stackName === wanted || s.artifact.displayName === wanted,
    );
    if (!found) throw new Error(`The CDK app has no stack ${wanted} (it has: ${names})`);
    return found;
  }
  const withFunctions = stacks.filter((s) => s.evtgenFunctions > 0);
  const [only] = withFunctions.length > 0 ? withFunctions : stacks;
  if (only && (withFunctions.length === 1 || (withFunctions.length === 0 && stacks.length === 1)))
    return only;
  if (stacks.length === 0) throw new Error('The CDK app synthesized no stack');
  throw new Error(
    `The CDK app has several stacks${withFunctions.length > 1 ? ' with evtgen functions' : ''} (${names}): choose one by its name`,
  );
}
