// What `evtgen generate` takes and returns: shared by its no-op check (generate.ts) and the full run
// (generate-full.ts), which is loaded only when there is work to do.

import type { Diagnostic } from './diagnostics.js';
import type { PlannedFile } from './write/writer.js';

export type GenerateMode = 'write' | 'check' | 'dry-run';

export interface GenerateOptions {
  /** `write` (default) updates the output; `check` and `dry-run` only report what would change. */
  readonly mode?: GenerateMode;
  /** Skip the unchanged-inputs fast path. */
  readonly force?: boolean;
  /** Called as each stage starts, with its name and counts (load, model, validate, emit, write): for progress. */
  readonly onStage?: (stage: string) => void;
}

export interface GenerateResult {
  /** False on any error diagnostic, or in `check` mode when the output is out of date. */
  readonly ok: boolean;
  /** 'config' when the configuration itself is unusable (exit 2). */
  readonly failure?: 'config' | 'spec' | 'drift';
  readonly mode: GenerateMode;
  readonly diagnostics: Diagnostic[];
  /** Every output file with what happened (or would happen) to it. */
  readonly files: PlannedFile[];
  /** True when the run stopped early because neither inputs nor outputs changed since the last run. */
  readonly upToDate: boolean;
  /** Handler skeletons (user-owned, project-relative paths): created when absent, else kept untouched. */
  readonly skeletons: SkeletonStatus[];
}

export interface SkeletonStatus {
  readonly path: string;
  readonly change: 'created' | 'kept';
}
