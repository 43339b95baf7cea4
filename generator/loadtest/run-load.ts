/**
 * `evtgen load`, the library half: read the contract and the scenario, find the target, derive the
 * traffic, run the phases in order, judge objectives and expectations, and write the report
 * (`load-report.json` and `load-report.html`) — every file written whole or not at all.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { emulatorCredentials } from '../dev/lambda-env.js';
import type { Diagnostic } from '../diagnostics.js';
import { loadContract } from '../model/build-model.js';
import type { ContractModel } from '../model/contract.js';
import { readLoadConfig } from './config.js';
import { parseDuration } from './duration.js';
import type { RouteObjectives } from './objectives.js';
import { type PhaseOutcome, runPhase } from './phase-run.js';
import { renderReportHtml } from './report-html.js';
import type { LoadReport } from './report-types.js';
import { resolveScenario, type ScenarioFlags } from './scenario.js';
import { regionOfApiUrl, sigV4Signer } from './sigv4-signer.js';
import { openStackWatch, type StackWatch } from './stack/stack-watch.js';
import { type LoadTarget, resolveLoadTarget } from './target.js';
import { buildTraffic, routeKeyOf } from './traffic.js';
import { warmUp } from './warm-up.js';

/** The run cannot start (specs, config, target, flags): exit 2, with diagnostics when there are. */
export class LoadSetupError extends Error {
  override name = 'LoadSetupError';
  readonly diagnostics: readonly Diagnostic[];
  constructor(message: string, diagnostics: readonly Diagnostic[] = []) {
    super(message);
    this.diagnostics = diagnostics;
  }
}

export interface LoadOptions {
  readonly projectRoot: string;
  /** `dev` or a URL. */
  readonly target: string;
  readonly flags: ScenarioFlags;
  /** A config file (default `evtgen.load.json` when present). */
  readonly configFile?: string;
  /** Headers for every request (`--header`), over the config file's. */
  readonly headers: Readonly<Record<string, string>>;
  /** IAM routes of a URL target: sign with this profile's credentials (`--profile`). */
  readonly profile?: string;
  /** The region IAM routes are signed for (default: from the URL, else AWS_REGION). */
  readonly region?: string;
  /** A URL target's CloudFormation stack: its events are counted through CloudWatch and SQS. */
  readonly stack?: string;
  /** How long the stack's counts must stay unchanged before they are final (default 90 s). */
  readonly metricsSettle?: string;
  /** Where the report goes. */
  readonly outDir: string;
  /** evtgen's version, for the report. */
  readonly version: string;
  readonly onProgress: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface LoadRun {
  readonly report: LoadReport;
  readonly files: { readonly json: string; readonly html: string };
}

export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const { config: projectConfig, diagnostics: configDiagnostics } = await loadConfig(options.projectRoot);
  if (!projectConfig) throw new LoadSetupError('The evtgen configuration is not usable.', configDiagnostics);
  const loaded = await loadContract(projectConfig.projectRoot, projectConfig.specsDir, {
    validate: false,
    requireSecurity: false,
    checkDeployability: false,
  });
  if (!loaded.model || !loaded.workspace)
    throw new LoadSetupError('The specs do not load: fix the errors above.', loaded.diagnostics);
  const model = loaded.model;
  const loadConfigResult = await readLoadConfig(projectConfig.projectRoot, options.configFile);
  if (!loadConfigResult.config)
    throw new LoadSetupError(
      `${loadConfigResult.file ?? 'The load configuration'} is not usable.`,
      loadConfigResult.diagnostics,
    );
  let scenario: ReturnType<typeof resolveScenario>;
  try {
    scenario = resolveScenario(loadConfigResult.config, options.flags, {
      consumers: model.consumers.map((c) => c.name),
      queueConsumers: model.consumers.filter((c) => c.delivery === 'queue').map((c) => c.name),
    });
  } catch (error) {
    throw new LoadSetupError((error as Error).message);
  }
  let target: LoadTarget;
  try {
    target = await resolveLoadTarget(projectConfig.projectRoot, options.target);
  } catch (error) {
    throw new LoadSetupError((error as Error).message);
  }
  const headers = { ...scenario.headers, ...options.headers };
  let traffic: Awaited<ReturnType<typeof buildTraffic>>;
  try {
    traffic = await buildTraffic(model, loaded.workspace, {
      weights: scenario.weights,
      auth: {
        ...(target.kind === 'dev' && target.token ? { bearerToken: target.token } : {}),
        headers,
        sigV4: target.kind === 'dev' || options.profile !== undefined,
      },
    });
  } catch (error) {
    throw new LoadSetupError((error as Error).message);
  }
  const overrides = scenario.objectives ?? {};
  const unknownRoutes = Object.keys(overrides).filter(
    (key) => key !== '*' && !model.httpOperations.some((op) => routeKeyOf(op) === key),
  );
  if (unknownRoutes.length > 0)
    throw new LoadSetupError(
      `The objectives name routes the contract does not have: ${unknownRoutes.join(', ')}. Routes: ${model.httpOperations.map(routeKeyOf).join(', ')}.`,
    );
  const objectives: RouteObjectives[] = traffic.routes.map((r) => {
    const own = overrides[r.routeKey];
    const overridden = own ?? overrides['*'];
    return {
      routeKey: r.routeKey,
      slo: { ...r.slo, ...overrides['*'], ...own },
      source: overridden
        ? `${loadConfigResult.file ?? 'evtgen.load.json'}#/objectives/${own ? r.routeKey.replaceAll('~', '~0').replaceAll('/', '~1') : '*'}`
        : `${r.source}/x-slo`,
    };
  });
  const eventBusName = target.kind === 'dev' ? target.eventBusName : undefined;
  const signingRegion =
    target.kind === 'dev'
      ? target.region
      : (options.region ?? regionOfApiUrl(target.url) ?? process.env.AWS_REGION);
  if (target.kind === 'url' && options.profile !== undefined && !signingRegion)
    throw new LoadSetupError(
      `--profile signs IAM routes, but the region of ${target.url} is unknown: pass --region.`,
    );
  const prepare =
    signingRegion && (target.kind === 'dev' || options.profile !== undefined)
      ? sigV4Signer({
          url: target.url,
          region: signingRegion,
          ...(target.kind === 'dev' ? { credentials: emulatorCredentials } : {}),
          ...(options.profile ? { profile: options.profile } : {}),
        })
      : undefined;

