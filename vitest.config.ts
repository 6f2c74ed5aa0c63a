import { defineConfig } from 'vitest/config';

// Unit tests live beside the code; integration suites (real Postgres, Redis, nginx) live under tests/.
export default defineConfig({
  test: {
    retry: 0,
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'services/**/*.test.ts',
            'lab/**/*.test.ts',
            'loadtests/**/*.test.ts',
            'dashboards/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
