#!/usr/bin/env node
// The installed CLI: runs the compiled commands in dist/ (built by `npm run build`, run on `npm ci`).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
