import type { CheckResult } from '../check.js';
import { atLeast } from '../findings.js';
import { summaryLine } from './text.js';

const icon = { error: '❌', warn: '⚠️', info: 'ℹ️' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A pull-request comment. */
export function renderMarkdown(result: CheckResult): string {
  const failing = result.findings.filter((f) => !f.ignored && atLeast(f.level, result.failOn)).length;
  const lines = [
    `## evtgen check: ${failing > 0 ? 'breaking changes' : 'compatible'}`,
    '',
    `Compared with ${result.baseline}. ${summaryLine(result)} (fail on ${result.failOn}).`,
    '',
    `<sub>Reading policy: ${result.policy}. Mode: ${result.mode}.</sub>`,
    '',
  ];
  if (result.findings.length > 0) {
    lines.push('| | rule | where | change | why | location |', '|---|---|---|---|---|---|');
    for (const f of result.findings) {
      const change = `${f.message}${f.old !== undefined || f.new !== undefined ? ` (\`${f.old ?? '(none)'}\` → \`${f.new ?? '(none)'}\`)` : ''}`;
      const why = f.ignored ? `ignored: ${f.ignored.reason}` : f.why;
      lines.push(
        `| ${f.ignored ? '🔕' : icon[f.level]} | \`${f.ruleId}\` | ${cell(`${f.subject} — ${f.where}`)} | ${cell(change)} | ${cell(why)} | \`${f.file}:${f.position.line}\` |`,
      );
    }
  }
  return lines.join('\n');
}
