/** Where a launch's workflow and input files come from: the workflow catalogue and the user's basket. */
import type { Principal } from '../auth/verify.ts';
import { basketItemsFor } from '../datasets/basket-repo.ts';
import type { Database } from '../db/database.ts';
import type { Services } from '../plugins.ts';
import type { InputItem, WorkflowForLaunch } from './build.ts';
import { adaptWorkflow } from './workflow-adapter.ts';

/** The catalogue's workflow as the launch engine sees it (undefined when it is not in the catalogue). */
export function workflowForLaunch(services: Services, id: string): WorkflowForLaunch | undefined {
  const entry = services.workflows?.get(id);
  return entry ? adaptWorkflow(entry) : undefined;
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
