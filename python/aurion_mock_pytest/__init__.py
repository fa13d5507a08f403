"""pytest plugin for aurion-mock.

Fixtures:
  aurion_mock     the server, for the whole run: the one at AURION_MOCK_URL (or --aurion-mock-url),
                  else one started with AURION_MOCK_CMD / --aurion-mock-command / the ini option
                  aurion_mock_command (default "npx aurion-mock") and stopped at the end.
  aurion_session  a session of it per test, named after the test and unique across processes
                  (pytest-xdist workers included): base_url, headers, report(), journal(), reset().
Markers:
  aurion_policy             fail the test with the retry report when its client broke the policy.
  aurion_scenario(scenario) the test's session runs this scenario: a YAML file (posted to the
                            session alone) or the name of a loaded or bundled one.

Pure Python: the standard library, pytest and requests.
"""

import itertools
import os
import re
import shlex
import signal
import socket
import subprocess
import threading
import time

import pytest
import requests

DEFAULT_COMMAND = "npx aurion-mock"
START_TIMEOUT_S = 60.0
SESSION_KEY = pytest.StashKey()
_opened = itertools.count(1)


def pytest_addoption(parser):
    group = parser.getgroup("aurion-mock")
    group.addoption("--aurion-mock-url", help="use the aurion-mock running at this URL (env AURION_MOCK_URL)")
    group.addoption("--aurion-mock-command",
                    help="command that starts aurion-mock; {port} in it becomes a free port, else --port is added "
                         "(env AURION_MOCK_CMD; default: npx aurion-mock)")
    parser.addini("aurion_mock_command", "command that starts aurion-mock (see --aurion-mock-command)")
    parser.addini("aurion_mock_scenarios", "scenarios the started server loads (--scenario each)", type="linelist")


def pytest_configure(config):
    config.addinivalue_line("markers", "aurion_policy: fail the test with the aurion-mock retry report when its client broke the retry policy")
    config.addinivalue_line("markers", "aurion_scenario(scenario): run the test's aurion-mock session under this scenario file or name")


class MockSession:
    """One session of a mock: give the client base_url (or the mock's URL and headers)."""

    def __init__(self, mock, session_id):
        self.mock = mock
        self.id = session_id
        self.base_url = "%s/s/%s" % (mock.url, session_id)
        self.headers = {"X-Mock-Session": session_id}

    def _admin(self, method, path, **kwargs):
        res = requests.request(method, "%s/__mock/%s" % (self.mock.url, path), params={"session": self.id},
                               headers=self.mock.admin_headers(kwargs.pop("headers", {})), timeout=10, **kwargs)
        if not res.ok:
            raise RuntimeError("aurion-mock answered %d to %s /__mock/%s: %s" % (res.status_code, method, path, res.text))
        return res

    def report(self):
        """The retry report as JSON; report()["summary"]["ok"] is the verdict."""
        return self._admin("GET", "report").json()

    def report_text(self):
        """The retry report as `aurion-mock verify` prints it."""
        return self._admin("GET", "report.txt").text

    def journal(self):
        return self._admin("GET", "journal").json()["entries"]

    def deliveries(self):
        """The webhook delivery attempts the mock made in this session, oldest first."""
        return self._admin("GET", "deliveries").json()["deliveries"]

    def reset(self):
        self._admin("POST", "reset")

    def use_scenario(self, scenario, base_dir="."):
        """Runs this session under a scenario: a YAML file (posted) or a loaded or bundled name."""
        path = os.path.join(base_dir, scenario)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                self._admin("POST", "scenarios/activate", data=f.read(), headers={"Content-Type": "application/yaml"})
        else:
            self._admin("POST", "scenarios/activate", json={"name": scenario})

    def assert_policy(self):
        """Fails the test with the report's text unless the client met its retry policy."""
        if not self.report()["summary"]["ok"]:
            pytest.fail(self.report_text(), pytrace=False)


class AurionMock:
    """A running aurion-mock: its URL, and the process when this plugin started it."""

    def __init__(self, url, process=None, output=None):
        self.url = url.rstrip("/")
        self.process = process
        self.output = output if output is not None else []

    def admin_headers(self, extra):
        token = os.environ.get("AURION_MOCK_ADMIN_TOKEN")
        return dict(extra, **({"Authorization": "Bearer " + token} if token else {}))

    def session(self, session_id):
        return MockSession(self, session_id)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # Its own process group: npx runs the server through `sh -c`, which passes no SIGTERM on.
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(wait)
                return
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                continue


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_mock(command, scenarios=(), cwd=None):
    """Starts aurion-mock with `command` and waits until its health check answers."""
    port = _free_port()
    args = shlex.split(command)
    if any("{port}" in a for a in args):
        args = [a.replace("{port}", str(port)) for a in args]
    else:
        args += ["--port", str(port), "--log-level", "warn"]
    for scenario in scenarios:
        args += ["--scenario", scenario]
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    mock = AurionMock("http://127.0.0.1:%d" % port, process)
    # Drained all along, so a full pipe never blocks the server; kept for the error message.
    threading.Thread(target=lambda: mock.output.extend(process.stdout), daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(mock.url + "/__mock/health", timeout=1).ok:
                return mock
        except requests.RequestException:
            pass
        time.sleep(0.1)
    mock.stop()
    raise RuntimeError("aurion-mock did not start with %r:\n%s" % (args, "".join(mock.output)))


def session_name(nodeid):
    """`<test name>@<pid>.<n>`: the test made id-safe and cut to 80 characters, this process, a counter."""
    title = nodeid.split("::", 1)[-1]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-.")[:80] or "test"
    return "%s@%d.%d" % (slug, os.getpid(), next(_opened))


@pytest.fixture(scope="session")
def aurion_mock(request):
    config = request.config
    url = config.getoption("aurion_mock_url") or os.environ.get("AURION_MOCK_URL")
    if url:
        yield AurionMock(url)
        return
    command = (config.getoption("aurion_mock_command") or os.environ.get("AURION_MOCK_CMD")
               or config.getini("aurion_mock_command") or DEFAULT_COMMAND)
    mock = start_mock(command, config.getini("aurion_mock_scenarios"), cwd=str(config.rootpath))
    try:
        yield mock
    finally:
        mock.stop()


@pytest.fixture
def aurion_session(request, aurion_mock):
    session = aurion_mock.session(session_name(request.node.nodeid))
    session.reset()
    marker = request.node.get_closest_marker("aurion_scenario")
    if marker is not None:
        session.use_scenario(marker.args[0], base_dir=str(request.node.path.parent))
    request.node.stash[SESSION_KEY] = session
    return session


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when != "call" or item.get_closest_marker("aurion_policy") is None:
        return
    session = item.stash.get(SESSION_KEY, None)
    if session is None:
        if rep.passed:
            rep.outcome, rep.longrepr = "failed", "@pytest.mark.aurion_policy needs the aurion_session fixture"
        return
    if session.report()["summary"]["ok"]:
        return
    text = session.report_text()
    if rep.passed:
        rep.outcome, rep.longrepr = "failed", text
    else:
        rep.sections.append(("aurion-mock retry report", text))
