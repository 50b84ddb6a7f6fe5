"""Varnish run locally with the project's VCL (deploy/varnish/default.vcl), in front of a
server on this machine: for `make bench` and the end-to-end test of purging."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VCL = REPO / "deploy" / "varnish" / "default.vcl"
# The backend as docker-compose.yml names it; a local run names its own.
COMPOSE_BACKEND = ('.host = "web";', '.port = "8000";')
MISSING = (
    "varnishd not found: install Debian's varnish package (`make varnish`, or "
    "`sudo apt-get install varnish`), or name the binary in VARNISHD."
)


def varnishd() -> str | None:
    """The varnishd binary ($VARNISHD, the PATH, or Debian's /usr/sbin), or None."""
    named = os.environ.get("VARNISHD")
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")


def vcl_for(host: str, port: int) -> str:
    """The project's VCL with its backend at `host:port`."""
    text = VCL.read_text()
    for line in COMPOSE_BACKEND:
        if line not in text:
            raise ValueError(f"{VCL} no longer declares its backend as {line!r}")
    return text.replace(COMPOSE_BACKEND[0], f'.host = "{host}";').replace(
        COMPOSE_BACKEND[1], f'.port = "{port}";'
    )


def compile_vcl(text: str) -> subprocess.CompletedProcess:
    """Compile a VCL with `varnishd -C` (which needs its backend's host to resolve); the
    result's return code says whether it compiled and its stderr why not."""
    with tempfile.TemporaryDirectory(prefix="varnish-") as directory:
        vcl = Path(directory) / "default.vcl"
        vcl.write_text(text)
        return subprocess.run(
            [
                varnishd() or "varnishd",
                "-C",
                "-j",
                "none",
                "-n",
                str(Path(directory) / "work"),
                "-f",
                str(vcl),
            ],
            capture_output=True,
            text=True,
            check=False,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_varnish(backend_port: int, *, memory: str = "64m") -> Iterator[str]:
    """Varnish in the foreground on a free local port, caching for the server on
    `backend_port`; its base URL. Stopped, and its files removed, on leaving."""
    binary = varnishd()
    if binary is None:
        raise FileNotFoundError(MISSING)
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="varnish-") as directory:
        vcl = Path(directory) / "default.vcl"
        vcl.write_text(vcl_for("127.0.0.1", backend_port))
        log = Path(directory) / "varnishd.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [
                    binary,
                    "-F",  # in the foreground, a child of this process
                    "-j",
                    "none",  # no jail: its files stay in this (private) temporary directory
                    "-n",
                    str(Path(directory) / "work"),
                    "-a",
                    f"127.0.0.1:{port}",
                    "-f",
                    str(vcl),
                    "-s",
                    f"malloc,{memory}",
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            _wait_until_listening(process, port, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_listening(process: subprocess.Popen, port: int, log: Path, timeout=30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"varnishd stopped ({process.returncode}):\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"varnishd did not listen on {port} in {timeout} s:\n{log.read_text()}")
