"""Set Operations/<vo>/Services/JobMonitoring/GlobalJobsInfo in a generated CS repository.

`dirac internal` has no command for Operations, so this edits default.yml the way its
commands do (validated against DiracX's Config schema, then a git commit).
Usage: python set-global-jobs-info.py <cs-repo-dir> <vo> true|false
"""

import sys
from pathlib import Path

import git
import yaml
from diracx.core.config.schema import Config

repo_path, vo, value = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "true"
yaml_path = repo_path / "default.yml"
raw = yaml.safe_load(yaml_path.read_text())
operations = raw.setdefault("Operations", {}).setdefault(vo, {})
operations.setdefault("Services", {}).setdefault("JobMonitoring", {})["GlobalJobsInfo"] = value
parsed = Config.model_validate(raw)
assert parsed.operations[vo].services.job_monitoring.global_jobs_info is value
yaml_path.write_text(yaml.safe_dump(raw))
repo = git.Repo(repo_path)
repo.index.add(["default.yml"])
repo.index.commit(f"GlobalJobsInfo = {value} for {vo}")
