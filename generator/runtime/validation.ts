/**
 * What the generated runtime needs to know about validators: the shape the precompiled validators
 * in `validators/` return. Declared here, structurally, so the runtime stays independent of any one
 * contract.
 */
export interface Issue {
  /** JSON pointer (RFC 6901) of the offending value. */
  readonly pointer: string;
  readonly message: string;
}

export type Checked<T> =
  | { readonly valid: true; readonly value: T }
  | { readonly valid: false; readonly issues: readonly Issue[] };

export type Validate<T> = (value: unknown) => Checked<T>;

/** "pointer: message" lines, for logs and error messages. */
export function describeIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => `${issue.pointer === '' ? '/' : issue.pointer}: ${issue.message}`).join('; ');
}
