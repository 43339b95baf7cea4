import { Flags } from '@oclif/core';
import type { Finding } from '../check/findings.js';
import { RegistryCommandError } from '../registry/project.js';
import { paint, renderDiagnostics, type Style, summarize, useColour } from './render.js';

export const projectFlag = Flags.directory({
  char: 'C',
  description: 'Project folder (holds specs/).',
  default: '.',
  exists: true,
});

export const storeFlag = Flags.directory({
  description: 'The registry store folder (default: specs/registry/ of the project).',
  hidden: true,
});

/** Registry errors: diagnostics on stderr, the message, exit 2 for usage/config, else 1. */
export function reportFailure(error: unknown): never | undefined {
  if (!(error instanceof RegistryCommandError)) throw error;
  if (error.diagnostics.length > 0)
    process.stderr.write(
      `${renderDiagnostics(error.diagnostics, useColour(process.stderr))}\n${summarize(error.diagnostics)}\n`,
    );
  process.stderr.write(`${error.message}\n`);
  process.exitCode = error.failure === 'usage' || error.failure === 'config' ? 2 : 1;
  return undefined;
}

const levelStyle: Record<string, Style> = { error: 'red', warn: 'yellow', info: 'cyan' };

/** Findings as `evtgen check` prints them (indented under their subject). */
export function renderFindings(findings: readonly Finding[], colour: boolean, indent = '  '): string[] {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(
      `${indent}${f.file}:${f.position.line}:${f.position.column}  ${paint(f.level, levelStyle[f.level] ?? 'dim', colour)}  ${f.ruleId}  ${f.message}`,
    );
    lines.push(
      paint(
        `${indent}    at ${f.pointer || '(root)'}${f.against ? ` (against ${f.against})` : ''}`,
        'dim',
        colour,
      ),
    );
    if (f.old !== undefined || f.new !== undefined)
      lines.push(paint(`${indent}    ${f.old ?? '(none)'} → ${f.new ?? '(none)'}`, 'dim', colour));
    if (f.why) lines.push(`${indent}    why: ${f.why}`);
  }
  return lines;
}
