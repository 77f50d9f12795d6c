import { defineConfig } from 'vitest/config';

// The whole suite runs on embedded PGlite; with TEST_DATABASE_URL set it runs again on PostgreSQL.
const engines = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: engines.map((engine) => ({
      extends: true,
      test: {
        name: engine,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
        env: { JAIZA_TEST_ENGINE: engine },
        // Pure domain and web-app tests do not touch the database, and the browser tests drive the server on
        // embedded data: run them once.
        exclude: engine === 'postgres' ? ['src/domain/**', 'web/**', 'test/e2e/**', 'node_modules/**'] : ['node_modules/**'],
      },
    })),
  },
});
