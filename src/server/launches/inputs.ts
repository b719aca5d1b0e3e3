/** Where a launch's workflow and input files come from: the application catalogue and the user's basket. */
import type { Principal } from '../auth/verify.ts';
import { basketItemsFor } from '../datasets/basket-repo.ts';
import type { Database } from '../db/database.ts';
import { problems } from '../errors.ts';
import type { Services } from '../plugins.ts';
import type { InputItem, WorkflowForLaunch } from './build.ts';
import { adaptWorkflow } from './workflow-adapter.ts';

export interface WorkflowChoice {
  workflowId: string;
  workflowVersion?: number | undefined;
  descriptorSha256?: string | undefined;
}

/**
 * The descriptor a launch uses, as the launch engine sees it: the pinned one when the request names its
 * hash (a relaunch, a schedule: found whatever became of its version), else the chosen published version,
 * else the newest published one. Refusals name the field (`workflowId`, `workflowVersion`, `descriptorSha256`).
 */
export async function workflowForLaunch(services: Services, choice: WorkflowChoice, field = ''): Promise<WorkflowForLaunch> {
  const catalogue = services.workflows;
  if (!catalogue) throw new Error('the workflow catalogue is not loaded');
  if (choice.descriptorSha256) {
    const entry = await catalogue.pinned(choice.workflowId, choice.descriptorSha256);
    if (!entry)
      throw problems.validation(`The descriptor this launch used is not in the catalogue of "${choice.workflowId}"`, [
        { path: `${field}descriptorSha256`, message: 'unknown descriptor' },
      ]);
    return adaptWorkflow(entry);
  }
  try {
    return adaptWorkflow((await catalogue.published(choice.workflowId, choice.workflowVersion)).entry);
  } catch (err) {
    const p = err as { status?: number; message: string };
    if (p.status === 404) throw problems.validation(p.message, [{ path: `${field}workflowId`, message: 'not in the catalogue' }]);
    if (p.status === 409) throw problems.validation(p.message, [{ path: `${field}workflowVersion`, message: 'not published' }]);
    throw err;
  }
}

/** The user's basket items with these ids, as launch inputs (missing ids are left out). */
export async function basketInputs(db: Database, p: Principal, itemIds: readonly string[]): Promise<InputItem[]> {
  return (await basketItemsFor(db, p.sub, p.instance.id, itemIds)).map((i) => ({
    id: i.id,
    kind: i.kind,
    ref: i.ref,
    name: i.name,
    sizeBytes: i.sizeBytes,
  }));
}
