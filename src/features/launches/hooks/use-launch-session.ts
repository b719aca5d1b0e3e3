import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { Draft } from '../../../contracts/drafts.ts';
import type { CurrentDraft } from '../components/DraftsBar.tsx';
import { readRelaunchState } from '../schemas/launch-settings.ts';

/**
 * Where the launch form of one workflow starts, and the draft it is tied to:
 * - a relaunch carried in router state prefills it once, then is dropped from history (a reload keeps later edits);
 * - opening a draft starts the form again from it (`key` changes: the page remounts the form with it).
 */
export function useLaunchSession(workflowId: string) {
  const location = useLocation();
  const navigate = useNavigate();
  const [relaunch] = useState(() => readRelaunchState(location.state, workflowId));
  // The search stays: it holds the version being launched.
  useEffect(() => {
    if (relaunch) void navigate({ pathname: location.pathname, search: location.search }, { replace: true, state: null });
  }, [relaunch, navigate, location.pathname, location.search]);

  const [opened, setOpened] = useState<{ draft: Draft; n: number } | null>(null);
  const [current, setCurrent] = useState<CurrentDraft | null>(null);
  return {
    key: opened?.n ?? 0,
    /** The earlier launch to start from (none once a draft was opened). */
    relaunch: opened ? null : relaunch,
    opened: opened?.draft.workflowId === workflowId ? opened.draft : null,
    drafts: {
      current,
      setCurrent,
      open: (draft: Draft) => {
        setOpened((o) => ({ draft, n: (o?.n ?? 0) + 1 }));
        setCurrent({ id: draft.id, name: draft.name });
      },
      deleted: (id: string) => {
        if (current?.id === id) setCurrent(null);
      },
    },
  };
}

export type LaunchSession = ReturnType<typeof useLaunchSession>;
