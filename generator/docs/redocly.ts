import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Redocly CLI as a child process: `build-docs` has no library API (the CLI is one bundle). Its bin is
 * resolved through the package evtgen depends on, never a global `redocly`, so the version is the
 * pinned one.
 */
export function redoclyBin(): string {
  const manifestPath = createRequire(import.meta.url).resolve('@redocly/cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const bin = manifest.bin.redocly;
  if (!bin) throw new Error('@redocly/cli declares no `redocly` bin');
  return join(dirname(manifestPath), bin);
}

/** No telemetry, no update check: docs build offline and the same on every run. */
const quietEnv = { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

export interface BuildDocsRequest {
  /** Absolute path of the OpenAPI or AsyncAPI document. */
  readonly spec: string;
  /** Absolute path of the HTML file to write. */
  readonly output: string;
  readonly title: string;
  /** Working directory: the project, so its redocly.yaml (theme, rules) applies as with `redocly` by hand. */
  readonly cwd: string;
}

export interface BuildDocsFailure {
  readonly spec: string;
  /** Redocly's own output, for the user to read. */
  readonly output: string;
}

/**
 * `redocly build-docs --inlineBundle`: one self-contained HTML page (Redoc's script inlined, ~2.5 MB),
 * then made fully offline (`makeOffline`). Resolves with undefined on success.
 */
export function buildDocsPage(request: BuildDocsRequest): Promise<BuildDocsFailure | undefined> {
  const args = [
    redoclyBin(),
    'build-docs',
    request.spec,
    '--inlineBundle',
    '--output',
    request.output,
    '--title',
    request.title,
  ];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: request.cwd, env: { ...process.env, ...quietEnv }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          resolve({ spec: request.spec, output: withoutBanners(`${stdout}${stderr}`) });
          return;
        }
        readFile(request.output, 'utf8')
          .then((html) => writeFile(request.output, makeOffline(html)))
          .then(
            () => resolve(undefined),
            (failure: unknown) => resolve({ spec: request.spec, output: String(failure) }),
          );
      },
    );
  });
}

/**
 * `--inlineBundle` still leaves one network request in the page: the "API docs by Redocly" logo in
 * the sidebar footer is an <img> from cdn.redoc.ly. It is replaced by an inline SVG wordmark, so a
 * page opened offline (or behind a strict proxy) requests nothing. Redoc's icon CDN is used only for
 * icons a theme names (none by default); the browser test fails if a page requests anything.
 */
export function makeOffline(html: string): string {
  return html
    .replaceAll('https://cdn.redoc.ly/redoc/logo-mini-full.svg', wordmark('Redocly', 64))
    .replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', wordmark('R', 14));
}

function wordmark(text: string, width: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#888">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Redocly CLI boxes notices (e.g. Node 20's end of support) in frames; a failure report skips them. */
function withoutBanners(output: string): string {
  return output
    .split('\n')
    .filter((line) => !/[║╔╚]/.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
