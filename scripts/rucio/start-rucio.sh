#!/usr/bin/env bash
# Start a real Rucio server (PyPI `rucio` 41.5.1, SQLite, gunicorn) on 127.0.0.1 and seed it
# with a CTA-like scope/dataset/container + 20 file replicas, and (step 6) disk and tape RSEs at two
# sites with replicas spread over them (metadata only: no file is stored).
#
# Idempotent: re-running reuses the venv, the DB and a running server; seeding is skipped when
# the dataset already exists. One set of daemons runs beside the server: the conveyor (conveyor.py: submitter,
# poller, finisher) with Rucio's mock transfertool, for staging rules (step 8; CONVEYOR=0 leaves it out).
#
#   RUCIO_DIR   working dir           (default .stack/rucio in the repository)
#   RUCIO_PORT  listen port           (default 8901)
#   PYTHON      python >= 3.9 (3.11 tested)  (default python3.11)
#   ./start-rucio.sh          # install/bootstrap/start/seed
#   ./start-rucio.sh stop     # stop the server started by this script
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${RUCIO_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/.stack/rucio}"
PORT="${RUCIO_PORT:-8901}"
PY="${PYTHON:-python3.11}"
URL="http://127.0.0.1:${PORT}"
VENV="${RUCIO_VENV:-$DIR/venv}"
ETC="$DIR/home/etc"
DB="$DIR/rucio.db"
PIDFILE="$DIR/rucio-$PORT.pid"
mkdir -p "$DIR" "$ETC" "$DIR/log"

start_conveyor() {
  local pidfile="$DIR/conveyor-$PORT.pid"
  if ! { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }; then
    RUCIO_HOME="$DIR/home" RUCIO_CONFIG="$ETC/rucio.cfg" nohup "$VENV/bin/python" "$HERE/conveyor.py" >"$DIR/log/conveyor-$PORT.log" 2>&1 &
    echo $! >"$pidfile"
    echo "conveyor started (pid $(cat "$pidfile"))"
  fi
}

# `conveyor`: start only the conveyor (step 8) beside a server started before with CONVEYOR=0 (the portal's stack
# does so once its own seeding of the catalogue is done).
if [ "${1:-}" = "conveyor" ]; then
  start_conveyor
  exit 0
fi

if [ "${1:-}" = "stop" ]; then
  for f in "$DIR/conveyor-$PORT.pid" "$PIDFILE"; do
    if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then kill "$(cat "$f")"; echo "stopped $(cat "$f")"; fi
    rm -f "$f"
  done
  exit 0
fi

# ---- 1. venv + pinned packages -------------------------------------------------------------
if [ ! -x "$VENV/bin/gunicorn" ] || ! "$VENV/bin/python" -c 'import rucio' 2>/dev/null; then
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  if [ -f "$HERE/requirements.lock" ]; then
    "$VENV/bin/pip" install -q -r "$HERE/requirements.lock"
  else
    "$VENV/bin/pip" install -q 'rucio==41.5.1' 'gunicorn==27.0.1'
  fi
fi
SITE="$("$VENV/bin/python" -c 'import rucio,os;print(os.path.dirname(rucio.__file__))')"

# ---- 2. config (rewritten every run; deterministic) ----------------------------------------
cat > "$ETC/rucio.cfg" <<EOF
[common]
logdir = $DIR/log
loglevel = INFO
mailtemplatedir = $VENV/rucio/etc/mail_templates

[database]
default = sqlite:///$DB

[bootstrap]
# root account identity created by create_root_account(); plain-text pwd is hashed on insert
userpass_identity = ddmlab
userpass_pwd = secret
userpass_email = ddmlab@example.org

[alembic]
cfg = $ETC/alembic.ini

# Staging (issue #16): the conveyor (conveyor.py) uses Rucio's mock transfertool, which speaks file:// and mock://.
[conveyor]
transfertool = mock
scheme = file,mock

