"""A load test of production serving: gunicorn (rescue/gunicorn_conf.py) on PostgreSQL and Redis, with
50 signed-in users hitting a mixed workload for 60 seconds from a second process (wrk), on loopback only.

    python -m bench.load --database postgresql://postgres@127.0.0.1:5432/postgres [--cases 100000]
        [--users 50] [--seconds 60] [--redis redis://127.0.0.1:6379/14]

Each user waits 0.5 to 1.5 s between requests, as a person reading a page does. The workload, per request
picked at random: the case list, plain or filtered (50 %), a name search (21 %), a case page (21 %), the inbox
(4 %) and the dashboard (4 %). wrk runs a bounded number of seconds and stops by itself."""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar, DefaultCookiePolicy

os.environ.setdefault("RESCUE_CONFIG", "test")

from bench.run import _database, _fill  # noqa: E402

LUA = r"""
local cookies = { %(cookies)s }
local paths = { %(paths)s }
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("offset", counter) end
init = function(args) n = offset end
request = function()
  n = n + 1
  local cookie = cookies[(n %% #cookies) + 1]
  local path = paths[math.random(#paths)]
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end
-- a person reads a page before the next: between half a second and a second and a half
delay = function() return math.random(500, 1500) end
done = function(summary, latency, requests)
  io.write(string.format("REQUESTS %%d\nERRORS %%d %%d %%d %%d %%d\n", summary.requests, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("P%%d %%.1f\n", p, latency:percentile(p) / 1000.0))
  end
end
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _LoopbackPolicy(DefaultCookiePolicy):
    """Production cookies are Secure; on loopback (no TLS) this client sends them all the same."""

    def return_ok_secure(self, cookie, request):
        return True


def _sign_in(base: str, email: str, password: str, secret: str | None) -> str:
    """Sign in through the pages; return the session cookie as a browser would send it."""
    jar = CookieJar(policy=_LoopbackPolicy())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = lambda html: re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # noqa: E731
    page = opener.open(f"{base}/login").read().decode()
    response = opener.open(f"{base}/login", urllib.parse.urlencode(
        {"email": email, "password": password, "csrf_token": token(page)}).encode())
    if secret and response.url.endswith("/login/code"):
        import pyotp

        page = response.read().decode()
        opener.open(f"{base}/login/code", urllib.parse.urlencode(
            {"code": pyotp.TOTP(secret).now(), "csrf_token": token(page)}).encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="PostgreSQL server URL (a database is made and dropped)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    from flask_migrate import upgrade

    from rescue import create_app

    url, drop = _database(args.database)
    folder = tempfile.mkdtemp(prefix="rescue-load-")
    server = None
    try:
        key = _key()  # two-factor keys are sealed with it: the same for the filling and the served app
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RESCUE_ENCRYPTION_KEY": key})
        with app.app_context():
            upgrade()
        _user_id, secret = _fill(app, args.cases)
        with app.app_context():
            from rescue.auth import passwords
            from rescue.auth.models import User
            from rescue.extensions import db

            organisation_id = db.session.get(User, _user_id).organisation_id
            hashed = passwords.hash_password("load passphrase 2026")
            for n in range(args.users - 1):
                db.session.add(User(email=f"load{n}@example.org", role="coordinator", organisation_id=organisation_id,
                                    password_hash=hashed, totp_secret=secret))
            db.session.commit()
            db.engine.dispose()
        port = _free_port()
        env = {**os.environ, "RESCUE_CONFIG": "production", "DATABASE_URL": url, "REDIS_URL": args.redis,
               "SECRET_KEY": secrets.token_urlsafe(48), "RESCUE_ENCRYPTION_KEY": key,
               "RESCUE_BIND": f"127.0.0.1:{port}", "RESCUE_ACCESS_LOG": os.devnull,
               "RESCUE_UPLOAD_DIR": f"{folder}/uploads", "RESCUE_INSTANCE_DIR": folder}
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:rescue.gunicorn_conf", "wsgi:app"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        cookies = [_sign_in(base, "bench@example.org", "bench passphrase 2026", secret)]
        cookies += [_sign_in(base, f"load{n}@example.org", "load passphrase 2026", secret)
                    for n in range(args.users - 1)]
        paths = (["/cases"] * 8 + ["/cases?status=in_care&sort=waiting"] * 4 + ["/cases?q=santoso", "/cases?q=nguyen",
                 "/cases?q=maria", "/cases?q=sok", "/cases?q=hasan"]
                 + [f"/cases/{i}" for i in range(1, args.cases, max(args.cases // 5, 1))] + ["/inbox", "/dashboard"])
        script = os.path.join(folder, "mix.lua")
        with open(script, "w") as handle:
            handle.write(LUA % {"cookies": ", ".join(f'"{c}"' for c in cookies),
                                "paths": ", ".join(f'"{p}"' for p in paths)})
        workers = env.get("RESCUE_WEB_WORKERS") or os.cpu_count() * 2
        print(f"rescue load test: {args.cases:,} cases on PostgreSQL, gunicorn ({workers} workers x 4 threads), "
              f"{args.users} signed-in users, {args.seconds} s, wrk from a second process")
        result = subprocess.run(["wrk", "-t2", f"-c{args.users}", f"-d{args.seconds}s", "--timeout", "10s",
                                 "-s", script, base], capture_output=True, text=True, timeout=args.seconds + 60)
        figures = dict(line.split(" ", 1) for line in result.stdout.splitlines()
                       if line.split(" ", 1)[0] in ("REQUESTS", "ERRORS", "P50", "P95", "P99"))
        requests = int(figures.get("REQUESTS", 0))
        errors = [int(v) for v in figures.get("ERRORS", "0 0 0 0 0").split()]
        print(f"requests          {requests:,} ({requests / args.seconds:.0f} per second)")
        print(f"errors            connect {errors[0]}, read {errors[1]}, write {errors[2]}, "
              f"non-2xx/3xx {errors[3]}, timeouts {errors[4]}")
        for p in ("P50", "P95", "P99"):
            print(f"latency {p.lower():<9} {float(figures.get(p, 0)):.1f} ms")
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        drop()
        shutil.rmtree(folder, ignore_errors=True)


def _key() -> str:
    from rescue.core.sealing import new_key

    return new_key()


if __name__ == "__main__":
    main()
