/**
 * Who owns a record the BFF stores (launch, schedule, basket item, draft): one user on one DiracX
 * instance. One shape, one set of columns and one row mapping for every repository.
 */
import { z } from 'zod';
import type { Principal } from './verify.ts';

/** The scope records are kept in: per user (`owner_sub`) and DiracX instance. */
export interface OwnerKey {
  ownerSub: string;
  instanceId: string;
}

/** The owner as stored with what they create (launches, schedules): the key plus name, VO and group. */
export interface Owner extends OwnerKey {
  ownerName: string;
  vo: string;
  group: string;
}

export const ownerKeyOf = (p: Principal): OwnerKey => ({ ownerSub: p.sub, instanceId: p.instance.id });

export const ownerOf = (p: Principal): Owner => ({ ...ownerKeyOf(p), ownerName: p.username, vo: p.vo, group: p.group });

/** The owner columns, in the order of `ownerValues`. */
export const OWNER_COLUMNS = 'instance_id, owner_sub, owner_name, vo, dirac_group';

export const ownerValues = (o: Owner): string[] => [o.instanceId, o.ownerSub, o.ownerName, o.vo, o.group];

/** The owner columns of a row read back (spread into a row schema with `.extend(OwnerRowSchema.shape)`). */
export const OwnerRowSchema = z.object({
  instance_id: z.string(),
  owner_sub: z.string(),
  owner_name: z.string(),
  vo: z.string(),
  dirac_group: z.string(),
});

export const ownerFromRow = (r: z.infer<typeof OwnerRowSchema>): Owner => ({
  instanceId: r.instance_id,
  ownerSub: r.owner_sub,
  ownerName: r.owner_name,
  vo: r.vo,
  group: r.dirac_group,
});
