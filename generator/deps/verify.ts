import { formatRange, type ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import { joinPointer } from '../load/json-pointer.js';
import { readPins } from './pin.js';
import { inRange } from './range.js';

/**
 * What `generate` and `lint` say about the pins: damaged or hand-edited ones (errors: the consumer
 * would read a contract nobody published), and dependencies of evtgen.config.json that are not
 * pinned, or pinned outside their range (warnings: `evtgen deps update` fixes both).
 */
export async function pinProblems(config: ProjectConfig): Promise<Diagnostic[]> {
  const { pins, diagnostics } = await readPins(config.projectRoot, config.specsDir);
  const bySubject = new Map(pins.map((p) => [p.record.subject, p]));
  for (const dependency of config.dependencies) {
    const pin = bySubject.get(dependency.subject);
    const pointer = joinPointer('/dependencies', dependency.subject);
    const at = { file: 'evtgen.config.json', position: { line: 1, column: 1 }, pointer };
    if (!pin)
      diagnostics.push({
        ...at,
        severity: 'warning',
        code: 'deps-unpinned',
        message: `${dependency.subject} is a dependency but has no pin in specs/external/.`,
        hint: 'Run evtgen deps update to pin it from the producer’s registry.',
      });
    else if (!inRange(pin.record.version, dependency.range))
      diagnostics.push({
        ...at,
        severity: 'warning',
        code: 'deps-out-of-range',
        message: `${dependency.subject} is pinned to v${pin.record.version}, outside its range ${formatRange(dependency.range)}.`,
        hint: 'Run evtgen deps update, or widen "version" in evtgen.config.json.',
      });
  }
  return diagnostics;
}
