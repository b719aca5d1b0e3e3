"""Rucio's REST application for a SQLite database shared with the conveyor (start-rucio.sh serves this module).

SQLite lets one connection write at a time. When a transaction that has already read must become a writer while
another process (the conveyor's daemons, which write heartbeats every cycle) holds the write lock, SQLite gives up
at once with "database is locked" instead of waiting, and asks the application to roll the transaction back and
run it again. Rucio has rolled back by the time it answers 500, so running the request again is the retry SQLite
asks for: this wrapper does it, a few times with a short back-off, for those answers only. Measured here with the
conveyor running: 24 of 3,864 writes failed in 90 s without it (scripts/rucio/EVIDENCE.md). Rucio on PostgreSQL
(production) does not need it.
"""
import io
import sys
import time

from rucio.web.rest.flaskapi.v1.main import application as rucio_application

ATTEMPTS = 6
# Both forms Rucio gives a lock failure: the raw OperationalError, and the DatabaseException it wraps it in.
LOCKED = (b"database is locked", b'"ExceptionClass": "DatabaseException"')


def application(environ, start_response):
    length = environ.get("CONTENT_LENGTH")
    body = environ["wsgi.input"].read(int(length)) if length else environ["wsgi.input"].read()
    for attempt in range(1, ATTEMPTS + 1):
        environ["wsgi.input"] = io.BytesIO(body)
        answer = {}

        def capture(status, headers, exc_info=None):
            answer.update(status=status, headers=headers, exc_info=exc_info)
            return lambda _data: None  # Flask never uses write()

        result = rucio_application(environ, capture)
        if not answer["status"].startswith("500") or attempt == ATTEMPTS:
            start_response(answer["status"], answer["headers"], answer["exc_info"])
            return result
        try:
            payload = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        if not any(marker in payload for marker in LOCKED):
            start_response(answer["status"], answer["headers"], answer["exc_info"])
            return [payload]
        print(f"sqlite locked: {environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}, attempt {attempt} of {ATTEMPTS}",
              file=sys.stderr, flush=True)
        time.sleep(0.05 * 2 ** attempt)
