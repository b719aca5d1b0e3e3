import { z } from 'zod';

/** What the login page needs to offer a choice of DiracX instance, VO and group. */
export const InstanceGroupSchema = z.object({
  name: z.string(),
  properties: z.array(z.string()),
});

export const InstanceVoSchema = z.object({
  name: z.string(),
  defaultGroup: z.string().nullable(),
  groups: z.array(InstanceGroupSchema),
});

export const InstanceSummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  clientId: z.string(),
  /** Discovery document relayed by the BFF (same origin as the SPA). */
  metadataUrl: z.string(),
  reachable: z.boolean(),
  vos: z.array(InstanceVoSchema),
});
export type InstanceSummary = z.infer<typeof InstanceSummarySchema>;
export const InstanceListSchema = z.object({ instances: z.array(InstanceSummarySchema) });

export const PortalRoleSchema = z.enum(['scientist', 'pi', 'admin']);
export type PortalRole = z.infer<typeof PortalRoleSchema>;

export const MeSchema = z.object({
  sub: z.string(),
  username: z.string(),
  vo: z.string(),
  group: z.string(),
  properties: z.array(z.string()),
  role: PortalRoleSchema,
  /** Groups whose jobs this user may read and manage (own group sharing; empty for scientists). */
  managedGroups: z.array(z.string()),
  instance: z.object({ id: z.string(), label: z.string() }),
  tokenExpiresAt: z.iso.datetime(),
});
export type Me = z.infer<typeof MeSchema>;
