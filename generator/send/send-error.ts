/**
 * Why `evtgen events send` did not send, as data the command renders: PRODUCT.md's exit codes
 * follow from the kind (a wrong name, flag or missing setup is the user's to fix before anything
 * can run: 2; an event or spec that does not hold, or a bus that refused it: 1).
 */
import type { Diagnostic } from '../diagnostics.js';

/**
 * - `usage`: unknown message or example, unreadable file, bad `--set`.
 * - `config`: no target, `generated/` missing or out of date, dependencies not installed.
 * - `spec`: the specs do not load.
 * - `invalid`: the input file is malformed or the event does not match its contract.
 * - `publish`: EventBridge (or the emulator) did not accept the event.
 */
export type SendFailure = 'usage' | 'config' | 'spec' | 'invalid' | 'publish';

export class SendEventError extends Error {
  constructor(
    readonly failure: SendFailure,
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
    /** Follow-up lines: "did you mean", the known names, what to run. */
    readonly suggestions: readonly string[] = [],
  ) {
    super(message);
    this.name = 'SendEventError';
  }
}

/** 2 for what must be fixed before anything runs, 1 for what was found wrong while running. */
export function exitCodeOf(failure: SendFailure): 1 | 2 {
  return failure === 'usage' || failure === 'config' ? 2 : 1;
}
