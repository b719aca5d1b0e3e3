#!/usr/bin/env python
"""Check scripts/seed-rss.py against DiracX's own RSS code, without a running DiracX.

It seeds a temporary SQLite RSS database, then reads it back the way the DiracX
routes do: the RSS cache sources (diracx.logic.rss.source) build the all-VO
snapshot, the router's `_vo_view` picks the caller's VO, and the response models
serialise it. The result must be exactly what `/api/rss/site` and
`/api/rss/compute` would return.

Usage: .venv/bin/python scripts/seed-rss_check.py   (exit status 0 when all checks pass)
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

from fastapi import Response
from pydantic import TypeAdapter

from diracx.core.models.rss import ComputeElementStatus, SiteStatus
from diracx.db.sql.rss.db import ResourceStatusDB
from diracx.logic.rss.source import ComputeElementStatusSource, SiteStatusSource
from diracx.routers.rss.rss import _vo_view

HERE = Path(__file__).resolve().parent
SEED = HERE / "seed-rss.py"
CATALOGUE = HERE.parent / "config" / "resources.cfg"

SITE_VIEW = TypeAdapter(dict[str, SiteStatus])
COMPUTE_VIEW = TypeAdapter(dict[str, ComputeElementStatus])

ACTIVE = {"all": {"allowed": True, "warnings": None}}
EXPECTED_SITES = {
    "LCG.CERN-HTC.ch": ACTIVE,
    "LCG.DESY-GPU.de": ACTIVE,
    "HPC.MareNostrum.es": ACTIVE,
}
EXPECTED_COMPUTE = {
    "ce-htc01.cern.ch": ACTIVE,
    "ce-htc02.cern.ch": {"all": {"allowed": True, "warnings": "HTCondor-CE schedd overloaded: pilot submission is slow"}},
    "grid-arcgpu01.desy.de": ACTIVE,
    "grid-arcgpu02.desy.de": {"all": {"allowed": False, "reason": "Scheduled downtime: GPU driver upgrade"}},
    "mn5-login.bsc.es": ACTIVE,
}

failures: list[str] = []


def check(label: str, got, expected) -> None:
    if got == expected:
        print(f"ok    {label}")
    else:
        failures.append(label)
        print(f"FAIL  {label}\n      got:      {got}\n      expected: {expected}")


def seed(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SEED), "--db-url", db_url, "--catalogue", str(CATALOGUE), *args],
        capture_output=True,
        text=True,
    )


async def api_views(db_url: str, vo: str) -> tuple[dict, dict, tuple]:
    """What /api/rss/site and /api/rss/compute return for a user of `vo`, and the site cache revision."""
    db = ResourceStatusDB(db_url)
    async with db.engine_context():
        views = []
        for source_cls, adapter in ((SiteStatusSource, SITE_VIEW), (ComputeElementStatusSource, COMPUTE_VIEW)):
            source = source_cls(db=db)
            revision, modified = await source.latest_revision()
            snapshot = await source.read_raw(revision, modified)
            view = _vo_view(snapshot, vo, Response(), None, None)
            views.append(adapter.dump_python(view, mode="json"))
        async with db:
            revision = await db.get_site_status_date()
    return views[0], views[1], revision


async def row_counts(db_url: str) -> tuple[int, int]:
    db = ResourceStatusDB(db_url)
    async with db.engine_context():
        async with db:
            _, sites = await db.get_site_status_date()
            _, resources = await db.get_resource_status_date(["all"])
    return sites, resources


async def create_tables(db_url: str) -> None:
    db = ResourceStatusDB(db_url)
    async with db.engine_context():
        async with db.engine.begin() as conn:
            await conn.run_sync(db.metadata.create_all)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite+aiosqlite:///{tmp}/resourcestatusdb.db"
        # Tables created beforehand, as DiracX does at start-up.
        asyncio.run(create_tables(db_url))

        run = seed(db_url, "--vo", "escape")
        check("seed exits 0", (run.returncode, run.stderr), (0, ""))
        sites, compute, rev1 = asyncio.run(api_views(db_url, "escape"))
        check("/api/rss/site for VO escape", sites, EXPECTED_SITES)
        check("/api/rss/compute for VO escape", compute, EXPECTED_COMPUTE)
        other_sites, other_compute, _ = asyncio.run(api_views(db_url, "other"))
        check("rows of VO escape are invisible to VO other", (other_sites, other_compute), ({}, {}))

        counts = asyncio.run(row_counts(db_url))
        run = seed(db_url, "--vo", "escape")
        check("re-seeding exits 0", run.returncode, 0)
        check("re-seeding is idempotent (same row counts)", asyncio.run(row_counts(db_url)), counts)
        sites, compute, rev2 = asyncio.run(api_views(db_url, "escape"))
        check("re-seeding gives the same views", (sites, compute), (EXPECTED_SITES, EXPECTED_COMPUTE))
        check("re-seeding advances the cache revision (DateEffective)", rev2[0] > rev1[0], True)

        run = seed(
            db_url,
            "--vo",
            "escape",
            "--status",
            "LCG.CERN-HTC.ch=Banned:Site-wide downtime: cooling",
            "--status",
            "mn5-login.bsc.es=probing",
            "--status",
            "ce-htc02.cern.ch=Active",
        )
        check("--status overrides exit 0", (run.returncode, run.stderr), (0, ""))
        sites, compute, _ = asyncio.run(api_views(db_url, "escape"))
        check(
            "--status on a site (reason may contain ':')",
            sites["LCG.CERN-HTC.ch"],
            {"all": {"allowed": False, "reason": "Site-wide downtime: cooling"}},
        )
        check("--status without reason: DiracX falls back to the status", compute["mn5-login.bsc.es"], {"all": {"allowed": False, "reason": "Probing"}})
        check("--status Active clears a demo status", compute["ce-htc02.cern.ch"], ACTIVE)

        # Rows for VO "all" are shared; a VO's own rows override them.
        run = seed(db_url, "--vo", "all", "--no-demo-statuses", "--status", "grid-arcgpu01.desy.de=Degraded")
        check("seeding VO all exits 0", run.returncode, 0)
        _, other_compute, _ = asyncio.run(api_views(db_url, "other"))
        check(
            "VO all rows are visible to every VO",
            other_compute["grid-arcgpu01.desy.de"],
            {"all": {"allowed": True, "warnings": "Degraded"}},
        )
        _, compute, _ = asyncio.run(api_views(db_url, "escape"))
        check("VO escape rows override VO all rows", compute["grid-arcgpu01.desy.de"], ACTIVE)

        bad = seed(db_url, "--vo", "escape", "--status", "nowhere.example=Banned")
        check("unknown name is rejected", (bad.returncode, "neither a site nor a CE" in bad.stderr), (2, True))
        bad = seed(db_url, "--vo", "escape", "--status", "ce-htc01.cern.ch=Broken")
        check("unknown status is rejected", (bad.returncode, "status must be one of" in bad.stderr), (2, True))

        # The script also creates the tables when they are missing.
        fresh = f"sqlite+aiosqlite:///{tmp}/fresh.db"
        run = seed(fresh, "--vo", "escape")
        check("seeding an empty database creates the tables", run.returncode, 0)
        sites, compute, _ = asyncio.run(api_views(fresh, "escape"))
        check("... and gives the expected views", (sites, compute), (EXPECTED_SITES, EXPECTED_COMPUTE))

    print(f"\n{len(failures)} failure(s)" if failures else "\nall checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
