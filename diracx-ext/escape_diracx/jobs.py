"""DiracX's jobs router with job search and summary scoped for group sharing.

With ``Operations/<vo>/Services/JobMonitoring/GlobalJobsInfo = False`` stock
DiracX limits a NormalUser's search and summary to ``Owner == <username>``, so
a PI would see only their own jobs. The QUERY access policy cannot narrow or
widen a search (it never sees the body), so this router replaces the two
routes: a member of a manager group sees the jobs whose OwnerGroup is one of
its managed groups in its own VO (the same rule as the READ/MANAGE policy in
``policies.py`` and the portal BFF's filter); everyone else gets DiracX's own
behaviour. JobAdministrators see everything, a JobMonitor (read-only, e.g. the
portal's accounting collector) every job of its VO; with ``GlobalJobsInfo =
True`` nothing else changes.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Body, Depends, Query, Response

from diracx.core.models import ScalarSearchOperator, SearchParams, SummaryParams, VectorSearchOperator
from diracx.core.properties import JOB_ADMINISTRATOR, JOB_MONITOR
from diracx.db.os import JobParametersDB
from diracx.db.sql import JobDB, JobLoggingDB, PilotAgentsDB
from diracx.logic.jobs import MAX_PER_PAGE
from diracx.logic.jobs import search as search_bl
from diracx.logic.jobs import summary as summary_bl
from diracx.routers.dependencies import Config
from diracx.routers.fastapi_classes import DiracxRouter
from diracx.routers.jobs import router as stock_jobs_router
from diracx.routers.jobs.access_policies import ActionType, CheckWMSPolicyCallable
from diracx.routers.jobs.query import (
    EXAMPLE_SEARCH_RESPONSES,
    EXAMPLE_SEARCHES,
    EXAMPLE_SUMMARY_RESPONSES,
)
from diracx.routers.utils import AuthorizedUserInfo, verify_dirac_access_token

from .policies import managed_groups

router = DiracxRouter()
router.include_router(stock_jobs_router)


def _scope(config, user_info: AuthorizedUserInfo) -> tuple[str | None, list[dict[str, Any]]]:
    """(owner filter for DiracX's logic, extra conditions) for this user's search."""
    if JOB_ADMINISTRATOR in user_info.properties:
        return None, []
    vo_only = {"parameter": "VO", "operator": ScalarSearchOperator.EQUAL, "value": user_info.vo}
    if JOB_MONITOR in user_info.properties:
        # Read-only monitoring (the portal's accounting collector): every job of its own VO.
        return None, [vo_only]
    if config.operations[user_info.vo].services.job_monitoring.global_jobs_info:
        return user_info.preferred_username, []
    managed = managed_groups(user_info.vo, user_info.dirac_group)
    if not managed:
        return user_info.preferred_username, [vo_only]
    return None, [
        vo_only,
        {"parameter": "OwnerGroup", "operator": VectorSearchOperator.IN, "values": sorted(managed)},
    ]


@router.post("/search", responses=EXAMPLE_SEARCH_RESPONSES)
async def search(
    config: Config,
    job_db: JobDB,
    job_parameters_db: JobParametersDB,
    job_logging_db: JobLoggingDB,
    pilot_db: PilotAgentsDB,
    user_info: Annotated[AuthorizedUserInfo, Depends(verify_dirac_access_token)],
    check_permissions: CheckWMSPolicyCallable,
    response: Response,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 100,
    body: Annotated[SearchParams | None, Body(openapi_examples=EXAMPLE_SEARCHES)] = None,
) -> list[dict[str, Any]]:
    """DiracX's job search, scoped by ``_scope``."""
    await check_permissions(action=ActionType.QUERY, job_db=job_db)
    owner, extra = _scope(config, user_info)
    if body is None:
        body = SearchParams()
    body.search.extend(extra)
    total, jobs = await search_bl(
        config=config,
        job_db=job_db,
        job_parameters_db=job_parameters_db,
        job_logging_db=job_logging_db,
        pilot_db=pilot_db,
        preferred_username=owner,
        vo=user_info.vo,
        page=page,
        per_page=per_page,
        body=body,
    )
    # Content-Range exactly as DiracX's own route sets it (RFC 7233).
    if len(jobs) == 0 and total > 0:
        response.headers["Content-Range"] = f"jobs */{total}"
        response.status_code = HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE
    elif len(jobs) < total:
        first_idx = per_page * (page - 1)
        last_idx = min(first_idx + len(jobs), total) - 1 if total > 0 else 0
        response.headers["Content-Range"] = f"jobs {first_idx}-{last_idx}/{total}"
        response.status_code = HTTPStatus.PARTIAL_CONTENT
    return jobs


@router.post("/summary", responses=EXAMPLE_SUMMARY_RESPONSES)
async def summary(
    config: Config,
    job_db: JobDB,
    user_info: Annotated[AuthorizedUserInfo, Depends(verify_dirac_access_token)],
    body: SummaryParams,
    check_permissions: CheckWMSPolicyCallable,
):
    """DiracX's job summary, scoped by ``_scope``."""
    await check_permissions(action=ActionType.QUERY, job_db=job_db)
    owner, extra = _scope(config, user_info)
    body.search.extend(extra)
    return await summary_bl(config=config, job_db=job_db, preferred_username=owner, vo=user_info.vo, body=body)