  const phases = scenario.phases.filter((p) => target.kind === 'dev' || p.name !== 'faults');
  if (phases.length < scenario.phases.length) {
    if (phases.length === 0)
      throw new LoadSetupError(
        'The faults phase injects its faults through evtgen dev (its runtime and its AWS proxy); a URL target has no such hook. Run it against `--target dev`.',
      );
    options.onProgress('faults: skipped, it needs evtgen dev to inject them (see docs/load.md)');
  }
  const settleMs = options.metricsSettle
    ? setupValue(() => parseDuration(options.metricsSettle ?? '', '--metrics-settle'))
    : 90_000;
  const stack = await openStack(options, target, signingRegion);

  const startedAt = new Date();
  const outcomes: PhaseOutcome[] = [];
  const requestBudget = { remaining: scenario.maxRequests };
  try {
    const first = scenario.phases[0];
    if (first && scenario.warmupMs > 0) {
      options.onProgress(`warm-up: ${Math.round(scenario.warmupMs / 1000)} s, not recorded`);
      requestBudget.remaining -= await warmUp({
        target,
        traffic,
        rate: Math.max(1, first.rate.start),
        durationMs: scenario.warmupMs,
        maxRequests: requestBudget.remaining,
        ...(prepare ? { prepare } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    }
    for (const phase of phases) {
      if (options.signal?.aborted || requestBudget.remaining <= 0) break;
      options.onProgress(`${phase.name}: starting`);
      outcomes.push(
        await runPhase(phase, {
          target,
          model,
          traffic,
          objectives,
          runStartedAt: startedAt.getTime(),
          drainTimeoutMs: scenario.drainTimeoutMs,
          requestBudget,
          ...(eventBusName ? { eventBusName } : {}),
          ...(stack
            ? { stack, stackPolling: { settleMs, pollMs: Math.min(15_000, Math.max(100, settleMs / 3)) } }
            : {}),
          ...(prepare ? { prepare } : {}),
          onProgress: options.onProgress,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
    }
  } finally {
    if (target.kind === 'dev') target.session.close();
    stack?.close();
  }

  const report = buildReport({
    model,
    target,
    startedAt,
    outcomes,
    version: options.version,
  });
  const files = await writeReport(options.outDir, report);
  return { report, files };
}

/** The deployed stack to count events from (`--stack`), opened; undefined without the flag. */
async function openStack(
  options: LoadOptions,
  target: LoadTarget,
  signingRegion: string | undefined,
): Promise<StackWatch | undefined> {
  if (options.stack === undefined) return undefined;
  if (target.kind === 'dev')
    throw new LoadSetupError(
      '--stack counts the events of a deployed stack behind a URL target; against evtgen dev every event is already followed through its journal.',
    );
  if (!signingRegion)
    throw new LoadSetupError(`--stack ${options.stack}: the stack's region is unknown: pass --region.`);
  try {
    return await openStackWatch({
      stackName: options.stack,
      region: signingRegion,
      ...(options.profile ? { profile: options.profile } : {}),
    });
  } catch (error) {
    throw new LoadSetupError((error as Error).message);
  }
}

function setupValue<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new LoadSetupError((error as Error).message);
  }
}

function buildReport(input: {
  readonly model: ContractModel;
  readonly target: LoadTarget;
  readonly startedAt: Date;
  readonly outcomes: readonly PhaseOutcome[];
  readonly version: string;
}): LoadReport {
  const phases = input.outcomes.map((o) => o.report);
  const objectives = input.outcomes.flatMap((o) => o.objectives);
  const misses = [
    ...objectives
      .filter((o) => !o.met)
      .map((o) =>
        o.objective === 'p99Ms'
          ? `${o.phase}: ${o.subject} p99 ${round(o.measured)} ms > ${o.target} ms (${o.source})`
          : `${o.phase}: ${o.subject} errors ${round(o.measured)} % > ${o.target} % (${o.source})`,
      ),
    ...phases.flatMap((p) =>
      p.expectations.filter((e) => !e.met).map((e) => `${p.name}: ${e.text} — ${e.detail}`),
    ),
  ];
  return {
    schemaVersion: 1,
    tool: { name: 'evtgen', version: input.version },
    service: input.model.service.name,
    target: { kind: input.target.kind, url: input.target.url },
    startedAt: input.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    generator: { engine: 'undici 7 (open-loop scheduler, HDR histograms)', model: 'open-loop' },
    phases,
    objectives,
    verdict: misses.length === 0 ? 'met' : 'missed',
    misses,
  };
}

/** Writes both files through temporary names, so a crash leaves no half-written report. */
async function writeReport(outDir: string, report: LoadReport): Promise<{ json: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const json = join(outDir, 'load-report.json');
  const html = join(outDir, 'load-report.html');
  const contents: [string, string][] = [
    [json, `${JSON.stringify(report, null, 2)}\n`],
    [html, await renderReportHtml(report)],
  ];
  for (const [file, text] of contents) {
    await writeFile(`${file}.tmp`, text);
    await rename(`${file}.tmp`, file);
  }
  return { json, html };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
