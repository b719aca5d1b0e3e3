"""Helpers shared by the software area's demo programs (Python standard library only)."""

import hashlib
import os
import sys


def resolve_input(ref):
    """A local path for an input reference, or None.

    LFNs are looked up under $SITE_SE_ROOT (a local replica, as DIRAC's InputData
    resolution would give), then as a file in the working directory (shipped in
    the input sandbox).
    """
    name = ref[4:] if ref.startswith("LFN:") else ref
    candidates = []
    se_root = os.environ.get("SITE_SE_ROOT")
    if se_root:
        candidates.append(os.path.join(se_root, name.lstrip("/")))
    candidates.append(name)
    candidates.append(os.path.basename(name))
    for c in candidates:
        if os.path.isfile(c):
            return c
    return None


def read_input(ref):
    """(bytes, where) of an input; with no local replica, its name stands in (and says so on std.err)."""
    path = resolve_input(ref)
    if path:
        with open(path, "rb") as f:
            return f.read(), path
    print(f"[site] no local replica of {ref}: using its name as the event seed", file=sys.stderr)
    return ref.encode(), None


def split_list(values, kind=str):
    """Boutiques list values arrive comma-joined ("11,22,33") or as separate words: both are read."""
    out = []
    for v in values or []:
        out += [kind(x) for x in str(v).split(",") if x != ""]
    return out


def seed_of(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode())
        h.update(b"\0")
    return int.from_bytes(h.digest()[:8], "big")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def runcard_argv(lines):
    """corsika-run's arguments from CORSIKA steering cards (RUNNR, NSHOW, PRMPAR, ESLOPE, ERANGE, THETAP, PHIP,
    SEED, OBSLEV in cm, ATMOSPHERE, CERSIZ, CWAVLG, TELFIL) up to EXIT; exits with a message without RUNNR."""
    v = {}
    seeds = []
    for line in lines:
        f = line.split()
        if not f:
            continue
        key, args = f[0].upper(), f[1:]
        if key == "EXIT":
            break
        if key == "SEED":
            seeds.append(args[0])
        else:
            v[key] = args
    if "RUNNR" not in v:
        sys.exit("corsika: the steering cards set no RUNNR")
    argv = ["--runnr", v["RUNNR"][0]]
    for card, flags in [("NSHOW", ["--nshow"]), ("PRMPAR", ["--prmpar"]), ("ESLOPE", ["--eslope"]),
                        ("ERANGE", ["--erange-min", "--erange-max"]), ("THETAP", ["--thetap-min", "--thetap-max"]),
                        ("PHIP", ["--phip-min", "--phip-max"]), ("ATMOSPHERE", ["--atmosphere"]), ("CERSIZ", ["--cersiz"]),
                        ("CWAVLG", ["--cwavlg-min", "--cwavlg-max"])]:
        for flag, value in zip(flags, v.get(card, [])):
            argv += [flag, value]
    if "OBSLEV" in v:
        argv += ["--obslev", str(float(v["OBSLEV"][0]) / 100)]
    if "CERFIL" in v or "CERSIZ" in v:
        argv.append("--cerenkov")
    if seeds:
        argv += ["--seeds", *seeds]
    argv += ["--output", (v.get("TELFIL") or [f"corsika_run{v['RUNNR'][0]}.zst"])[0]]
    return argv
