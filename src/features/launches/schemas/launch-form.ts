import type { z } from 'zod';
import type { Draft } from '../../../contracts/drafts.ts';
import type { LaunchRequestSchema } from '../../../contracts/launches.ts';
import type { QueueRequirement } from '../../../contracts/resources.ts';
import type { WorkflowDetail } from '../../../contracts/workflows/catalogue.ts';
import { hintsOf, type BoutiquesInput } from '../../../contracts/workflows/descriptor.ts';
import {
  checkResources,
  defaultResources,
  LaunchSettingsSchema,
  StoredLaunchSettingsSchema,
  loadLaunchSettings,
  nameError,
  resourcesFromRequirement,
  type LaunchSettings,
  type Relaunch,
} from './launch-settings.ts';
import { defaultLaunchName } from './launch-text.ts';

/**
 * The launch form: the workflow's parameters (the workflows feature's form, given to the launch
 * form by the page) plus these settings — the basket items and how they bind to jobs, the
 * resources as typed and the production name (`LaunchSettingsSchema`, also what sessionStorage
 * and drafts keep). `launchSettingsSchema` turns the settings into their part of the launch
 * request, checked as the BFF checks it.
 */

/** A launch request without its idempotency key (one key per attempt: `useAttemptKey`). */
export type LaunchBody = Omit<z.input<typeof LaunchRequestSchema>, 'idempotencyKey'>;
/** What the settings contribute to a launch request. */
export type LaunchSettingsRequest = Pick<
  z.output<typeof LaunchRequestSchema>,
  'name' | 'inputItemIds' | 'inputBasket' | 'inputMode' | 'resources' | 'stageAt'
> & { fileBindings?: Record<string, string> };

/** The workflow's input-file parameter (bound to basket items) and the data levels it reads; null when it reads no files. */
export function fileInputOf(workflow: WorkflowDetail): { input: BoutiquesInput; levels: string[] | null } | null {
  const input = workflow.descriptor.inputs.find((i) => i.type === 'File');
  if (!workflow.hasFileInput || !input) return null;
  return { input, levels: hintsOf(workflow.descriptor)['escape:input-data-levels']?.[input.id] ?? null };
}

/**
 * The File inputs after the first: each is given one chosen basket file (the same in every job), or its default
 * file, or nothing (the request's `fileBindings`); only the first one is bound to the basket items.
 */
export function otherFileInputsOf(workflow: WorkflowDetail): BoutiquesInput[] {
  return workflow.descriptor.inputs.filter((i) => i.type === 'File').slice(1);
}

/** The message when a workflow that reads files has none chosen. */
export const noInputMessage = (input: BoutiquesInput) =>
  `Choose at least one basket item for “${input.name}”: this workflow reads input files.`;

/**
 * Settings as typed → their part of the launch request, with an issue on each field that is
 * wrong (`inputItemIds`, `resources.<field>`, `name`): the launch form's resolver.
 */
export function launchSettingsSchema(workflow: WorkflowDetail) {
  const files = fileInputOf(workflow);
  return LaunchSettingsSchema.transform((s, ctx): LaunchSettingsRequest => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    // The whole basket is read by the BFF; chosen items no longer in the basket are refused there, naming them.
    const whole = files ? s.inputBasket : null;
    const ids = files && !whole ? s.inputItemIds : [];
    if (files && !whole && ids.length === 0) issue(['inputItemIds'], noInputMessage(files.input));
    const resources = checkResources(s.resources, workflow.resources);
    for (const [field, message] of Object.entries(resources.errors)) issue(['resources', field], message);
    const badName = nameError(s.name);
    if (badName) issue(['name'], badName);
    const stageAt = stageAtOf(s.stageFirst, resources.requirement);
    // Only this workflow's other File inputs with a file chosen (a draft may hold another version's inputs).
    const fileBindings = Object.fromEntries(
      otherFileInputsOf(workflow)
        .map((i) => [i.id, s.fileBindings[i.id] ?? ''] as const)
        .filter(([, itemId]) => itemId !== ''),
    );
    return {
      name: s.name,
      inputItemIds: ids,
      ...(whole ? { inputBasket: whole } : {}),
      inputMode: files ? s.inputMode : 'none',
      resources: resources.requirement,
      ...(files && stageAt ? { stageAt } : {}),
      ...(Object.keys(fileBindings).length > 0 ? { fileBindings } : {}),
    };
  });
}

/** The site a launch stages its inputs at: "Stage first" applies to the one site pinned in Resources. */
export function stageAtOf(stageFirst: boolean, requirement: Pick<QueueRequirement, 'sites'>): string | undefined {
  return stageFirst && requirement.sites?.length === 1 ? requirement.sites[0] : undefined;
}

/** Where the form starts: an opened draft, else a relaunch, else what this tab kept, else the workflow's defaults. */
export function initialSettings(workflow: WorkflowDetail, relaunch: Relaunch | null, opened: Draft | null): LaunchSettings {
  const fileMode = workflow.inputMode === 'all-in-one' ? 'all-in-one' : 'per-file';
  const fromDraft = opened ? StoredLaunchSettingsSchema.safeParse(opened.content.settings) : null;
  if (fromDraft?.success) return fromDraft.data;
  if (relaunch) {
    // A stage-first launch pinned its jobs to the staging site: the relaunch pins it again and stages again.
    const requirement = relaunch.stageAt ? { ...relaunch.resources, sites: [relaunch.stageAt] } : relaunch.resources;
    return {
      inputItemIds: relaunch.inputItemIds,
      inputBasket: relaunch.inputBasket ?? null,
      inputMode: relaunch.inputMode === 'none' ? fileMode : relaunch.inputMode,
      resources: resourcesFromRequirement(requirement, workflow.resources),
      name: relaunch.name,
      stageFirst: relaunch.stageAt !== undefined,
      fileBindings: relaunch.fileBindings,
    };
  }
  return (
    loadLaunchSettings(workflow.id) ?? {
      inputItemIds: [],
      inputBasket: null,
      inputMode: fileMode,
      resources: defaultResources(workflow.resources),
      name: defaultLaunchName(workflow.name),
      stageFirst: false,
      fileBindings: {},
    }
  );
}
