import type { Config, InstanceConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { DiracxClient } from '../diracx/client.ts';
import { startCollectorLoop, type CollectorLoop } from './collector.ts';
import { serviceTokenSource } from './service-token.ts';

/** The collector loop over every instance with an accounting credential (off when the interval is 0). */
export function startAccounting(opts: {
  config: Config;
  db: Database;
  diracx: (instance: InstanceConfig) => DiracxClient;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  inSpan?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}): CollectorLoop {
  const { config, db } = opts;
  const instances = config.instances
    .filter((instance) => instance.accounting)
    .map((instance) => {
      const client = opts.diracx(instance);
      return {
        instance,
        deps: {
          db,
          instance,
          diracx: client,
          token: serviceTokenSource(instance, client),
          batchSize: config.accountingBatchSize,
          settleSeconds: config.accountingSettleSeconds,
        },
      };
    });
  return startCollectorLoop({
    intervalMs: instances.length ? config.accountingIntervalMs : 0,
    instances,
    log: opts.log,
    ...(opts.inSpan ? { inSpan: opts.inSpan } : {}),
  });
}
