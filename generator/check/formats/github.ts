import type { CheckResult } from '../check.js';

const command = { error: 'error', warn: 'warning', info: 'notice' } as const;

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one annotation per finding, on the line of the new spec. */
export function renderGithub(result: CheckResult): string {
  return result.findings
    .filter((f) => !f.ignored)
    .map((f) => {
      const props = `file=${escapeProperty(f.file)},line=${f.position.line},col=${f.position.column},title=${escapeProperty(`${f.ruleId} (${f.subject})`)}`;
      const text = `${f.where}: ${f.message}${f.why ? ` — ${f.why}` : ''} [${f.pointer}]`;
      return `::${command[f.level]} ${props}::${escapeData(text)}`;
    })
    .join('\n');
}
