/**
 * Turning a registry error into what a form shows: the field it belongs to, and its message.
 */
import { InvalidInputError, StemmaError } from '$lib/registry/errors';

/** The message to show for any thrown value; a StemmaError's message is shown as is. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Which form field an error belongs to, or null when it concerns the whole form. */
export function errorField(error: unknown): string | null {
  if (error instanceof InvalidInputError) return error.field;
  if (!(error instanceof StemmaError)) return null;
  if (error.code === 'duplicate-model') return 'name';
  if (error.code === 'description-too-large') return 'description';
  if (error.code === 'file-unreadable') return 'files';
  return null;
}

/**
 * The section a field name falls in: `metrics.f1` and `metrics[2]` both belong to `metrics`,
 * so an error lands next to the group of inputs it concerns.
 */
export function fieldSection(field: string): string {
  return field.split(/[.[]/)[0];
}
