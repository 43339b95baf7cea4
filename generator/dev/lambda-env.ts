/**
 * The environment a function's code sees under `evtgen dev`: the variables Lambda sets for every
 * function, the function's own variables from the template (table names, queue URLs, bus name:
 * resolved to what provisioning created), and what points the AWS SDK at the emulator. Nothing of
 * the shell's environment leaks in (on Lambda, a function sees only its own), so a handler that
 * works here does not depend on the developer's AWS profile.
 */

export interface LambdaEnvironmentInput {
  readonly functionName: string;
  readonly memorySize: number;
  readonly region: string;
  readonly endpoint: string;
  /** The function's variables, resolved. */
  readonly variables: Readonly<Record<string, string>>;
  /** Folder of the function's bundle (`LAMBDA_TASK_ROOT`). */
  readonly taskRoot: string;
}

/** Credentials for the emulator; it accepts any. */
export const emulatorCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export function lambdaEnvironment(input: LambdaEnvironmentInput): Record<string, string> {
  return {
    // What Lambda sets for every function.
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_LAMBDA_FUNCTION_NAME: input.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${input.functionName}`,
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    LAMBDA_TASK_ROOT: input.taskRoot,
    _HANDLER: 'index.handler',
    TZ: ':UTC',
    ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
    // The emulator instead of AWS, with credentials it accepts.
    AWS_ENDPOINT_URL: input.endpoint,
    AWS_ACCESS_KEY_ID: emulatorCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulatorCredentials.secretAccessKey,
    // No X-Ray daemon locally: Powertools' tracer stays off instead of failing to send segments.
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    // Lambda runs the function on Node 24; the SDK's warning about the Node running evtgen dev is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...input.variables,
  };
}
