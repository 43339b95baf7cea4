import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and type-check tests spawn processes; the machine is shared, so allow generous time.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
