import { defaultMode, type Place } from '../findings.js';
import { rules } from './index.js';

const places: Place[] = ['request', 'response', 'sent-event', 'received-event', 'event'];

/** docs/rules.md: generated from the rule registry (a test fails when the file is stale). */
export function renderCatalog(): string {
  const lines = [
    '# `evtgen check` rule catalog',
    '',
    '<!-- Generated from generator/check/rules/ by `npm run test:update`; do not edit by hand. -->',
    '',
    'Levels (as in oasdiff): **error** — the change breaks a reader the mode protects; **warn** — it may',
    'break one and the spec does not say enough to decide; **info** — it breaks no protected reader. A rule',
    'reports at its level only when the change breaks a direction the mode needs (`bwd`: the new contract',
    'reads data written under the old; `fwd`: the old reads data written under the new); otherwise at `info`.',
    'Schema rules apply to every schema (request and response bodies, parameters, headers, event payloads',
    'and headers) and are projected by who reads it:',
    '',
    '| where the schema sits | default mode |',
    '| --- | --- |',
    ...places.map((p) => `| ${p} | ${defaultMode(p)} |`),
    '',
    'Ids are stable: a rule is never renamed. Ignore a finding by rule id (see [Ignores](check.md#ignores)).',
    '',
  ];
  let family = '';
  for (const r of rules) {
    if (r.family !== family) {
      family = r.family;
      lines.push(
        `## ${family}`,
        '',
        '| id | level | breaks | applies to | purpose | message |',
        '| --- | --- | --- | --- | --- | --- |',
      );
    }
    const twin = r.twin ? ` (twin: \`${r.twin}\`)` : '';
    lines.push(
      `| <a id="${r.id}"></a>\`${r.id}\` | ${r.level} | ${r.breaks.join(', ') || '—'} | ${r.direction}${twin} | ${r.purpose.replace(/\|/g, '\\|')} | ${r.message.replace(/\|/g, '\\|')} |`,
    );
    const next = rules[rules.indexOf(r) + 1];
    if (!next || next.family !== family) lines.push('');
  }
  return lines.join('\n');
}
