#!/usr/bin/env node
// Development entry point: rebuilds dist/ incrementally from the TypeScript sources (only what
// changed), then runs the CLI exactly as bin/run.js does, so development and release behave alike.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { execute } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = spawnSync(
  process.execPath,
  [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`],
  {
    stdio: 'inherit',
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

await execute({ dir: import.meta.url });
