import { outputPaths, renderCommandLine, renderEnvironment } from '../../contracts/workflows/command-line.ts';
import { checkWorkflowRequest } from '../../contracts/workflows/rules.ts';
import { expandSweeps } from '../../contracts/workflows/sweeps.ts';
import type { BoutiquesDescriptor } from '../../contracts/workflows/descriptor.ts';
import type { WorkflowSummary } from '../../contracts/workflows/catalogue.ts';
import type { WorkflowForLaunch } from './build.ts';
import { configFiles, withDerivedSeeds } from './runcards.ts';

/** A Boutiques descriptor from the catalogue (a version of an application, or a file in tests), seen by the launch engine. */
export function adaptWorkflow(entry: {
  id: string;
  descriptor: BoutiquesDescriptor;
  summary: WorkflowSummary;
  version?: number;
  sha256?: string;
}): WorkflowForLaunch {
  const d = entry.descriptor;
  const s = entry.summary;
  const fileInputs = d.inputs.filter((i) => i.type === 'File');
  return {
    id: entry.id,
    version: entry.version ?? null,
    sha256: entry.sha256 ?? null,
    name: s.name,
    // apptainer runs docker images by reference, a singularity image or a rootfs (e.g. on CVMFS) by path.
    container: !s.container ? null : s.container.type === 'docker' ? `docker://${s.container.image}` : s.container.image,
    shell: d.shell ?? '/bin/sh',
    resources: {
      cores: s.resources.cores,
      ramMB: s.resources.ramMB || undefined,
      wallTimeMinutes: s.resources.wallTimeMinutes || undefined,
      tags: s.resources.tags,
    },
    fileInputId: fileInputs[0]?.id ?? null,
    otherFileInputIds: fileInputs.slice(1).map((i) => i.id),
    expand(values, sweeps) {
      const check = checkWorkflowRequest(d, { values, sweeps });
      if (!check.ok) return { ok: false, issues: check.issues };
      return { ok: true, combos: expandSweeps(check.request.values, check.request.sweeps) };
    },
    commandLine: (values) => renderCommandLine(d, values),
    jobValues: (values, seedBase) => withDerivedSeeds(d, values, seedBase),
    configFiles: (values) => configFiles(d, values),
    environment: (values) => renderEnvironment(d, values),
    outputFiles(values) {
      const paths = outputPaths(d, values);
      const out = { required: [] as string[], optional: [] as string[] };
      for (const o of d['output-files'] ?? []) {
        const name = paths[o.id]?.split('/').pop();
        // A file-template output is a configuration file the portal ships in the input sandbox, not a result; only
        // names the JDL and the site's sandbox can carry (a template whose value is absent keeps its [KEY]).
        if (o['file-template'] || !name || !/^[A-Za-z0-9._-]{1,100}$/.test(name)) continue;
        if (out.required.includes(name) || out.optional.includes(name)) continue;
        (o.optional ? out.optional : out.required).push(name);
      }
      return out;
    },
  };
}
