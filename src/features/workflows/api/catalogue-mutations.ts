import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  ApplicationVersionSchema,
  DescriptorPreviewSchema,
  VersionRemovalSchema,
  type ApplicationUpload,
  type ZenodoImport,
} from '../../../contracts/workflows/applications.ts';
import { api } from '../../../shared/lib/api-client.ts';
import { catalogueQueries } from './catalogue-queries.ts';
import { workflowQueries } from './workflow-queries.ts';

const ADMIN = '/bff/v1/admin/applications';
const versionPath = (appId: string, version: number) => `${ADMIN}/${encodeURIComponent(appId)}/versions/${version}`;

/** A change to the catalogue changes what users see too: both lists are refetched. */
function useInvalidate() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: catalogueQueries.all() }),
      queryClient.invalidateQueries({ queryKey: workflowQueries.all() }),
    ]);
}

/** Validate a descriptor and get its preview (nothing stored); the page shows the refusal with its fields. */
export function useCheckDescriptor() {
  return useMutation({
    mutationFn: (descriptor: string) => api.post(`${ADMIN}/check`, { descriptor }, DescriptorPreviewSchema),
    meta: { silent: true },
  });
}

/** Store an uploaded descriptor as a draft and, with `publish`, publish it at once. */
export function useAddApplication() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ publish, ...body }: ApplicationUpload & { publish: boolean }) => {
      const added = await api.post(ADMIN, body, ApplicationVersionSchema);
      return publish ? api.post(`${versionPath(added.appId, added.version)}/publish`, {}, ApplicationVersionSchema) : added;
    },
    onSettled: invalidate,
    meta: { silent: true },
  });
}

/** Import a descriptor from an OSSR/Zenodo record (live by DOI, or from the record's export and the file): a draft. */
export function useImportZenodo() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ZenodoImport) => api.post(`${ADMIN}/import/zenodo`, body, ApplicationVersionSchema),
    onSettled: invalidate,
    meta: { silent: true },
  });
}

export type VersionAction = 'publish' | 'disable' | 'remove';

/** Publish, disable or remove one version; a removal answers how many launches and schedules used it. */
export function useVersionAction() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ appId, version, action }: { appId: string; version: number; action: VersionAction }) => {
      if (action === 'remove') return (await api.delete(versionPath(appId, version), VersionRemovalSchema)).usedBy;
      await api.post(`${versionPath(appId, version)}/${action}`, {}, ApplicationVersionSchema);
      return null;
    },
    onSettled: invalidate,
    meta: { silent: true },
  });
}
