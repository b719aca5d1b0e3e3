/** Where a launch's workflow and input files come from: the application catalogue and the user's basket. */
import type { Principal } from '../auth/verify.ts';
import type { BasketItem } from '../../contracts/datasets.ts';
import type { InputBasket } from '../../contracts/launches.ts';
import { ownerKeyOf } from '../auth/owner.ts';
import { basketItemsAtLevels, basketItemsFor } from '../datasets/basket-repo.ts';
import type { Database } from '../db/database.ts';
import { problems } from '../errors.ts';
import type { Services } from '../plugins.ts';
import { MAX_JOBS_PER_LAUNCH, type InputItem, type WorkflowForLaunch } from './build.ts';
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

/** A launch's choice of input files: basket item ids, or the whole basket (of some levels). */
export interface InputChoice {
  inputItemIds: readonly string[];
  inputBasket?: InputBasket | undefined;
}

/**
 * The basket items a launch reads: the chosen ids (all still in the basket), or every item of the basket at the
 * levels asked for, read here and bounded by MAX_JOBS_PER_LAUNCH (400 above it, before any item is loaded).
 * Refusals name the field under `field` (`launch.` for a schedule).
 */
export async function launchBasketItems(db: Database, p: Principal, choice: InputChoice, field = ''): Promise<BasketItem[]> {
  if (choice.inputBasket) {
    const path = `${field}inputBasket`;
    if (choice.inputItemIds.length)
      throw problems.validation('Choose basket items or the whole basket, not both', [{ path, message: 'inputItemIds given too' }]);
    const levels = choice.inputBasket.levels;
    const which = levels ? `${levels.join(', ')} item` : 'item';
    const { count, items } = await basketItemsAtLevels(db, ownerKeyOf(p), levels, MAX_JOBS_PER_LAUNCH);
    if (count > MAX_JOBS_PER_LAUNCH)
      throw problems.validation(
        `Your basket holds ${count.toLocaleString('en')} ${which}s; one launch reads at most ${MAX_JOBS_PER_LAUNCH.toLocaleString('en')} files. Choose items, or split the basket into groups.`,
        [{ path, message: 'too many items' }],
      );
    if (count === 0) throw problems.validation(`Your basket holds no ${which}s`, [{ path, message: 'no items' }]);
    return items;
  }
  const items = choice.inputItemIds.length ? await basketItemsFor(db, p.sub, p.instance.id, choice.inputItemIds) : [];
  const found = new Set(items.map((i) => i.id));
  const missing = choice.inputItemIds.filter((id) => !found.has(id));
  if (missing.length)
    throw problems.validation(`${missing.length} input item(s) are no longer in your basket`, [
      { path: `${field}inputItemIds`, message: `missing: ${missing.slice(0, 5).join(', ')}` },
    ]);
  return items;
}

/**
 * The basket items chosen for File inputs after the first (`fileBindings`: input id → item id), each still in
 * the user's basket; an item that is not (removed, or another user's) is refused naming `fileBindings.<input>`.
 */
export async function boundFiles(
  db: Database,
  p: Principal,
  bindings: Readonly<Record<string, string>>,
  field = '',
): Promise<Record<string, InputItem>> {
  const ids = Object.values(bindings);
  const items = ids.length ? await basketItemsFor(db, p.sub, p.instance.id, ids) : [];
  const byId = new Map(items.map((i) => [i.id, asInput(i)]));
  const bound: Record<string, InputItem> = {};
  for (const [inputId, itemId] of Object.entries(bindings)) {
    const item = byId.get(itemId);
    if (!item)
      throw problems.validation(`The file chosen for "${inputId}" is no longer in your basket`, [
        { path: `${field}fileBindings.${inputId}`, message: 'not in your basket' },
      ]);
    bound[inputId] = item;
  }
  return bound;
}

/** A basket item as a launch input. */
export const asInput = (i: BasketItem): InputItem => ({ id: i.id, kind: i.kind, ref: i.ref, name: i.name, sizeBytes: i.sizeBytes });
