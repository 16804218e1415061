import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['./helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files start real servers and browsers; two cores run two files at a time.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
