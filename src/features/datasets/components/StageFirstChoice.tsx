import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Box from '@mui/material/Box';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { LaunchInputs } from '../../../contracts/launches.ts';
import { formatBytes, plural } from '../../../shared/lib/format.ts';
import { basketQueries } from '../api/basket-queries.ts';

type Props = {
  site: string;
  /** Chosen items, or the whole basket (of the levels the workflow reads). */
  inputs: LaunchInputs;
  checked: boolean;
  onChange: (checked: boolean) => void;
};

/**
 * "Stage first" on the launch page (issue #16): offered when some chosen inputs are not on disk at the
 * pinned site (and kept visible once chosen). Checked, the portal asks Rucio to bring them to the site's disk first and submits each job when
 * its files are there (docs/datasets.md, "Stage first").
 */
export function StageFirstChoice({ site, inputs, checked, onChange }: Props) {
  const helpId = useId();
  const locality = useQuery(basketQueries.locality(inputs, 1, 1));
  const here = locality.data?.summary.sites.find((s) => s.site === site);
  const files = (here?.stageFiles ?? 0) + (here?.transferFiles ?? 0);
  // Offered when something must be staged; still shown when chosen (a relaunch, a draft) so it can be unchecked.
  if (!here || (files === 0 && !checked)) return null;
  const bytes = here.stageBytes + here.transferBytes;
  return (
    <Box>
      <FormControlLabel
        control={
          <Checkbox checked={checked} onChange={(e) => onChange(e.target.checked)} slotProps={{ input: { 'aria-describedby': helpId } }} />
        }
        label={
          files === 0
            ? `Stage first at ${site}: every input is on disk there already, so all jobs are submitted at once`
            : `Stage first: bring ${plural(files, 'file')} (${formatBytes(bytes)}) to disk at ${site} before their jobs run`
        }
      />
      <FormHelperText id={helpId}>
        Rucio copies them to the site’s disk storage; each job is submitted as soon as its files are there, jobs whose files are on disk
        already at once. Progress per file is shown on the production page.
      </FormHelperText>
    </Box>
  );
}
