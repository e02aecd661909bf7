"""A real ssh server on localhost for the Car Connector: a throwaway `sshd` on a free port,
run as the current user with its own host key, config and authorized_keys in a temp folder
(the machine's /etc/ssh and ~/.ssh are never read or written), a throwaway client key, and a
"car" folder made by `burro createcar --template sim` on this same machine.

`ui` is `burro ui` in a subprocess with a local car folder whose myconfig.py points PI_* at
that server (PI_SSH_CONFIG names an ssh_config with a known_hosts holding the host key)."""

from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import SHARED_TUB
from tests.web.browser.conftest import small_pilot  # noqa: F401  (a fixture: a tiny .tflite pilot)

SSHD = Path("/usr/sbin/sshd")
REMOTE_TUB = "tub_1_26-01-01"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"sshd ended at start: {log.read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"sshd did not listen on {port}: {log.read_text()[-2000:]}")


@dataclass
class SshServer:
    port: int
    folder: Path
    identity: Path
    ssh_config: Path
    user: str

    def ssh(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run(["ssh", "-o", "BatchMode=yes", "-p", str(self.port), "-i",
                               str(self.identity), "-F", str(self.ssh_config),
                               f"{self.user}@127.0.0.1", "--", command],
                              capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="session")
def ssh_server(tmp_path_factory):
    if not SSHD.is_file() or not shutil.which("rsync"):
        pytest.fail("the Car Connector tests need sshd and rsync (bash scripts/test installs "
                    "them; or: sudo apt-get install openssh-server rsync)")
    folder = tmp_path_factory.mktemp("sshd")
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                        str(folder / name)], check=True)
    (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text())
    port = free_port()
    host_key = (folder / "host_key.pub").read_text().split()
    (folder / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    (folder / "ssh_config").write_text(
        f"Host *\n  UserKnownHostsFile {folder / 'known_hosts'}\n"
        "  StrictHostKeyChecking yes\n  GlobalKnownHostsFile /dev/null\n")
    env_line = f"SetEnv PYTHONPATH={os.environ['PYTHONPATH']}\n" if os.environ.get(
        "PYTHONPATH") else ""  # the car's Python finds this checkout's burro as ours does
    (folder / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host_key'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPidFile {folder / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nPermitRootLogin prohibit-password\n" + env_line)
    if os.geteuid() == 0:  # sshd as root wants its (empty) privilege separation folder
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    log = folder / "sshd.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(folder / "sshd_config")],
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log)
        server = SshServer(port, folder, folder / "client_key", folder / "ssh_config",
                           getpass.getuser())
        check = server.ssh("true")
        assert check.returncode == 0, check.stderr + log.read_text()[-2000:]
        yield server
    finally:
        process.terminate()
        process.wait(10)


def createcar(path: Path, template: str, myconfig: str) -> Path:
    subprocess.run([sys.executable, "-m", "burro", "createcar", "--path", str(path),
                    "--template", template], check=True, capture_output=True)
    with (path / "myconfig.py").open("a") as file:
        file.write("\n" + myconfig)
    return path


@pytest.fixture(scope="module")
def remote_car(tmp_path_factory) -> Path:
    """The car's folder ("on the car"): a sim car with a copy of the real tub in data/."""
    car = createcar(tmp_path_factory.mktemp("remote") / "mycar", "sim",
                    "WEB_CONTROL_PORT = 0\nMAX_LOOPS = 600\nAUTO_CREATE_NEW_TUB = True\n")
    shutil.copytree(SHARED_TUB, car / "data" / REMOTE_TUB, copy_function=shutil.copyfile)
    return car


@dataclass
class Ui:
    url: str
    process: subprocess.Popen
    car: Path  # the local car folder
    remote: Path  # the car folder on the "car"
    server: SshServer

    def call(self, method: str, path: str, body=None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def ok(self, method: str, path: str, body=None):
        status, value = self.call(method, path, body)
        assert status == 200, value
        return value

    def wait_job(self, job_id: int, timeout: float = 60, until=None) -> dict:
        """The job once it ended (or once `until(job)` holds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.ok("GET", f"/api/car/jobs/{job_id}")
            if (until(job) if until else job["state"] != "running"):
                return job
            time.sleep(0.1)
        pytest.fail(f"job {job_id} did not get there in {timeout} s: {job}")


def car_settings(server: SshServer, remote: Path) -> str:
    return (f"PI_USERNAME = {server.user!r}\nPI_HOSTNAME = '127.0.0.1'\n"
            f"PI_SSH_PORT = {server.port}\nPI_SSH_IDENTITY = {str(server.identity)!r}\n"
            f"PI_SSH_CONFIG = {str(server.ssh_config)!r}\nPI_CAR_DIR = {str(remote)!r}\n"
            f"PI_PYTHON = {sys.executable!r}\n")


def start_ui(local: Path, server: SshServer, remote: Path, *extra: str) -> Ui:
    """`burro ui` in a subprocess on a free port with `local` as the car folder."""
    process = subprocess.Popen(
        [sys.executable, "-m", "burro", "ui", "--no-browser", "--port", "0", "--car",
         str(local), "--root", str(server.folder), "--root", str(local), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    match = re.search(r"(http://\S+/)", line)
    if not match:
        process.kill()
        pytest.fail(f"burro ui did not start: {line}{process.stdout.read()}")
    return Ui(match.group(1).rstrip("/"), process, local, remote, server)


@pytest.fixture(scope="module")
def local_car(tmp_path_factory, ssh_server, remote_car) -> Path:
    """The car folder on this computer, its PI_* keys pointing at the throwaway sshd."""
    return createcar(tmp_path_factory.mktemp("local") / "mycar", "complete",
                     car_settings(ssh_server, remote_car))


@pytest.fixture(scope="module")
def ui(local_car, ssh_server, remote_car):
    running = start_ui(local_car, ssh_server, remote_car)
    try:
        yield running
    finally:
        running.process.terminate()
        running.process.wait(20)


def same_files(one: Path, other: Path) -> list[str]:
    """The relative names of the files that differ between two folders (missing ones too)."""
    names = {p.relative_to(one) for p in one.rglob("*") if p.is_file()}
    names |= {p.relative_to(other) for p in other.rglob("*") if p.is_file()}
    return sorted(str(name) for name in names
                  if not (one / name).is_file() or not (other / name).is_file()
                  or (one / name).read_bytes() != (other / name).read_bytes())
