/**
 * The generated validators report issues at detail pointers (`/data/lines/0/quantity`); the user
 * edits a spec example or their own file. This turns each issue into a diagnostic at the file, line
 * and column the value came from, keeping the detail pointer in the message.
 */
import { type Diagnostic, sortDiagnostics } from '../diagnostics.js';
import type { EventInput, PartSource } from './event-input.js';

/** One validation issue as the generated runtime reports it. */
export interface EventIssue {
  /** JSON pointer into the detail (`{metadata, data, eventId, schemaVersion}`). */
  readonly pointer: string;
  readonly message: string;
}

/** Each issue as an `event-invalid` diagnostic, located where its value was written. */
export function issueDiagnostics(
  messageName: string,
  input: EventInput,
  issues: readonly EventIssue[],
): Diagnostic[] {
  const diagnostics = issues.map((issue): Diagnostic => {
    const part = /^\/(data|metadata)(?=\/|$)/.exec(issue.pointer)?.[1] as 'data' | 'metadata' | undefined;
    const source: PartSource | undefined = part ? input.sources[part] : undefined;
    const rest = part ? issue.pointer.slice(part.length + 1) : '';
    const pointer = source ? source.pointer + rest : issue.pointer;
    const set = input.sets.find(
      (s) => issue.pointer === s.pointer || issue.pointer.startsWith(`${s.pointer}/`),
    );
    return {
      severity: 'error',
      code: 'event-invalid',
      message: `${messageName} ${describe(issue)}${set ? ` (value from --set ${set.text})` : ''}.`,
      file: source?.file ?? '<event>',
      position: source?.locate(pointer) ?? { line: 1, column: 1 },
      pointer,
      hint: `Fix the value so that it matches the ${messageName} schema (\`evtgen docs\` shows it), or pick another --example.`,
    };
  });
  return sortDiagnostics(diagnostics);
}

/**
 * The runtime points a missing or unexpected property at the property itself (so it can be
 * located); ajv's wording is about the object holding it. Say it about the property.
 */
function describe(issue: EventIssue): string {
  const shown = issue.pointer === '' ? '(the detail)' : issue.pointer;
  if (/^must have required property /.test(issue.message)) return `${shown} is required but missing`;
  if (/^must NOT have (additional|unevaluated) properties$/.test(issue.message))
    return `${shown} is not allowed (${issue.message})`;
  return `${shown} ${issue.message}`;
}
