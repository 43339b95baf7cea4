import { type Diagnostic, formatDiagnostic, type Severity } from '../diagnostics.js';

/**
 * Terminal output. Colour only on a TTY and never when NO_COLOR is set (https://no-color.org), so
 * logs and CI output stay plain text.
 */
export function useColour(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

const codes = { red: 31, yellow: 33, cyan: 36, green: 32, dim: 2, bold: 1 } as const;
export type Style = keyof typeof codes;

export function paint(text: string, style: Style, colour: boolean): string {
  return colour ? `\u001b[${codes[style]}m${text}\u001b[0m` : text;
}

const severityStyle: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'cyan' };

/** Each diagnostic as `file:line:col  severity  code  message`, then pointer and fix. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], colour: boolean): string {
  return diagnostics
    .map((d) => {
      const [head = '', ...rest] = formatDiagnostic(d).split('\n');
      const styled = colour
        ? head.replace(`  ${d.severity}  `, `  ${paint(d.severity, severityStyle[d.severity], true)}  `)
        : head;
      return [styled, ...rest.map((line) => paint(line, 'dim', colour))].join('\n');
    })
    .join('\n');
}

/** "2 errors, 1 warning" */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const count = (s: Severity) => diagnostics.filter((d) => d.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [plural(count('error'), 'error'), plural(count('warning'), 'warning')].join(', ');
}
