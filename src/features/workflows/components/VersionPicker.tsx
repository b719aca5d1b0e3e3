import type { WorkflowListItem } from '../../../contracts/workflows/catalogue.ts';
import { SelectField } from '../../../shared/ui/fields.tsx';

/**
 * Which published version of an application to use, when it has several (newest first, the default).
 * `onPick(undefined)` means the newest, so links and reloads follow later publications.
 */
export function VersionPicker({ workflow, onPick }: { workflow: WorkflowListItem; onPick: (version: number | undefined) => void }) {
  if (workflow.versions.length < 2) return null;
  const newest = workflow.versions[0]?.version;
  return (
    <SelectField
      label="Version"
      value={String(workflow.catalogueVersion)}
      onChange={(v) => onPick(Number(v) === newest ? undefined : Number(v))}
      options={workflow.versions.map((v) => ({
        value: String(v.version),
        label: `${v.version} · ${v.toolVersion}${v.version === newest ? ' (newest)' : ''}`,
      }))}
      helperText="Every launch records the version and its descriptor's hash."
      sx={{ minWidth: 220, mb: 2.5 }}
    />
  );
}
