/**
 * `evtgen dlq` as people read it in a terminal: the queues as a table, a consumer's events one block
 * each (what, when, why), and a redrive's plan and summary. Widths follow the content, lines stay
 * short enough for an 80–100 column terminal.
 */
import { paint, type Style } from '../cli/render.js';
import type { DeadLetter, DeadLetterCause } from './decode.js';
import type { ConsumerDeadLetters, QueueSummary } from './inspect.js';
import type { RedrivePlan, RedriveResult } from './redrive.js';

/** `45 s`, `12 min`, `3 h 5 min`, `4 d 2 h`: how long ago `iso` was, from `now`. */
export function formatAge(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export function renderQueues(
  where: string,
  queues: readonly QueueSummary[],
  now: number,
  colour: boolean,
): string {
  const rows = queues.map((q) => [
    q.name,
    q.consumers.join(', '),
    q.hops.join(', '),
    String(q.depth),
    q.oldestQueuedAt
      ? `${formatAge(q.oldestQueuedAt, now)}${q.scanned < q.depth ? ` (of ${q.scanned} read)` : ''}`
      : '-',
  ]);
  const head = ['queue', 'consumer', 'hops', 'depth', 'oldest'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const total = queues.reduce((sum, q) => sum + q.depth, 0);
  return [
    `Dead-letter queues of ${where}: ${queues.length}, ${total} message${total === 1 ? '' : 's'}`,
    '',
    paint(line(head), 'bold', colour),
    ...rows.map((r, i) => ((queues[i]?.depth ?? 0) > 0 ? paint(line(r), 'yellow', colour) : line(r))),
    '',
  ].join('\n');
}

const causeText: Record<DeadLetterCause, string> = {
  invalid: 'invalid under the contract (poison)',
  failed: 'failed every receive',
  'invoke-failed': 'the asynchronous invocation gave up',
  undeliverable: 'EventBridge could not deliver it',
  redriven: 'SQS redrive after the last receive',
};

export function renderConsumer(shown: ConsumerDeadLetters, now: number, colour: boolean): string {
  const total = shown.queues.reduce((sum, q) => sum + q.depth, 0);
  const lines = [
    `${shown.consumer}: ${total} dead-lettered event${total === 1 ? '' : 's'} (${shown.queues.map((q) => `${q.name} ${q.depth}`).join(', ')})`,
  ];
  for (const queue of shown.queues) {
    if (queue.depth === 0) continue;
    lines.push('', paint(`${queue.name}  (${queue.hops.join(', ')})`, 'bold', colour));
    queue.letters.forEach((letter, i) => {
      lines.push(...letterLines(letter, i + 1, now, colour));
    });
    if (queue.letters.length < queue.depth)
      lines.push(paint(`  … ${queue.depth - queue.letters.length} more (--limit)`, 'dim', colour));
  }
  return `${lines.join('\n')}\n`;
}

function letterLines(letter: DeadLetter, n: number, now: number, colour: boolean): string[] {
  const field = (name: string, value: string | number | undefined): string[] =>
    value === undefined ? [] : [`     ${name.padEnd(15)}${value}`];
  const reason = letter.reason;
  const why = [
    causeText[letter.cause],
    reason.attempts !== undefined
      ? `after ${reason.attempts} attempt${reason.attempts === 1 ? '' : 's'}`
      : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return [
    `  ${n}. ${paint(letter.eventType ?? '(not an event)', 'cyan', colour)}  ${letter.queuedAt ? `queued ${formatAge(letter.queuedAt, now)} ago (${letter.queuedAt})` : ''}`.trimEnd(),
    ...field('event id', letter.eventId),
    ...field('correlation id', letter.correlationId),
    ...field('schema version', letter.schemaVersion),
    ...field('why', why),
    `     ${''.padEnd(15)}${paint(reason.errorName ? `${reason.errorName}: ${reason.message}` : reason.message, 'red', colour)}`,
    ...(reason.issues ?? []).map((issue) => `     ${''.padEnd(15)}  ${issue}`),
  ];
}

const actionStyle: Record<string, Style> = { replay: 'green', skip: 'dim', reject: 'red' };

export function renderPlan(plan: RedrivePlan, colour: boolean): string {
  const lines = [`${plan.consumer} → ${plan.target}:`];
  for (const item of plan.letters) {
    const what = `${item.letter.eventType ?? '(not an event)'} ${item.letter.eventId ?? item.letter.messageId}`;
    lines.push(
      `  ${paint(item.action.padEnd(6), actionStyle[item.action] ?? 'dim', colour)}  ${what}  ${paint(`(${item.queue})`, 'dim', colour)}`,
    );
    for (const why of item.why ?? [])
      lines.push(paint(`          ${why}`, item.action === 'reject' ? 'red' : 'dim', colour));
  }
  return `${lines.join('\n')}\n`;
}

export function renderRedrive(result: RedriveResult, colour: boolean): string {
  const { plan } = result;
  const replay = plan.letters.filter((l) => l.action === 'replay').length;
  const lines = [renderPlan(plan, colour).trimEnd(), ''];
  if (result.dryRun)
    lines.push(
      `Dry run: ${replay} would be replayed, ${result.skipped} skipped, ${result.rejected} rejected. Nothing was changed.`,
    );
  else if (!result.confirmed) lines.push('Not confirmed: nothing was replayed.');
  else
    lines.push(
      `${paint(`${result.moved} moved`, result.moved > 0 ? 'green' : 'dim', colour)}, ${result.skipped} skipped, ${paint(`${result.rejected} rejected`, result.rejected > 0 ? 'red' : 'dim', colour)}, ${paint(`${result.failed.length} failed`, result.failed.length > 0 ? 'red' : 'dim', colour)}`,
      ...result.failed.map((f) => paint(`  ${f.messageId}: ${f.error}`, 'red', colour)),
    );
  if (result.rejected > 0)
    lines.push(
      'Rejected events fail the current contract: replaying them would only dead-letter them again. Fix them, or pass --force to replay them anyway.',
    );
  return `${lines.join('\n')}\n`;
}