[policy]
permission = generic
schema = generic
lfn2pfn_algorithm_default = hash
support = https://example.org
support_rucio = https://github.com/rucio/rucio/issues/
EOF
cat > "$ETC/alembic.ini" <<EOF
[alembic]
script_location = $SITE/db/sqla/migrate_repo
sqlalchemy.url = sqlite:///$DB
[loggers]
keys = root,sqlalchemy,alembic
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARN
handlers = console
qualname =
[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine
[logger_alembic]
level = WARN
handlers =
qualname = alembic
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
EOF
export RUCIO_HOME="$DIR/home" RUCIO_CONFIG="$ETC/rucio.cfg"

# ---- 3. DB bootstrap (same as rucio/tools/bootstrap.py) -------------------------------------
if [ ! -s "$DB" ]; then
  "$VENV/bin/python" -c 'from rucio.db.sqla.util import build_database, create_base_vo, create_root_account
build_database(); create_base_vo(); create_root_account(); print("rucio DB bootstrapped")'
fi

# ---- 4. server ----------------------------------------------------------------------------
if curl -sf "$URL/ping" >/dev/null 2>&1; then
  echo "rucio already answering on $URL"
else
  # One worker, ONE thread: a Rucio write fills a temporary table, reads, then writes; SQLite refuses the
  # deferred read->write lock upgrade when another connection wrote in between ("database is locked"), and
  # busy timeouts and WAL do not help. Serialising requests does (sites registering outputs concurrently: 24 of
  # 30 registrations failed with 4 threads, none with 1). BEGIN IMMEDIATE for every transaction (server and
  # conveyor) made 180 of 180 such registrations pass with 4 threads, but other requests then hung (token
  # requests timed out in staging.int), so it is not used. The conveyor, a second process on this file, still
  # collides with a request now and then: wsgi_sqlite.py runs such a request again, as SQLite asks.
  nohup "$VENV/bin/gunicorn" -b "127.0.0.1:$PORT" -w 1 --threads 1 --timeout 60 \
    --access-logfile "$DIR/log/access-$PORT.log" --pythonpath "$HERE" \
    wsgi_sqlite:application >"$DIR/log/server-$PORT.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 60); do curl -sf "$URL/ping" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "$URL/ping" >/dev/null || { echo "server did not start; see $DIR/log/server-$PORT.log"; tail -20 "$DIR/log/server-$PORT.log"; exit 1; }
  echo "rucio started on $URL (pid $(cat "$PIDFILE"))"
fi

# ---- 5. seed over REST --------------------------------------------------------------------
TOK=$(curl -s -D - -o /dev/null -H 'X-Rucio-Account: root' -H 'X-Rucio-Username: ddmlab' \
      -H 'X-Rucio-Password: secret' "$URL/auth/userpass" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-rucio-auth-token"{print $2}')
[ -n "$TOK" ] || { echo "could not get a token"; exit 1; }
req() { # method path [json]
  local code
  if [ -n "${3:-}" ]; then
    code=$(curl -s -o "$DIR/log/last.out" -w '%{http_code}' -X "$1" -H "X-Rucio-Auth-Token: $TOK" -H 'Content-Type: application/json' -d "$3" "$URL$2")
  else
    code=$(curl -s -o "$DIR/log/last.out" -w '%{http_code}' -X "$1" -H "X-Rucio-Auth-Token: $TOK" "$URL$2")
  fi
  case "$code" in 2*|409) ;; *) echo "FAILED $1 $2 -> $code: $(cat "$DIR/log/last.out")"; exit 1;; esac
}
DS=prod5b.lst1.dl1.run2967
CONT=prod5b.lst1.dl1
if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Rucio-Auth-Token: $TOK" "$URL/dids/cta/$DS")" = 200 ]; then
  echo "seed data already present (cta:$DS)"
