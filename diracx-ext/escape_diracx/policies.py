"""Group sharing for the WMS access policy.

DiracX lets a NormalUser read and manage only the jobs they own, and a
JobAdministrator every job. A PI needs something in between: every job whose
OwnerGroup is one of the groups they lead, in their own VO, and nothing else.

The mapping "manager group -> managed groups" is read per VO from the
environment variable ``ESCAPE_DIRACX_GROUP_SHARING`` (JSON), e.g.::

    {"escape": {"pis": ["scientists", "pis"]}}

Only READ and MANAGE are widened here, and QUERY/READ for a read-only
JobMonitor group (the portal's accounting collector) within its VO. Searches (QUERY) are scoped by the
routes in ``jobs.py`` (the policy never sees a search's conditions). CREATE,
PILOT and FORCE_STATUS keep DiracX's own rules, so a PI can neither act as a
pilot nor bypass the job state machine.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from http import HTTPStatus

from fastapi import HTTPException

from diracx.core.models import VectorSearchOperator
from diracx.core.properties import JOB_MONITOR, NORMAL_USER
from diracx.db.sql import JobDB
from diracx.routers.access_policies import BaseAccessPolicy
from diracx.routers.jobs.access_policies import ActionType, WMSAccessPolicy
from diracx.routers.utils import AuthorizedUserInfo

ENV_VAR = "ESCAPE_DIRACX_GROUP_SHARING"
_WIDENED_ACTIONS = {ActionType.READ, ActionType.MANAGE}
# What a JobMonitor (no NormalUser) may do: search and read, never create, manage or force a status.
_MONITOR_ACTIONS = {ActionType.QUERY, ActionType.READ}


@lru_cache(maxsize=1)
def _sharing_table(raw: str) -> dict[str, dict[str, frozenset[str]]]:
    if not raw:
        return {}
    parsed = json.loads(raw)
    if not isinstance(parsed, dict):
        raise ValueError(f"{ENV_VAR} must be a JSON object of VO -> group -> [groups]")
    table: dict[str, dict[str, frozenset[str]]] = {}
    for vo, groups in parsed.items():
        if not isinstance(groups, dict):
            raise ValueError(f"{ENV_VAR}[{vo!r}] must be an object")
        table[vo] = {}
        for manager, managed in groups.items():
            if not isinstance(managed, list) or not all(isinstance(g, str) for g in managed):
                raise ValueError(f"{ENV_VAR}[{vo!r}][{manager!r}] must be a list of group names")
            table[vo][manager] = frozenset(managed)
    return table


def managed_groups(vo: str, group: str) -> frozenset[str]:
    """Groups whose jobs a member of ``group`` in ``vo`` may read and manage."""
    return _sharing_table(os.environ.get(ENV_VAR, "")).get(vo, {}).get(group, frozenset())


class GroupSharingWMSPolicy(BaseAccessPolicy):
    """DiracX's WMS policy, plus group sharing for manager groups."""

    @staticmethod
    async def policy(
        policy_name: str,
        user_info: AuthorizedUserInfo,
        /,
        *,
        action: ActionType | None = None,
        job_db: JobDB | None = None,
        job_ids: list[int] | None = None,
    ):
        try:
            return await WMSAccessPolicy.policy(
                policy_name, user_info, action=action, job_db=job_db, job_ids=job_ids
            )
        except HTTPException as exc:
            if exc.status_code != HTTPStatus.FORBIDDEN:
                raise
            if JOB_MONITOR in user_info.properties and action in _MONITOR_ACTIONS:
                # Read-only monitoring: searches (scoped to the VO in jobs.py) and reads of its VO's jobs.
                if action == ActionType.QUERY or (job_ids and job_db and await _all_in(job_db, job_ids, user_info.vo, None)):
                    return None
                raise
            if action not in _WIDENED_ACTIONS or not job_ids or job_db is None:
                raise
            if NORMAL_USER not in user_info.properties:
                raise
            managed = managed_groups(user_info.vo, user_info.dirac_group)
            if not managed:
                raise
            if await _all_in(job_db, job_ids, user_info.vo, managed):
                return None
            raise


async def _all_in(job_db: JobDB, job_ids: list[int], vo: str, groups: frozenset[str] | None) -> bool:
    """Whether every job exists, is of ``vo`` and (unless ``groups`` is None) has an OwnerGroup in ``groups``."""
    rows = await job_db.summary(
        ["OwnerGroup", "VO"],
        [{"parameter": "JobID", "operator": VectorSearchOperator.IN, "values": job_ids}],
    )
    found = sum(row["count"] for row in rows)
    return found == len(set(job_ids)) and all(
        row["VO"] == vo and (groups is None or row["OwnerGroup"] in groups) for row in rows
    )
