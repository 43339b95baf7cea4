import { loadConfig, type ProjectConfig } from '../config.js';
import type { DependencyPlan, DepsResult } from '../deps/update.js';
import { RegistryCommandError } from '../registry/project.js';
import { renderFindings } from './registry-shared.js';
import { paint } from './render.js';

/** A pin update's review diff beyond this is summarized (the JSON output has it whole). */
const maxChangesShown = 20;

/** One line per dependency, then what changed (the check engine's findings, every level). */
export function renderPlans(
  result: DepsResult,
  colour: boolean,
  verbs: { changed: string; refused: string },
): string[] {
  const lines: string[] = [];
  for (const plan of result.plans) {
    lines.push(`${plan.subject}  ${statusText(plan, colour, verbs)}`);
    lines.push(...renderFindings(plan.findings, colour, '    '));
    if (plan.status === 'changed' && plan.findings.length === 0)
      lines.push(
        paint(
          '    no change to what events may contain (descriptions, titles or examples only)',
          'dim',
          colour,
        ),
      );
    const shown = plan.changes.slice(0, maxChangesShown);
    for (const c of shown)
      lines.push(paint(`    ${c.change.padEnd(7)}  ${c.pointer || '(root)'}`, 'dim', colour));
    if (plan.changes.length > shown.length)
      lines.push(
        paint(`    … and ${plan.changes.length - shown.length} more (--json lists them all)`, 'dim', colour),
      );
  }
  return lines;
}

function statusText(plan: DependencyPlan, colour: boolean, verbs: { changed: string; refused: string }) {
  const from = plan.pinned === undefined ? '' : `v${plan.pinned} → `;
  switch (plan.status) {
    case 'new':
      return paint(`${verbs.changed} v${plan.chosen} (first pin; range ${plan.range})`, 'green', colour);
    case 'unchanged':
      return paint(
        `pinned v${plan.chosen}${plan.latest > plan.chosen ? ` (v${plan.latest} is outside range ${plan.range})` : ''}`,
        'dim',
        colour,
      );
    case 'changed':
      return paint(`${verbs.changed} ${from}v${plan.chosen} (${plan.mode}: compatible)`, 'green', colour);
    default:
      return paint(`${verbs.refused} ${from}v${plan.chosen}: incompatible under ${plan.mode}`, 'red', colour);
  }
}

/** The project's configuration, or the command error that says why it is not usable (exit 2). */
export async function projectConfig(project: string): Promise<ProjectConfig> {
  const { config, diagnostics } = await loadConfig(project);
  if (!config) throw new RegistryCommandError('config', 'The configuration is not usable.', diagnostics);
  return config;
}
