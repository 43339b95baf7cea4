import type { CheckResult } from '../check.js';

/** The whole result; each finding carries a stable fingerprint (rule + subject + pointer, no lines). */
export function renderJson(result: CheckResult): string {
  return JSON.stringify(
    {
      ok: result.ok,
      baseline: result.baseline,
      readingPolicy: result.policy,
      mode: result.mode,
      failOn: result.failOn,
      counts: result.counts,
      findings: result.findings,
      diagnostics: result.diagnostics,
    },
    null,
    2,
  );
}