else
  req POST /scopes/root/cta
  req POST /rses/CTA-DESY-DISK '{"deterministic": true, "volatile": false, "rse_type": "DISK"}'
  req POST /rses/CTA-DESY-DISK/protocols/https '{"hostname":"dcache.desy.example.org","port":2880,"prefix":"/pnfs/desy.de/cta/rucio/","impl":"rucio.rse.protocols.webdav.Default","domains":{"lan":{"read":1,"write":1,"delete":1},"wan":{"read":1,"write":1,"delete":1,"third_party_copy_read":1,"third_party_copy_write":1}}}'
  req POST "/dids/cta/$DS" '{"type":"DATASET","meta":{"project":"prod5b"}}'
  FILES=$("$VENV/bin/python" - <<'PY'
import json, random
r = random.Random(2967)
print(json.dumps([{"scope": "cta", "name": f"LST-1.1.Run02967.{i:04d}.dl1.h5",
                   "bytes": r.randint(180_000_000, 420_000_000),
                   "adler32": f"{r.getrandbits(32):08x}",
                   "meta": {"events": r.randint(40_000, 90_000)}} for i in range(1, 21)]))
PY
)
  NAMES=$(echo "$FILES" | "$VENV/bin/python" -c 'import json,sys;print(json.dumps([{"scope":f["scope"],"name":f["name"]} for f in json.load(sys.stdin)]))')
  req POST /replicas "{\"rse\":\"CTA-DESY-DISK\",\"files\":$FILES}"        # creates file DIDs + replicas
  req POST "/dids/cta/$DS/dids" "{\"dids\":$NAMES}"                          # attach files to dataset
  req PUT "/dids/cta/$DS/status" '{"open": false}'                          # close dataset
  req POST "/dids/cta/$CONT" '{"type":"CONTAINER"}'
  req POST "/dids/cta/$CONT/dids" "{\"dids\":[{\"scope\":\"cta\",\"name\":\"$DS\"}]}"
  echo "seeded cta:$CONT > cta:$DS (20 files) with replicas on CTA-DESY-DISK"
fi

# ---- 6. storage topology (issue #16): disk and tape RSEs at two sites, replicas spread over them ------
# Each RSE carries the DIRAC site it belongs to (attribute `site`, as in config/resources.cfg
# Resources/Sites/<grid>/<site>/SE) and `istape`; rse_type is TAPE or DISK. Idempotent: skipped once
# CTA-PIC-TAPE exists, so a Rucio seeded before this step gets it on its next start.
# RSEs: CTA-DESY-DISK, CTA-DESY-TAPE (LCG.DESY-GPU.de), CTA-PIC-DISK, CTA-PIC-TAPE (HPC.MareNostrum.es).
# Replicas: DL1 files 0001-0012 disk-only at DESY, 0013-0016 also on tape at PIC, 0017-0020 also on
# disk at PIC; the DL0 dataset (8 raw files): 0001-0005 tape-only at PIC, 0006-0008 on tape and disk at PIC.
if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Rucio-Auth-Token: $TOK" "$URL/rses/CTA-PIC-TAPE")" = 200 ]; then
  echo "storage topology already present (CTA-PIC-TAPE)"
else
  rse() { # name type site host
    req POST "/rses/$1" "{\"deterministic\": true, \"volatile\": false, \"rse_type\": \"$2\"}"
    req POST "/rses/$1/protocols/https" "{\"hostname\":\"$4\",\"port\":2880,\"prefix\":\"/cta/rucio/\",\"impl\":\"rucio.rse.protocols.webdav.Default\",\"domains\":{\"lan\":{\"read\":1,\"write\":1,\"delete\":1},\"wan\":{\"read\":1,\"write\":1,\"delete\":1,\"third_party_copy_read\":1,\"third_party_copy_write\":1}}}"
    req POST "/rses/$1/attr/site" "{\"value\": \"$3\"}"
    req POST "/rses/$1/attr/istape" "{\"value\": $([ "$2" = TAPE ] && echo true || echo false)}"
  }
  # CTA-DESY-DISK exists since step 5 (its protocol too): only its attributes are added.
  req POST /rses/CTA-DESY-DISK/attr/site '{"value": "LCG.DESY-GPU.de"}'
  req POST /rses/CTA-DESY-DISK/attr/istape '{"value": false}'
  rse CTA-DESY-TAPE TAPE LCG.DESY-GPU.de tape.desy.example.org
  rse CTA-PIC-DISK DISK HPC.MareNostrum.es dcache.pic.example.org
  rse CTA-PIC-TAPE TAPE HPC.MareNostrum.es tape.pic.example.org
  EXTRA=$("$VENV/bin/python" - <<'PY'
import json, random
r = random.Random(2967)
dl1 = []
for i in range(1, 21):  # the same draws, in the same order, as step 5 (bytes, adler32, events)
    dl1.append({"scope": "cta", "name": f"LST-1.1.Run02967.{i:04d}.dl1.h5",
                "bytes": r.randint(180_000_000, 420_000_000), "adler32": f"{r.getrandbits(32):08x}"})
    r.randint(40_000, 90_000)
r2 = random.Random(29670)
dl0 = [{"scope": "cta", "name": f"LST-1.1.Run02967.{i:04d}.dl0.fits.fz",
        "bytes": r2.randint(2_000_000_000, 4_000_000_000), "adler32": f"{r2.getrandbits(32):08x}",
        "meta": {"datatype": "DL0"}} for i in range(1, 9)]
print(json.dumps({
  "pic_tape_dl1": [{k: f[k] for k in ("scope", "name", "bytes", "adler32")} for f in dl1[12:16]],
  "pic_disk_dl1": [{k: f[k] for k in ("scope", "name", "bytes", "adler32")} for f in dl1[16:20]],
  "pic_tape_dl0": dl0,
  "pic_disk_dl0": [{k: f[k] for k in ("scope", "name", "bytes", "adler32")} for f in dl0[5:]],
  "dl0_names": [{"scope": f["scope"], "name": f["name"]} for f in dl0],
}))
PY
)
  part() { echo "$EXTRA" | "$VENV/bin/python" -c "import json,sys;print(json.dumps(json.load(sys.stdin)['$1']))"; }
  req POST /replicas "{\"rse\":\"CTA-PIC-TAPE\",\"files\":$(part pic_tape_dl1)}"
  req POST /replicas "{\"rse\":\"CTA-PIC-DISK\",\"files\":$(part pic_disk_dl1)}"
  DL0=prod5b.lst1.dl0.run2967
  req POST "/dids/cta/$DL0" '{"type":"DATASET","meta":{"project":"prod5b"}}'
  req POST /replicas "{\"rse\":\"CTA-PIC-TAPE\",\"files\":$(part pic_tape_dl0)}"
  req POST /replicas "{\"rse\":\"CTA-PIC-DISK\",\"files\":$(part pic_disk_dl0)}"
  req POST "/dids/cta/$DL0/dids" "{\"dids\":$(part dl0_names)}"
  req PUT "/dids/cta/$DL0/status" '{"open": false}'
  echo "seeded the storage topology: 4 RSEs at 2 sites; cta:$DL0 (8 raw files, 5 tape-only)"
