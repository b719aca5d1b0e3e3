"""Boutiques' reference implementation, for the portal's cross-check tests.

Reads a JSON list of cases from stdin, each {"descriptor": {...}, "invocation": {...}} or
{"descriptor": {...}} alone, and prints a JSON list with, per case, one of
  {"command": str, "files": {outputId: content}}    (bosh exec simulate: LocalExecutor.readInput)
      + "stdout": str, "exitCode": int             (with "launch": true, bosh exec launch without a container:
                                                    LocalExecutor.execute runs the command, e.g. to read the
                                                    environment variables it exports; the descriptor must be harmless)
  {"schema": [path, ...], "bosh": null | str}        (no invocation: the official JSON schema's
                                                    error paths, and bosh validate's verdict)
  {"error": str}                                    (bosh refused the descriptor or the invocation)
Run with .venv-boutiques/bin/python (PyPI boutiques, pinned in requirements.lock).
"""

import contextlib
import copy
import io
import json
import os
import sys
import tempfile

import boutiques
from boutiques.localExec import LocalExecutor
from boutiques.validator import validate_descriptor
from jsonschema import Draft4Validator

with open(os.path.join(os.path.dirname(boutiques.__file__), "schema", "descriptor.schema.json")) as f:
    SCHEMA = Draft4Validator(json.load(f))


def run(case, tmp):
    desc_path = os.path.join(tmp, "descriptor.json")
    with open(desc_path, "w") as f:
        json.dump(case["descriptor"], f)
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        if "invocation" not in case:
            schema_errors = sorted("/".join(str(p) for p in e.absolute_path) for e in SCHEMA.iter_errors(case["descriptor"]))
            try:
                validate_descriptor(copy.deepcopy(case["descriptor"]))
                verdict = None
            except BaseException as e:
                verdict = f"{type(e).__name__}: {(str(e).splitlines() or [''])[0]}"
            return {"schema": schema_errors, "bosh": verdict}
        ex = LocalExecutor(
            desc_path,
            json.dumps(case["invocation"]),
            {"forcePathType": True, "destroyTempScripts": True, "changeUser": True, "skipDataCollect": True, "requireComplete": False, "sandbox": False},
        )
    files = {}
    for o in case["descriptor"].get("output-files") or []:
        if "file-template" in o and o["id"] in ex.out_dict:
            with open(ex.out_dict[o["id"]]) as f:
                files[o["id"]] = f.read()
    result = {"command": ex.cmd_line[0], "files": files}
    if case.get("launch"):
        # The options `bosh exec launch --no-container` sets that `simulate` does not.
        launch_options = {"debug": False, "stream": False, "imagePath": None, "forceDocker": False, "forceSingularity": False,
                          "forceApptainer": False, "provenance": None, "noContainer": True, "noPull": True, "noAutomounts": True}
        for option, value in launch_options.items():
            setattr(ex, option, value)
        saved = dict(os.environ)  # bosh exports the descriptor's variables into its own process
        try:
            executed = ex.execute(None)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        result.update(stdout=executed.stdout, exitCode=executed.exit_code)
    return result


def main():
    out = []
    home = os.getcwd()
    for case in json.load(sys.stdin):
        with tempfile.TemporaryDirectory() as tmp:
            os.chdir(tmp)  # bosh writes configuration files into the working directory
            try:
                out.append(run(case, tmp))
            except BaseException as e:  # bosh reports bad input with SystemExit or its own errors
                out.append({"error": f"{type(e).__name__}: {str(e)[:500]}"})
            finally:
                os.chdir(home)
    json.dump(out, sys.stdout)


main()
