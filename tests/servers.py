"""The project in real server processes, for the multi-process and outage tests.

pytest-django's test database lives inside the test process (in memory for
SQLite, in a transaction for PostgreSQL), invisible to other processes; these
helpers give each server its own database (a SQLite file, or a fresh
PostgreSQL database when ``DATABASE_URL`` names one), set up the way
``make run`` does it, and run gunicorn on it.
"""

import os
import re
import secrets
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from .conftest import SEED_FIXTURES

ROOT = Path(__file__).resolve().parent.parent
ADMIN_USER, ADMIN_PASSWORD = "server-admin", secrets.token_urlsafe(12)


def free_port():
    """A port nothing listens on (closed again at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_url():
    """The ``DATABASE_URL`` of this test run when it is PostgreSQL, else ``None``."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_netloc(url, *, database=None, port=None):
    parts = urlsplit(url)
    netloc = parts.netloc
    if port is not None:
        netloc = f"{netloc.rsplit('@', 1)[0]}@127.0.0.1:{port}" if "@" in netloc else f"127.0.0.1:{port}"
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit((parts.scheme, netloc, path, parts.query, parts.fragment))


class ServerDatabase:
    """A database of the servers' own: a SQLite file, or a PostgreSQL database made for them."""

    def __init__(self, directory):
        self.directory = Path(directory)
        base = postgres_url()
        self.postgres_name = f"errorcatalog_server_{secrets.token_hex(4)}" if base else None
        if base:
            self._admin_sql(f'CREATE DATABASE "{self.postgres_name}"')
            self.url = with_netloc(base, database=self.postgres_name)
        else:
            self.url = f"sqlite:///{self.directory / 'db.sqlite3'}"
        self.env = server_env(self.url, self.directory)
        manage("migrate", "--noinput", env=self.env)
        manage("loaddata", *SEED_FIXTURES, env=self.env)
        output = manage(
            "demo_setup",
            env={
                **self.env,
                "ERRORCATALOG_ADMIN_USER": ADMIN_USER,
                "ERRORCATALOG_ADMIN_PASSWORD": ADMIN_PASSWORD,
            },
        )
        self.token = re.search(r"Demo API token: (\w+)", output).group(1)

    def drop(self):
        if self.postgres_name:
            self._admin_sql(f'DROP DATABASE IF EXISTS "{self.postgres_name}" WITH (FORCE)')

    @staticmethod
    def _admin_sql(statement):
        import psycopg

        with psycopg.connect(postgres_url(), autocommit=True) as connection:
            connection.execute(statement)


def server_env(database_url, directory, *, redis_url=None):
    """The environment of a server process: its database, and a cache of its own."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings", "DATABASE_URL": database_url}
    env.pop("DEBUG", None)
    env["CACHE_KEY_PREFIX"] = f"errorcatalog-server-{secrets.token_hex(4)}"
    env["ERRORCATALOG_COPY_PATH"] = str(Path(directory) / "catalog-copy.json")
    redis_url = redis_url or os.environ.get("REDIS_URL")
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
        env["CACHE_DIR"] = str(Path(directory) / "cache")
    return env


def manage(*args, env):
    run = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, f"manage.py {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}"
    return run.stdout


class Gunicorn:
    """``gunicorn`` serving the project (each response names its worker in ``X-Served-By``)."""

    def __init__(self, env, log_path, *, workers=2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.server_wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                # No control socket: it lives in the home folder, shared by every gunicorn.
                "--graceful-timeout",
                "2",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()

    def _wait_until_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log()}"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not listen within {timeout}s:\n{self.log()}")

    def log(self):
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with ``form_id``."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The browser drops the newline that follows <textarea>.
            name, text = self._textarea
            self.fields.append((name, text.removeprefix("\n")))
            self._textarea = None


def form_fields(html, form_id):
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def admin_session(url, username=ADMIN_USER, password=ADMIN_PASSWORD):
    """A ``requests`` session logged into the admin through its login form."""
    session = requests.Session()
    page = session.get(f"{url}/admin/login/", timeout=10)
    fields = dict(form_fields(page.text, "login-form"))
    fields.update(username=username, password=password)
    response = session.post(f"{url}/admin/login/?next=/admin/", data=fields, timeout=10)
    assert response.url == f"{url}/admin/", response.text[:2000]
    return session


def change_page(session, url, code):
    """The path of ``code``'s admin change page, found through the admin's search."""
    listing = session.get(f"{url}/admin/errorcatalog/errorcode/", params={"q": code}, timeout=10)
    link = re.search(rf'href="(/admin/errorcatalog/errorcode/\d+/change/)[^"]*">{re.escape(code)}<', listing.text)
    return link.group(1)


class TcpProxy:
    """Forwards a local port to ``target``; ``cut()`` drops every connection and stops listening.

    Stands between a server and its database so the test can take the
    database away from the server without touching the shared one.
    """

    def __init__(self, target):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._sockets, self._stopped = [], threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a, b):
        selector = selectors.DefaultSelector()
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        try:
            while not self._stopped.is_set():
                for key, _ in selector.select(timeout=0.2):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()

    def cut(self):
        self._stopped.set()
        self.listener.close()
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


class RedisServer:
    """A redis-server of the test's own on a free port, which the test can stop (SIGSTOP)."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def freeze(self):
        """Keep accepting connections (the kernel does) but answer nothing."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        self.thaw()
        self.process.terminate()
        self.process.wait(timeout=10)
