/**
 * The load-report fixture, typed: `tsc` checks the JSON's structure against `LoadReport` (string
 * and number literals widened, since a JSON module's types are), and `loadReportFixture` checks
 * the literal fields at run time before handing out a `LoadReport`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadReport, ObjectiveResult, PhaseName } from '../../generator/loadtest/report-types.js';
import { repoRoot } from '../helpers/project.js';

/**
 * `T` with every string and number literal widened, as TypeScript types a JSON module. A record's
 * values may also be `undefined`: TypeScript normalises the objects of a JSON array to one union,
 * adding `key?: undefined` for the keys only some elements have (`"503"` in one phase's statuses).
 */
type Widen<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer U)[]
        ? readonly Widen<U>[]
        : T extends object
          ? string extends keyof T
            ? { readonly [key: string]: Widen<T[string & keyof T]> | undefined }
            : { readonly [K in keyof T]: Widen<T[K]> }
          : T;

type FixtureJson = typeof import('../fixtures/loadtest/load-report.json', { with: { type: 'json' }});

/** Compile-time: the fixture has LoadReport's structure (fails `tsc` when it drifts). */
export const fixtureMatchesLoadReport: FixtureJson extends Widen<LoadReport> ? true : never = true;

export const fixturePath = join(repoRoot, 'test', 'fixtures', 'loadtest', 'load-report.json');

const phaseNames: readonly PhaseName[] = ['baseline', 'ramp', 'soak', 'faults'];
const objectiveNames: readonly ObjectiveResult['objective'][] = ['p99Ms', 'errorRatePercent'];

/** Throws unless the literal fields of `value` (a `Widen<LoadReport>`) hold LoadReport's literals. */
export function assertLoadReport(value: Widen<LoadReport>): asserts value is LoadReport {
  const fail = (what: string) => {
    throw new Error(`not a LoadReport: ${what}`);
  };
  if (value.schemaVersion !== 1) fail(`schemaVersion ${value.schemaVersion}`);
  if (value.tool.name !== 'evtgen') fail(`tool.name ${value.tool.name}`);
  if (value.target.kind !== 'dev' && value.target.kind !== 'url') fail(`target.kind ${value.target.kind}`);
  if (value.generator.model !== 'open-loop') fail(`generator.model ${value.generator.model}`);
  if (value.verdict !== 'met' && value.verdict !== 'missed') fail(`verdict ${value.verdict}`);
  for (const phase of value.phases)
    if (!phaseNames.some((name) => name === phase.name)) fail(`phase name ${phase.name}`);
  for (const objective of value.objectives) {
    if (!phaseNames.some((name) => name === objective.phase)) fail(`objective phase ${objective.phase}`);
    if (!objectiveNames.some((name) => name === objective.objective))
      fail(`objective ${objective.objective}`);
  }
}

/** The fixture, parsed and checked; a fresh copy on every call (tests may change it). */
export async function loadReportFixture(): Promise<LoadReport> {
  const value: Widen<LoadReport> = JSON.parse(await readFile(fixturePath, 'utf8'));
  assertLoadReport(value);
  return value;
}
