import type { CheckResult } from '../check.js';
import { type Rule, rules } from '../rules/index.js';

const sarifLevel = { error: 'error', warn: 'warning', info: 'note' } as const;

/** SARIF 2.1.0 for GitHub code scanning: every rule as a reportingDescriptor, one result per finding. */
export function renderSarif(result: CheckResult, version: string): string {
  const used = rules.filter((r) => result.findings.some((f) => f.ruleId === r.id));
  const index = new Map(used.map((r, i) => [r.id, i]));
  const descriptor = (r: Rule) => ({
    id: r.id,
    name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.purpose.split('. ')[0]?.replace(/\.$/, '') ?? r.id },
    fullDescription: { text: r.purpose },
    defaultConfiguration: { level: sarifLevel[r.level] },
    helpUri: `https://github.com/evtgen/evtgen/blob/main/docs/rules.md#${r.id}`,
    properties: { family: r.family, breaks: [...r.breaks], direction: r.direction },
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'evtgen',
            version,
            informationUri: 'https://github.com/evtgen/evtgen',
            rules: used.map(descriptor),
          },
        },
        properties: { baseline: result.baseline, readingPolicy: result.policy, mode: result.mode },
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId) ?? 0,
          level: sarifLevel[f.level],
          message: { text: `${f.subject} — ${f.where}: ${f.message}${f.why ? `. Why: ${f.why}` : ''}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: { startLine: f.position.line, startColumn: f.position.column },
              },
              logicalLocations: [{ fullyQualifiedName: `${f.subject}${f.pointer}`, kind: 'member' }],
            },
          ],
          partialFingerprints: { 'evtgenFingerprint/v1': f.fingerprint },
          properties: {
            pointer: f.pointer,
            ...(f.old !== undefined ? { old: f.old } : {}),
            ...(f.new !== undefined ? { new: f.new } : {}),
          },
          ...(f.ignored ? { suppressions: [{ kind: 'external', justification: f.ignored.reason }] } : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
