#!/usr/bin/env python
"""Seed DiracX's Resource Status System (RSS) database from the portal's resource catalogue.

DiracX serves `GET /api/rss/site` and `GET /api/rss/compute` from two tables of
its ResourceStatusDB:

  SiteStatus      one row per site:   Name = DIRAC site name, StatusType = "all",
                                      ElementType = "Site"
  ResourceStatus  one row per CE:     Name = CE host name,    StatusType = "all",
                                      ElementType = "ComputeElement"

each with VO (rows for VO "all" are shared by every VO; rows for a VO override them
for that VO's users), Status (Active, Degraded, Banned, Probing, Error, Unknown),
Reason and DateEffective (its maximum is part of DiracX's cache revision, so every
write sets it to now). DiracX answers `{name: {"all": {"allowed": true, "warnings": ...}}}`
for Active/Degraded (Degraded: warnings = Reason) and `{"allowed": false, "reason": Reason}`
otherwise.

The catalogue (config/resources.cfg, DIRAC CS layout) is read with DIRAC's own
parser, diraccfg, so the same file drives the portal and this script.

Usage:
  seed-rss.py --db-url sqlite+aiosqlite:///path/resourcestatusdb.db --vo escape \
      --catalogue config/resources.cfg [--status NAME=Status[:reason] ...]

By default every site and CE is Active, except two demo statuses (when those CEs
are in the catalogue): ce-htc02.cern.ch Degraded and grid-arcgpu02.desy.de Banned.
`--status` overrides any name (site or CE); `--no-demo-statuses` makes everything
Active. Running it again replaces the rows it wrote (delete + insert in one
transaction), so it is idempotent. The tables are created if they are missing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

from diraccfg import CFG
from sqlalchemy import delete

from diracx.core.models.rss import ALLOWED, BANNED, ResourceType
from diracx.db.sql.rss.db import ResourceStatusDB
from diracx.db.sql.rss.schema import ResourceStatus, SiteStatus

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOGUE = REPO_ROOT / "config" / "resources.cfg"

STATUS_TYPE = "all"
SITE_ELEMENT_TYPE = "Site"
CE_ELEMENT_TYPE = ResourceType.Compute.value  # "ComputeElement"
VALID_STATUSES = sorted(ALLOWED | BANNED)
DEFAULT_REASON = "Seeded from the resource catalogue by scripts/seed-rss.py"

#: Demo statuses so that the UI shows an allowed, a degraded and a banned CE.
DEMO_STATUSES: dict[str, tuple[str, str]] = {
    "ce-htc02.cern.ch": (
        "Degraded",
        "HTCondor-CE schedd overloaded: pilot submission is slow",
    ),
    "grid-arcgpu02.desy.de": (
        "Banned",
        "Scheduled downtime: GPU driver upgrade",
    ),
}

# Column sizes in diracx.db.sql.rss.schema
MAX_NAME = 64
MAX_STATUS = 8
MAX_REASON = 512


class SeedError(Exception):
    pass


@dataclass
class Element:
    kind: str  # "site" or "CE"
    name: str
    status: str = "Active"
    reason: str = DEFAULT_REASON


def read_catalogue(path: Path) -> tuple[list[str], list[str]]:
    """Return (site names, CE names) from a DIRAC CS-layout catalogue."""
    try:
        cfg = CFG().loadFromFile(str(path))
    except OSError as e:
        raise SeedError(f"{path}: cannot read the catalogue: {e}") from e
    except (ValueError, KeyError) as e:
        raise SeedError(f"{path}: not a valid DIRAC cfg file: {e}") from e
    if cfg.isSection("Resources/Sites"):
        sites_cfg = cfg.getAsCFG("Resources/Sites")
    elif cfg.isSection("Sites"):
        sites_cfg = cfg.getAsCFG("Sites")
    else:
        raise SeedError(f'{path}: no "Resources/Sites" section')

    sites: list[str] = []
    ces: list[str] = []
    for grid in sites_cfg.listSections():
        grid_cfg = sites_cfg[grid]
        assert isinstance(grid_cfg, CFG)
        for site in grid_cfg.listSections():
            sites.append(site)
            site_cfg = grid_cfg[site]
            assert isinstance(site_cfg, CFG)
            if site_cfg.isSection("CEs"):
                ces_cfg = site_cfg["CEs"]
                assert isinstance(ces_cfg, CFG)
                ces.extend(ces_cfg.listSections())
    for names, what in ((sites, "site"), (ces, "CE")):
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise SeedError(f"{path}: {what} defined more than once: {', '.join(dupes)}")
        long_names = [n for n in names if len(n) > MAX_NAME]
        if long_names:
            raise SeedError(f"{what} names longer than {MAX_NAME} characters do not fit the RSS tables: {', '.join(long_names)}")
    return sites, ces


def parse_status_arg(text: str) -> tuple[str, str, str | None]:
    """NAME=Status[:reason] -> (name, status, reason or None)."""
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not name or not rest.strip():
        raise SeedError(f"--status {text!r}: expected NAME=Status[:reason]")
    status, _, reason = rest.partition(":")
    status = status.strip()
    match = next((s for s in VALID_STATUSES if s.lower() == status.lower()), None)
    if match is None:
        raise SeedError(f"--status {text!r}: status must be one of {', '.join(VALID_STATUSES)}")
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise SeedError(f"--status {text!r}: reason longer than {MAX_REASON} characters")
    return name, match, reason or None


def plan(sites: list[str], ces: list[str], overrides: list[str], demo: bool) -> list[Element]:
    elements = [Element("site", s) for s in sites] + [Element("CE", c) for c in ces]
    by_name: dict[str, list[Element]] = {}
    for e in elements:
        by_name.setdefault(e.name, []).append(e)
    if demo:
        for name, (status, reason) in DEMO_STATUSES.items():
            for e in by_name.get(name, []):
                e.status, e.reason = status, reason
    for text in overrides:
        name, status, reason = parse_status_arg(text)
        targets = by_name.get(name)
        if not targets:
            raise SeedError(f"--status {text!r}: {name!r} is neither a site nor a CE of the catalogue")
        for e in targets:
            e.status = status
            e.reason = reason if reason is not None else (DEFAULT_REASON if status == "Active" else status)
    return elements


async def seed(db_url: str, vo: str, elements: list[Element], *, create_tables: bool, prune: bool) -> None:
    db = ResourceStatusDB(db_url)
    site_names = [e.name for e in elements if e.kind == "site"]
    ce_names = [e.name for e in elements if e.kind == "CE"]
    async with db.engine_context():
        if create_tables:
            async with db.engine.begin() as conn:
                await conn.run_sync(db.metadata.create_all)
        # One transaction: committed when the block exits without an exception.
        async with db:
            site_rows = delete(SiteStatus).where(SiteStatus.vo == vo, SiteStatus.status_type == STATUS_TYPE)
            if not prune:
                site_rows = site_rows.where(SiteStatus.name.in_(site_names))
            await db.conn.execute(site_rows)
            # (Name, StatusType, VO) is the primary key, whatever the ElementType.
            ce_rows = delete(ResourceStatus).where(ResourceStatus.vo == vo, ResourceStatus.status_type == STATUS_TYPE)
            if prune:
                ce_rows = ce_rows.where(
                    ResourceStatus.name.in_(ce_names) | (ResourceStatus.element_type == CE_ELEMENT_TYPE)
                )
            else:
                ce_rows = ce_rows.where(ResourceStatus.name.in_(ce_names))
            await db.conn.execute(ce_rows)
            for e in elements:
                if e.kind == "site":
                    await db.insert_site_status(name=e.name, status=e.status, vo=vo, reason=e.reason)
                else:
                    await db.insert_resource_status(
                        name=e.name,
                        status=e.status,
                        status_type=STATUS_TYPE,
                        vo=vo,
                        element_type=CE_ELEMENT_TYPE,
                        reason=e.reason,
                    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Seed DiracX's RSS database (site and compute element statuses) from the resource catalogue.",
        epilog="Statuses: " + ", ".join(VALID_STATUSES) + f" (allowed: {', '.join(sorted(ALLOWED))}).",
    )
    parser.add_argument("--db-url", required=True, help="SQLAlchemy URL of the RSS DB, e.g. sqlite+aiosqlite:///path/resourcestatusdb.db")
    parser.add_argument("--vo", default="all", help='VO the rows apply to (default "all": every VO)')
    parser.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE, help="resource catalogue in DIRAC CS layout (default: %(default)s)")
    parser.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="NAME=Status[:reason]",
        help="status of a site or CE (repeatable), e.g. LCG.CERN-HTC.ch=Banned:'Site downtime'",
    )
    parser.add_argument("--no-demo-statuses", action="store_true", help="make everything Active unless --status says otherwise")
    parser.add_argument("--prune", action="store_true", help="also delete this VO's site/CE rows for names not in the catalogue")
    parser.add_argument("--no-create-tables", action="store_true", help="do not create missing RSS tables")
    parser.add_argument("--dry-run", action="store_true", help="print what would be written and stop")
    args = parser.parse_args(argv)

    try:
        if len(args.vo) > MAX_NAME or not args.vo:
            raise SeedError(f"--vo must be 1 to {MAX_NAME} characters")
        sites, ces = read_catalogue(args.catalogue)
        elements = plan(sites, ces, args.status, demo=not args.no_demo_statuses)
    except SeedError as e:
        print(f"seed-rss: {e}", file=sys.stderr)
        return 2

    width = max((len(e.name) for e in elements), default=0)
    for e in elements:
        note = "" if e.status == "Active" else f"  ({e.reason})"
        print(f"seed-rss: {e.kind:<4} {e.name:<{width}}  {e.status}{note}")
    if args.dry_run:
        print("seed-rss: dry run, nothing written")
        return 0
    asyncio.run(seed(args.db_url, args.vo, elements, create_tables=not args.no_create_tables, prune=args.prune))
    n_sites = sum(e.kind == "site" for e in elements)
    print(f"seed-rss: wrote {n_sites} site and {len(elements) - n_sites} CE statuses for VO {args.vo!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
