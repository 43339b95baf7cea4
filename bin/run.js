#!/usr/bin/env node
// The installed CLI: runs the compiled commands in dist/ (built by `npm run build`, run on `npm ci`).
// This is oclif's `execute`, plus two things: V8's optimizing is tuned for short runs before anything
// else is compiled (tiering.ts, imported first), and a mistyped flag gets the nearest flag of its
// command added to oclif's "Nonexistent flag" error ("Did you mean --check?").
import '../dist/generator/cli/tiering.js';
import { flush, handle, run, settings } from '@oclif/core';

// Always the compiled code: with NODE_ENV=test or development oclif would look for the TypeScript
// sources of hooks (and fail to load them), e.g. when a service's own tests run evtgen.
settings.enableAutoTranspile = false;

await run(process.argv.slice(2), import.meta.url)
  .then(() => flush())
  .catch(async (error) => {
    const definitions = error?.parse?.input?.flags;
    if (error?.constructor?.name === 'NonExistentFlagsError' && Array.isArray(error.flags) && definitions) {
      const { flagSuggestions } = await import('../dist/generator/cli/suggest.js');
      const lines = flagSuggestions(error.flags, definitions);
      if (lines.length > 0)
        error.message = error.message.replace(/\n|$/, `\n${lines.join('\n')}\n`).trimEnd();
    }
    return handle(error);
  });
