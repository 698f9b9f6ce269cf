"""`build.py serve` as an editor's browser (and a hostile page in that browser) sees it: it keeps answering
while a rebuild runs, answers only its own host names, and serves nothing but the site's public files."""

import base64
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

HOST = "127.0.0.2"  # given with --host: a loopback address that is not one of the names always answered
REBUILD_SECONDS = 1.5
# `serve`, with every rebuild after an edit made slow, as one slow file would make it.
SLOW_SERVE = f"""
import sys, time
from timeline.cli import main
from timeline.preview.rebuild import Preview

built = Preview.rebuild

def slowly(self, changed=frozenset()):
    if changed:
        time.sleep({REBUILD_SECONDS})
    return built(self, changed)

Preview.rebuild = slowly
sys.exit(main(sys.argv[1:]))
"""


@dataclass(frozen=True)
class Server:
    port: int
    folder: Path  # holds content/, site/ and serve.log


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(server: Server, path: str, host: str | None = None, timeout: float = 5.0) -> tuple[int, bytes]:
    """The status and body of a GET, with the Host header a browser would send for `host`."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host or f"{HOST}:{server.port}"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def status(server: Server, timeout: float = 5.0) -> dict:
    code, body = get(server, "/_preview/errors.json", timeout=timeout)
    assert code == 200
    return json.loads(body)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    shutil.copytree(FIXTURES / "minimal" / "content", folder / "content")
    port = free_port()
    command = [sys.executable, "-c", SLOW_SERVE, "serve", "--content", "content", "--out", "site", "--no-search",
               "--host", HOST, "--port", str(port), "--cache-dir", "cache", "--jobs", "1"]  # fmt: skip
    log = (folder / "serve.log").open("w")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=environment)
    running = Server(port, folder)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(running, "/", timeout=1)[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        log.close()
        pytest.fail("the preview server did not start: " + (folder / "serve.log").read_text())
    yield running
    process.terminate()
    process.wait(timeout=10)
    log.close()
    assert "Traceback" not in (folder / "serve.log").read_text(), (folder / "serve.log").read_text()


def test_the_preview_keeps_answering_with_the_last_good_site_while_it_rebuilds(server):
    page = "/entries/alpha-agreement/"
    entry = server.folder / "content" / "2024" / "alpha-agreement.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\nA paragraph added while the preview runs.\n")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if status(server, timeout=0.5).get("rebuilding"):
                break
        except OSError:  # no answer within half a second: the server is stuck in the rebuild
            pass
        time.sleep(0.05)
    else:
        pytest.fail("the server never said that a rebuild is running")
    started = time.monotonic()
    code, body = get(server, page, timeout=1)
    assert (code, time.monotonic() - started < 0.5) == (200, True)
    assert b"A paragraph added" not in body  # the last good site, until the rebuild is done
    assert status(server, timeout=1)["rebuilding"]  # still running: the answer did not wait for it
    deadline = time.monotonic() + 10
    while status(server)["rebuilding"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert b"A paragraph added" in get(server, page)[1]


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:{port}", "LocalHost:{port}", "127.0.0.1:{port}", "[::1]", "[::1]:{port}",
             "127.0.0.2", "127.0.0.2:{port}"],
)  # fmt: skip
def test_the_preview_answers_its_own_host_names(server, host):
    assert get(server, "/", host=host.format(port=server.port))[0] == 200


@pytest.mark.parametrize(
    "host", ["attacker.example", "attacker.example:{port}", "localhost.attacker.example:{port}",
             "127.0.0.1.nip.io:{port}", "192.168.1.5:{port}", "[::2]:{port}"],
)  # fmt: skip
@pytest.mark.parametrize("path", ["/", "/_preview/errors.json", "/livereload.js", "/.timeline-site"])
def test_the_preview_refuses_other_host_names_as_dns_rebinding_would_send(server, host, path):
    code, body = get(server, path, host=host.format(port=server.port))
    assert code == 421
    assert b"errors" not in body and b"Alpha" not in body


def websocket_handshake(server: Server, origin: str | None, host: str | None = None) -> int:
    """The status of a livereload WebSocket handshake, as a page from `origin` would open it."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /livereload HTTP/1.1",
        f"Host: {host or f'localhost:{server.port}'}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *([f"Origin: {origin}"] if origin else []),
    ]
    with socket.create_connection((HOST, server.port), timeout=5) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        reply = connection.recv(4096)
    return int(reply.split(b" ", 2)[1])


def test_the_livereload_socket_accepts_only_pages_of_the_preview_itself(server):
    port = server.port
    assert websocket_handshake(server, f"http://localhost:{port}") == 101
    assert websocket_handshake(server, f"http://127.0.0.2:{port}", host=f"127.0.0.2:{port}") == 101
    assert websocket_handshake(server, f"http://[::1]:{port}") == 101
    assert websocket_handshake(server, "https://attacker.example") == 403
    assert websocket_handshake(server, f"http://attacker.example:{port}") == 403
    assert websocket_handshake(server, "null") == 403  # a sandboxed frame or a file:// page
    assert websocket_handshake(server, f"http://localhost:{port}", host="attacker.example") == 421


@pytest.mark.parametrize(
    "path", ["/index.html%00", "/%00", "/entries/%00/", "/index.html%00.png", "/.timeline-site", "/.nojekyll",
             "/%2etimeline-site", "/entries/.hidden/index.html", "/.git/config", "/entries/..%2f.timeline-site",
             "/" + "a" * 5000],
)  # fmt: skip
def test_odd_paths_and_dotfiles_are_not_found(server, path):
    assert (server.folder / "site" / ".timeline-site").is_file()
    code, body = get(server, path)
    assert code == 404
    assert b"Traceback" not in body and b"There is no page at this address" in body


@pytest.mark.parametrize("port", ["70000", "65536", "0", "-1", "http"])
def test_serve_refuses_a_port_that_cannot_be(tmp_path, port):
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(FIXTURES / "minimal" / "content"),
               "--out", str(tmp_path / "site"), "--cache-dir", str(tmp_path / "cache"), "--port", port]  # fmt: skip
    try:
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=15, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve --port {port} started serving")
    assert result.returncode == 2
    assert "--port" in result.stderr and "1 to 65535" in result.stderr
    assert not (tmp_path / "site").exists()


def test_changes_saved_during_a_rebuild_make_one_more_rebuild_with_all_of_them():
    import threading

    from timeline.preview.server import PreviewState, Rebuilder

    started, release, calls, reports = threading.Event(), threading.Event(), [], []

    def build(changed):
        calls.append(changed)
        started.set()
        release.wait(5)

    state = PreviewState()
    rebuild = Rebuilder(build, state, reports.append, notify=lambda: None)
    rebuild.start()
    rebuild.request({"content/a.md"})
    assert started.wait(5)
    assert state.status.rebuilding == "Rebuilding after changes to a.md…"
    rebuild.request({"content/b.md"})
    rebuild.request({"templates/c.html"})
    release.set()
    deadline = time.monotonic() + 5
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    rebuild.stop()
    assert calls == [{"content/a.md"}, {"content/b.md", "templates/c.html"}]
    assert state.status.rebuilding is None and len(reports) == 2
