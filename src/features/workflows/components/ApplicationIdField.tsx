import { useState } from 'react';
import type { Application } from '../../../contracts/workflows/applications.ts';
import { WorkflowIdSchema } from '../../../contracts/workflows/catalogue.ts';
import { TextInput } from '../../../shared/ui/fields.tsx';

/** "CORSIKA air showers" → "corsika-air-showers": a suggested application id. */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || 'application';
}

export type ApplicationIdState = ReturnType<typeof useApplicationId>;

/**
 * The id a descriptor is stored under: suggested from its name until the administrator types one. An id
 * the catalogue has makes it the next version of that application; any other, a new application.
 */
export function useApplicationId(applications: readonly Application[], name: string | undefined) {
  const [typed, setTyped] = useState<string | null>(null);
  const id = typed ?? (name ? slugOf(name) : '');
  const existing = applications.find((a) => a.id === id);
  const parsed = WorkflowIdSchema.safeParse(id);
  return {
    id,
    as: existing ? ('version' as const) : ('new' as const),
    existing,
    valid: parsed.success,
    error: parsed.success ? null : (parsed.error.issues[0]?.message ?? 'invalid'),
    setId: setTyped,
    reset: () => setTyped(null),
  };
}

export function ApplicationIdField({ state }: { state: ApplicationIdState }) {
  const next = state.existing ? Math.max(0, ...state.existing.versions.map((v) => v.version)) + 1 : 1;
  const help = state.error
    ? `Application id: ${state.error}.`
    : state.existing
      ? `Adds version ${next} of “${state.existing.name}” (${state.existing.id}).`
      : 'A new application (lower-case letters, digits and “-”).';
  return (
    <TextInput
      label="Application id"
      value={state.id}
      onChange={state.setId}
      error={state.error !== null}
      helperText={help}
      htmlInput={{ maxLength: 64, autoComplete: 'off', spellCheck: false }}
      sx={{ maxWidth: 480 }}
      fullWidth
    />
  );
}
