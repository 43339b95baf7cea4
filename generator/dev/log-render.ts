/**
 * The lines of `evtgen dev`: Powertools' JSON log lines (one per handler log call) made readable —
 * time, level, function, correlation id, message and the line's own keys — and EMF metric records
 * shortened to `name=value`. Lines that are not JSON (console.log, stack traces) are shown as they
 * are. `--json` keeps every line raw, with the function's name added for tools that read it.
 */

/** Keys every Powertools line carries: shown in the prefix or left out, not repeated. */
const standardKeys = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_name',
  'function_memory_size',
  'function_arn',
  'function_request_id',
  'correlation_id',
  'xray_trace_id',
  'sampling_rate',
]);

export interface RenderOptions {
  readonly json: boolean;
  readonly color: boolean;
}

const colors = { dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', reset: '\x1b[0m' };

/** One line of a function's output, rendered for the terminal (or as JSON with `--json`). */
export function renderFunctionLine(functionName: string, line: string, options: RenderOptions): string {
  const parsed = parseObject(line);
  if (options.json)
    return JSON.stringify(
      parsed ? { function: functionName, ...parsed } : { function: functionName, text: line },
    );
  const paint = (color: keyof typeof colors, text: string): string =>
    options.color ? `${colors[color]}${text}${colors.reset}` : text;
  if (!parsed) return `${paint('dim', clock(new Date()))} ${pad('')} ${paint('cyan', functionName)} ${line}`;
  const metrics = emfMetrics(parsed);
  if (metrics) return `${paint('dim', `${clock(new Date())} ${pad('METRIC')} ${functionName} ${metrics}`)}`;
  const level = String(parsed.level ?? 'INFO').toUpperCase();
  const time = typeof parsed.timestamp === 'string' ? new Date(parsed.timestamp) : new Date();
  const correlation =
    typeof parsed.correlation_id === 'string'
      ? ` ${paint('dim', `[${parsed.correlation_id.slice(0, 8)}]`)}`
      : '';
  const extra = Object.entries(parsed).filter(([key]) => !standardKeys.has(key));
  const rest = extra.length > 0 ? ` ${paint('dim', JSON.stringify(Object.fromEntries(extra)))}` : '';
  const levelColor = level === 'ERROR' || level === 'CRITICAL' ? 'red' : level === 'WARN' ? 'yellow' : 'dim';
  return `${paint('dim', clock(time))} ${paint(levelColor, pad(level))} ${paint('cyan', functionName)}${correlation} ${String(parsed.message ?? '')}${rest}`;
}

/** A line of evtgen dev itself (provisioning, reloads, poller errors). */
export function renderDevLine(
  level: 'INFO' | 'WARN' | 'ERROR',
  message: string,
  options: RenderOptions,
): string {
  if (options.json)
    return JSON.stringify({ source: 'evtgen-dev', level, message, timestamp: new Date().toISOString() });
  const text = `${clock(new Date())} ${pad(level)} evtgen ${message}`;
  if (!options.color) return text;
  return level === 'ERROR'
    ? `${colors.red}${text}${colors.reset}`
    : level === 'WARN'
      ? `${colors.yellow}${text}${colors.reset}`
      : text;
}

function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `EventsPublished=1 ColdStart=1` from an EMF record, or undefined when the line is not one. */
function emfMetrics(record: Record<string, unknown>): string | undefined {
  const aws = record._aws as { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] } | undefined;
  const definitions = aws?.CloudWatchMetrics?.flatMap((m) => m.Metrics ?? []);
  if (!definitions) return undefined;
  return definitions.map(({ Name }) => `${Name}=${JSON.stringify(record[Name])}`).join(' ');
}

function clock(date: Date): string {
  return date.toISOString().slice(11, 23);
}

function pad(level: string): string {
  return level.padEnd(6);
}
