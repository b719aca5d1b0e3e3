import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useId } from 'react';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert.tsx';
import { useNotify } from '../../../shared/ui/notify.tsx';
import { useEmptyBasket } from '../api/basket-mutations.ts';
import { plural } from '../../../shared/lib/format.ts';

type Props = { open: boolean; count: number; onClose: () => void };

/** "Empty basket" confirmation: destructive, so Cancel has the focus first. */
export function EmptyBasketDialog({ open, count, onClose }: Props) {
  const titleId = useId();
  const descriptionId = useId();
  const notify = useNotify();
  const empty = useEmptyBasket();
  const close = () => {
    if (empty.isPending) return;
    empty.reset();
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId} aria-describedby={descriptionId} maxWidth="xs" fullWidth>
      <DialogTitle id={titleId}>Empty your basket?</DialogTitle>
      <DialogContent>
        <DialogContentText id={descriptionId}>
          This removes {count === 1 ? 'the 1 item' : `all ${plural(count, 'item')}`} from your basket. The data itself is not touched, but
          you would have to find and add it again.
        </DialogContentText>
        {empty.isError && <ErrorAlert error={empty.error} title="The basket was not emptied" sx={{ mt: 2 }} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} autoFocus>
          Cancel
        </Button>
        <Button
          color="error"
          variant="contained"
          loading={empty.isPending}
          onClick={() =>
            empty.mutate(undefined, {
              onSuccess: (result) => {
                notify(`Removed ${plural(result.removed, 'item')} from your basket`, 'success');
                empty.reset();
                onClose();
              },
            })
          }
        >
          Empty basket
        </Button>
      </DialogActions>
    </Dialog>
  );
}
