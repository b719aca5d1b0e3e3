import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stackInfo } from '../testing/real-stack.ts';

describe('DiracX client types', () => {
  it('were generated from the OpenAPI document of the DiracX we run (npm run gen:diracx-types)', async () => {
    const live = (await (await fetch(`${stackInfo().urls.diracx}/api/openapi.json`)).json()) as {
      paths: object;
      components: { schemas: object };
    };
    const snapshot = JSON.parse(fs.readFileSync(path.resolve('src/server/diracx/openapi.json'), 'utf8'));
    expect(Object.keys(live.paths).sort()).toEqual(Object.keys(snapshot.paths).sort());
    expect(live.components.schemas).toEqual(snapshot.components.schemas);
  });
});
