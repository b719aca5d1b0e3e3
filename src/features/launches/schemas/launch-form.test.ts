import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../contracts/drafts.ts';
import { ctaWorkflow as cta, helloWorldWorkflow as hello, makeLaunch } from '../testing/launch-fixtures.ts';
import { initialSettings, launchSettingsSchema } from './launch-form.ts';
import { relaunchStateFor } from './launch-settings.ts';

const PIC = 'HPC.MareNostrum.es';
const stageFirstLaunch = makeLaunch({
  workflowId: 'cta-dl0-dl3',
  request: { name: 'DL0', workflowId: 'cta-dl0-dl3', inputItemIds: ['i1'], inputMode: 'per-file', resources: { cores: 4 }, stageAt: PIC },
});
const draftWith = (settings: unknown): Draft => ({
  id: 'd1',
  name: 'd',
  workflowId: 'cta-dl0-dl3',
  createdAt: 'x',
  updatedAt: 'x',
  content: { form: {}, settings: settings as Draft['content']['settings'] },
});

describe('stage first in the launch settings (issue #16)', () => {
  it('a relaunch of a stage-first launch is stage-first again, pinned to the same site', () => {
    const relaunch = relaunchStateFor(stageFirstLaunch)!.relaunch;
    expect(relaunch.stageAt).toBe(PIC);
    const settings = initialSettings(cta, relaunch, null);
    expect(settings).toMatchObject({ stageFirst: true, resources: { site: PIC }, inputItemIds: ['i1'] });
    expect(launchSettingsSchema(cta).parse(settings)).toMatchObject({ stageAt: PIC, resources: { sites: [PIC] } });
    // A launch without stage first relaunches without it.
    const plain = makeLaunch({ workflowId: 'cta-dl0-dl3', request: { ...(stageFirstLaunch.request as object), stageAt: undefined } });
    expect(initialSettings(cta, relaunchStateFor(plain)!.relaunch, null).stageFirst).toBe(false);
  });

  it('a draft keeps the choice; a draft saved before stage first existed opens without it', () => {
    const saved = { ...initialSettings(cta, relaunchStateFor(stageFirstLaunch)!.relaunch, null) };
    expect(initialSettings(cta, null, draftWith(saved))).toEqual(saved);
    const { stageFirst: _gone, ...old } = saved;
    expect(initialSettings(cta, null, draftWith(old))).toEqual({ ...saved, stageFirst: false });
  });

  it('stage first is sent only while exactly one site is pinned and the workflow reads files', () => {
    const settings = initialSettings(cta, relaunchStateFor(stageFirstLaunch)!.relaunch, null);
    const anySite = { ...settings, resources: { ...settings.resources, site: '' } };
    expect(launchSettingsSchema(cta).parse(anySite)).not.toHaveProperty('stageAt');
    const plain = initialSettings(hello, null, null);
    const noFiles = { ...plain, stageFirst: true, resources: { ...plain.resources, site: PIC } };
    expect(launchSettingsSchema(hello).parse(noFiles)).not.toHaveProperty('stageAt');
  });
});
