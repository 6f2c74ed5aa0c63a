import { z } from 'zod';
import { LabError } from '../../lab-errors.ts';

/**
 * The schema of a k6-operator TestRun (k6.io/v1alpha1), the part the lab writes: no package types it,
 * so it is typed here from the operator's CRD (spec.parallelism, spec.script.configMap, spec.arguments,
 * spec.runner, spec.separate, spec.cleanup).
 */
export const testRunSchema = z
  .object({
    apiVersion: z.literal('k6.io/v1alpha1'),
    kind: z.literal('TestRun'),
    metadata: z.object({
      name: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
        .max(63),
      labels: z.record(z.string(), z.string()).optional(),
    }),
    spec: z
      .object({
        parallelism: z.number().int().min(1).max(1000),
        script: z.object({
          configMap: z.object({ name: z.string().min(1), file: z.string().min(1) }).strict(),
        }),
        arguments: z.string().optional(),
        separate: z.boolean().optional(),
        cleanup: z.literal('post').optional(),
        runner: z
          .object({
            image: z.string().min(1),
            env: z
              .array(z.object({ name: z.string().min(1), value: z.string() }).strict())
              .optional(),
            resources: z
              .object({
                requests: z.record(z.string(), z.string()).optional(),
                limits: z.record(z.string(), z.string()).optional(),
              })
              .optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
  })
  .strict();

/** The fields of a TestRun. */
export type TestRunData = z.infer<typeof testRunSchema>;

/** A k6-operator TestRun with the same validate()/toJSON() contract as the kubernetes-models objects. */
export class TestRun {
  readonly apiVersion = 'k6.io/v1alpha1' as const;
  readonly kind = 'TestRun' as const;
  readonly metadata: TestRunData['metadata'];
  readonly spec: TestRunData['spec'];

  constructor(data: Omit<TestRunData, 'apiVersion' | 'kind'>) {
    this.metadata = data.metadata;
    this.spec = data.spec;
  }

  /** Checks the object against the schema; CONFIG_INVALID listing the problems. */
  validate(): void {
    const parsed = testRunSchema.safeParse(this.toJSON());
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new LabError('CONFIG_INVALID', `invalid TestRun: ${problems.join('; ')}`);
    }
  }

  /** The plain object written to YAML. */
  toJSON(): TestRunData {
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: this.metadata,
      spec: this.spec,
    };
  }
}
