"""Rucio's conveyor (submitter, poller, finisher) with Rucio's own mock transfertool, in one process.

Run beside the local Rucio server (start-rucio.sh `conveyor`), with the same RUCIO_CONFIG whose [conveyor]
section selects `transfertool = mock`. The mock tool reports every transfer DONE without moving bytes; the
nearest real thing here is a plain copy at submission when both ends are posix paths on this host and the
source file exists (metadata-only replicas, as the demo topology's, have nothing to copy). Real deployments
use FTS unchanged.
"""
import os
import shutil
import threading
import time
from urllib.parse import urlparse

from rucio.transfertool import mock

_submit = mock.MockTransfertool.submit


def _path(url):
    u = urlparse(url)
    return u.path if u.scheme == "file" else None


def submit(self, transfers, job_params, timeout=None):
    transfers = list(transfers)
    for t in transfers:
        try:
            src, dst = _path(t.source_url(t.src)), _path(t.dest_url)
            if src and dst and os.path.isfile(src) and not os.path.exists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(src, dst + ".part")
                os.replace(dst + ".part", dst)
        except Exception as err:  # the copy is best effort; Rucio's state is what the portal follows
            print(f"conveyor copy step: {err}", flush=True)
    return _submit(self, transfers, job_params, timeout)


mock.MockTransfertool.submit = submit

from rucio.daemons.conveyor import finisher, poller, submitter  # noqa: E402

SLEEP = int(os.environ.get("CONVEYOR_SLEEP", "2"))
threads = [
    threading.Thread(target=submitter.run, kwargs={"sleep_time": SLEEP, "partition_wait_time": 0}, daemon=True),
    threading.Thread(target=poller.run, kwargs={"sleep_time": SLEEP, "older_than": 0}, daemon=True),
    threading.Thread(target=finisher.run, kwargs={"sleep_time": SLEEP}, daemon=True),
]
for t in threads:
    t.start()
while any(t.is_alive() for t in threads):
    time.sleep(1)
