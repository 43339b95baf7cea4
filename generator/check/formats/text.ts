import { paint, type Style } from '../../cli/render.js';
import type { CheckResult } from '../check.js';
import { atLeast, type Finding } from '../findings.js';
import type { Level } from '../rules/index.js';

const style: Record<Level, Style> = { error: 'red', warn: 'yellow', info: 'cyan' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(result: CheckResult): string {
  const c = result.counts;
  const parts = [plural(c.error, 'error'), plural(c.warn, 'warning'), `${c.info} info`];
  if (c.ignored > 0) parts.push(`${c.ignored} ignored`);
  return parts.join(', ');
}

/** Findings grouped by operation/event, each with rule id, position, pointer, old → new and why. */
export function renderText(result: CheckResult, colour: boolean): string {
  const lines = [
    paint(`evtgen check: ${result.baseline} → working tree`, 'bold', colour),
    paint(`reading policy: ${result.policy}`, 'dim', colour),
    paint(`mode: ${result.mode}; fail on: ${result.failOn}`, 'dim', colour),
    '',
  ];
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) groups.set(f.subject, [...(groups.get(f.subject) ?? []), f]);
  for (const [subject, findings] of groups) {
    lines.push(paint(subject, 'bold', colour));
    for (const f of findings) {
      const level = f.ignored ? 'ignored' : f.level;
      const shown = f.ignored ? paint(level, 'dim', colour) : paint(level, style[f.level], colour);
      lines.push(
        `  ${f.file}:${f.position.line}:${f.position.column}  ${shown}  ${f.ruleId}  ${f.where}: ${f.message}`,
      );
      lines.push(paint(`      at ${f.pointer || '(document root)'}`, 'dim', colour));
      if (f.old !== undefined || f.new !== undefined)
        lines.push(paint(`      ${f.old ?? '(none)'} → ${f.new ?? '(none)'}`, 'dim', colour));
      if (f.why) lines.push(`      why: ${f.why}`);
      if (f.against) lines.push(paint(`      against: ${f.against}`, 'dim', colour));
      if (f.ignored)
        lines.push(paint(`      ignored (${f.ignored.source}): ${f.ignored.reason}`, 'dim', colour));
    }
    lines.push('');
  }
  if (result.findings.length === 0)
    lines.push(paint('No changes that matter to any reader.', 'green', colour));
  const failing = result.findings.filter((f) => !f.ignored && atLeast(f.level, result.failOn)).length;
  const verdict =
    failing > 0
      ? paint(
          `${summaryLine(result)}: ${plural(failing, 'finding')} at or above --fail-on ${result.failOn}.`,
          'red',
          colour,
        )
      : paint(`${summaryLine(result)}: compatible (--fail-on ${result.failOn}).`, 'green', colour);
  lines.push(verdict);
  return lines.join('\n');
}
