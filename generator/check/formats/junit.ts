import type { CheckResult } from '../check.js';
import { atLeast, type Finding } from '../findings.js';

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The change in one line: old → new when the finding has values; otherwise (removals, additions)
 * what it concerns and where that was in the baseline, never an empty `(none) → (none)`.
 */
function change(f: Finding): string {
  if (f.old !== undefined || f.new !== undefined) return `${f.old ?? '(none)'} → ${f.new ?? '(none)'}`;
  const what = f.detail ? `${f.where}: ${f.detail}` : f.where;
  const was = f.oldPointer !== undefined ? ` (baseline: ${f.oldFile ?? f.file}#${f.oldPointer})` : '';
  return `${what}${was}`;
}

/** JUnit XML: one test case per finding; those at or above --fail-on fail, ignored ones are skipped. */
export function renderJunit(result: CheckResult): string {
  const cases = result.findings.map((f) => {
    const name = xml(`${f.ruleId} ${f.where} ${f.pointer}`);
    const head = `    <testcase classname="${xml(f.subject)}" name="${name}" file="${xml(f.file)}" line="${f.position.line}">`;
    if (f.ignored)
      return `${head}\n      <skipped message="${xml(`ignored: ${f.ignored.reason}`)}"/>\n    </testcase>`;
    if (!atLeast(f.level, result.failOn)) return `${head}</testcase>`;
    const body = xml(
      `${f.file}:${f.position.line}:${f.position.column} ${f.message}\n${change(f)}\nwhy: ${f.why}`,
    );
    return `${head}\n      <failure message="${xml(f.message)}" type="${f.ruleId}">${body}</failure>\n    </testcase>`;
  });
  if (cases.length === 0) cases.push('    <testcase classname="evtgen check" name="compatible"></testcase>');
  const failures = result.findings.filter((f) => !f.ignored && atLeast(f.level, result.failOn)).length;
  const skipped = result.findings.filter((f) => f.ignored).length;
  const tests = Math.max(result.findings.length, 1);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="evtgen check" tests="${tests}" failures="${failures}">`,
    `  <testsuite name="evtgen check against ${xml(result.baseline)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
