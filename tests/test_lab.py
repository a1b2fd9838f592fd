"""``make lab``: JupyterLab at the project's root (data/raw and outputs in its file browser),
the notebooks folder open, and starting as root too (containers, Binder-like images)."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time

import pytest

from compendium.paths import ROOT

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_make_lab_opens_jupyterlab_at_the_root_with_the_notebooks_in_view(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    port, token = free_port(), secrets.token_hex(8)
    extra = f"--no-browser --ServerApp.port={port} --ServerApp.port_retries=0 "
    extra += f"--IdentityProvider.token={token}"
    log = tmp_path / "lab.log"
    with open(log, "w") as output:
        lab = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"LAB_EXTRA={extra}"],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert lab.poll() is None, f"JupyterLab did not start:\n{log.read_text()}"
            try:
                listing = get(port, f"/api/contents?token={token}")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
        status, _, body = listing
        assert status == 200
        names = {entry["name"] for entry in json.loads(body)["content"]}
        assert {"data", "outputs", "notebooks", "README.md"} <= names
        status, headers, _ = get(port, f"/?token={token}")
        assert status == 302
        assert headers["Location"].startswith("/lab/tree/notebooks")
        assert get(port, f"/lab/tree/notebooks?token={token}")[0] == 200
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()
