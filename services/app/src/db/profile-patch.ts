import { z } from 'zod';
import { AppError } from '../errors.ts';

/** Length in characters (code points), so an emoji counts once, as a person would count it. */
const characters = (value: string): number => [...value].length;

function text(max: number, options: { allowEmpty: boolean }) {
  const base = z.string().trim();
  const checked = options.allowEmpty ? base : base.min(1, 'must not be empty');
  return checked.refine((value) => characters(value) <= max, `must be at most ${max} characters`);
}

/** The fields a PATCH /profiles/:id may change. */
export const PROFILE_PATCH_FIELDS = [
  'headline',
  'location',
  'full_name',
  'about',
  'open_to_work',
] as const;

const patchSchema = z.strictObject({
  headline: text(220, { allowEmpty: false }).optional(),
  location: text(120, { allowEmpty: false }).optional(),
  full_name: text(120, { allowEmpty: false }).optional(),
  // An empty "about" is how a member clears it.
  about: text(2000, { allowEmpty: true }).optional(),
  open_to_work: z.boolean().optional(),
});

/** A validated PATCH body: at least one field, strings trimmed. */
export type ProfilePatch = z.infer<typeof patchSchema>;

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field(s): ${issue.keys.join(', ')} (allowed: ${PROFILE_PATCH_FIELDS.join(', ')})`;
  }
  if (issue.path.length === 0) return 'body must be a JSON object';
  const field = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type') return `${field}: must be a ${issue.expected}`;
  return `${field}: ${issue.message}`;
}

/** Validates a PATCH body; throws AppError('INVALID_BODY') whose message names each offending field. */
export function parseProfilePatch(body: unknown): ProfilePatch {
  const parsed = patchSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(describe);
    throw new AppError('INVALID_BODY', `invalid profile patch: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  const patch = parsed.data;
  if (!Object.values(patch).some((value) => value !== undefined)) {
    const message = `invalid profile patch: at least one field is required (${PROFILE_PATCH_FIELDS.join(', ')})`;
    throw new AppError('INVALID_BODY', message, { details: { problems: [message] } });
  }
  return patch;
}