fi

# ---- 7. staging (issue #16): transfers between the topology RSEs through the conveyor -------------------
# Each topology RSE also gets a posix `file` protocol under $DIR/se/<RSE> (the mock transfertool's scheme;
# conveyor.py copies the bytes when the source has any), distances between all of them (the submitter needs a
# path), and the root account a quota on the two disk RSEs (a rule elsewhere is refused, as Rucio does).
if [ -f "$DIR/.staging-seeded" ]; then
  echo "staging topology already present"
else
  TOPO="CTA-DESY-DISK CTA-DESY-TAPE CTA-PIC-DISK CTA-PIC-TAPE"
  for r in $TOPO; do
    mkdir -p "$DIR/se/$r"
    req POST "/rses/$r/protocols/file" "{\"hostname\":\"localhost\",\"port\":0,\"prefix\":\"$DIR/se/$r\",\"impl\":\"rucio.rse.protocols.posix.Default\",\"domains\":{\"lan\":{\"read\":2,\"write\":2,\"delete\":2},\"wan\":{\"read\":2,\"write\":2,\"delete\":2,\"third_party_copy_read\":2,\"third_party_copy_write\":2}}}"
  done
  for s in $TOPO; do for d in $TOPO; do [ "$s" = "$d" ] || req POST "/rses/$s/distances/$d" '{"distance": 1}'; done; done
  req POST /accountlimits/local/root/CTA-PIC-DISK '{"bytes": 1000000000000000}'
  req POST /accountlimits/local/root/CTA-DESY-DISK '{"bytes": 1000000000000000}'
  touch "$DIR/.staging-seeded"
  echo "seeded staging: file protocols, distances, root quota on the disk RSEs"
fi

# ---- 8. the conveyor (submitter, poller, finisher with the mock transfertool), unless CONVEYOR=0 ---------
[ "${CONVEYOR:-1}" = 1 ] && start_conveyor

cat <<EOF

Rucio $(curl -s "$URL/ping") at $URL   (stop: $0 stop)
Get a token (valid 1 h; returned in the X-Rucio-Auth-Token response header):
  curl -s -D - -o /dev/null -H 'X-Rucio-Account: root' -H 'X-Rucio-Username: ddmlab' -H 'X-Rucio-Password: secret' $URL/auth/userpass | grep -i x-rucio-auth-token
Then e.g.:
  curl -s -H "X-Rucio-Auth-Token: \$TOKEN" $URL/dids/cta/$DS/files
EOF
