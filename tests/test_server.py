"""The project under gunicorn with two workers, and through database and Redis outages.

Each server gets a database of its own (a SQLite file, or a fresh PostgreSQL
database when ``DATABASE_URL`` is PostgreSQL) and the run's cache (Redis when
``REDIS_URL`` is set, else a cache folder of its own). CI runs these in its
PostgreSQL + Redis leg.
"""

import shutil
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from errorcatalog.conf import DEFAULTS

from .servers import (
    Gunicorn,
    RedisServer,
    ServerDatabase,
    TcpProxy,
    admin_session,
    change_page,
    form_fields,
    free_port,
    postgres_url,
    server_env,
    with_netloc,
)

pytestmark = pytest.mark.server

INTERVAL = DEFAULTS["SNAPSHOT_CHECK_INTERVAL"]
# Time for a request that started just before the stamp check to finish.
SLACK = 0.5


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    database = ServerDatabase(tmp_path_factory.mktemp("server"))
    yield database
    database.drop()


@pytest.fixture(scope="module")
def site(database, tmp_path_factory):
    server = Gunicorn(database.env, tmp_path_factory.mktemp("logs") / "gunicorn.log", workers=2)
    yield server
    server.stop()


def unauthorized(url):
    """A UseZombie 401 (UZ-AUTH-002): its title is the catalog's."""
    started = time.monotonic()
    response = requests.post(f"{url}/demo/usezombie/items/", json={}, timeout=10)
    assert response.status_code == 401, response.text
    return started, response.headers["X-Served-By"], response.json()["title"]


def hammer(url, seconds, threads=4):
    """Concurrent requests for ``seconds``, so both workers answer: (start, pid, title) each."""
    results, deadline = [], time.monotonic() + seconds

    def loop():
        while time.monotonic() < deadline:
            results.append(unauthorized(url))

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(loop) for _ in range(threads)]:
            future.result()
    return results


def change_code_title(session, url, code, title):
    """Edit ``code``'s title through its admin change form, as a person would."""
    path = change_page(session, url, code)
    page = session.get(f"{url}{path}", timeout=10)
    fields = [(name, value) for name, value in form_fields(page.text, "errorcode_form") if name != "title"]
    response = session.post(f"{url}{path}", data=[*fields, ("title", title), ("_save", "Save")], timeout=10)
    assert "was changed successfully" in response.text, response.text[:3000]


def test_an_admin_edit_reaches_every_worker_within_the_check_interval(site):
    before = hammer(site.url, 1.5)
    assert {title for _, _, title in before} == {"Unauthorized"}
    workers = {pid for _, pid, _ in before}
    assert len(workers) == 2, f"both workers should answer: {Counter(pid for _, pid, _ in before)}"

    new_title = f"Unauthorized ({uuid.uuid4().hex[:6]})"
    change_code_title(admin_session(site.url), site.url, "UZ-AUTH-002", new_title)
    saved = time.monotonic()

    after = hammer(site.url, INTERVAL + 2)
    late_and_stale = [
        (round(start - saved, 2), pid)
        for start, pid, title in after
        if title != new_title and start > saved + INTERVAL + SLACK
    ]
    assert late_and_stale == []
    assert {pid for _, pid, title in after if title == new_title} == workers


def cause_texts(url, slug, code):
    return [
        cause["text"] for cause in requests.get(f"{url}/api/catalogs/{slug}/codes/{code}/", timeout=10).json()["causes"]
    ]


def save_in_parallel(url, code, texts):
    """Two admins open ``code``'s change page, then both add a cause and save at once."""
    sessions = [admin_session(url) for _ in texts]
    path = change_page(sessions[0], url, code)
    forms = [dict(form_fields(session.get(f"{url}{path}", timeout=10).text, "errorcode_form")) for session in sessions]
    barrier = threading.Barrier(len(texts))

    def save(session, fields, text):
        index = int(fields["causes-TOTAL_FORMS"])
        fields = {
            **fields,
            "causes-TOTAL_FORMS": str(index + 1),
            f"causes-{index}-text": text,
            f"causes-{index}-position": str(index + 1),
            "_save": "Save",
        }
        barrier.wait()
        return session.post(f"{url}{path}", data=fields, timeout=30)

    with ThreadPoolExecutor(len(texts)) as pool:
        return list(pool.map(save, sessions, forms, texts))


def test_parallel_admin_saves_keep_both_new_causes(site):
    responses = save_in_parallel(
        site.url, "UZ-AUTH-004", ["Token minted by another tenant", "Clock skew on the client"]
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert {"Token minted by another tenant", "Clock skew on the client"} <= set(
        cause_texts(site.url, "usezombie", "UZ-AUTH-004")
    )


def test_parallel_admin_saves_of_the_same_cause_keep_one_and_tell_the_other(site):
    responses = save_in_parallel(site.url, "UZ-AUTH-005", ["Revoked in the console"] * 2)
    outcomes = sorted(
        "saved"
        if "was changed successfully" in r.text
        else "refused"
        if "This code already lists this cause." in r.text or "nothing of yours was saved" in r.text
        else f"unexpected {r.status_code}"
        for r in responses
    )
    assert outcomes == ["refused", "saved"]
    assert cause_texts(site.url, "usezombie", "UZ-AUTH-005").count("Revoked in the console") == 1


BURST = [
    # (method, path, expected status, where the body keeps its code)
    ("GET", "/demo/zof/no/such/", 404, lambda body: body["error"]["code"]),
    ("POST", "/demo/usezombie/items/", 401, lambda body: body["error_code"]),
    ("GET", "/demo/oz/items/999999/", 404, lambda body: body["error_code"]),
    ("DELETE", "/demo/zen-mesh/boom/", 405, lambda body: body["error_code"]),
    ("GET", "/api/catalogs/no-such-catalog/", 404, lambda body: body["error_code"]),
    ("GET", "/demo/management-api/boom/", 500, lambda body: body["error"]["code"]),
]


def test_a_burst_of_errors_gets_an_answer_for_every_request(site):
    def one(index):
        method, path, status, code_of = BURST[index % len(BURST)]
        response = requests.request(method, f"{site.url}{path}", json={}, timeout=30)
        return path, response.status_code == status and code_of(response.json()) is not None, response.headers

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(600)))

    failed = [path for path, ok, _ in results if not ok]
    assert failed == []
    assert len({headers["X-Request-ID"] for _, _, headers in results}) == 600
    assert len({headers["X-Served-By"] for _, _, headers in results}) == 2
    # Unexpected errors were logged with their traceback; none reached a client.
    assert "Traceback" in site.log()


# --- outages -----------------------------------------------------------------


def test_cold_start_without_a_database_answers_503_from_the_bundled_catalog(tmp_path):
    closed = f"postgres://postgres@127.0.0.1:{free_port()}/nowhere"
    server = Gunicorn(server_env(closed, tmp_path), tmp_path / "gunicorn.log", workers=1)
    try:
        response = requests.post(
            f"{server.url}/demo/usezombie/items/", json={}, headers={"Authorization": "Bearer x"}, timeout=30
        )
        not_found = requests.get(f"{server.url}/demo/usezombie/no/such/", timeout=30)
    finally:
        server.stop()
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    assert (response.json()["error_code"], response.json()["title"]) == ("database_unavailable", "Service Unavailable")
    assert response.json()["type"] == "about:blank" and response.json()["docs_uri"].endswith(
        "/errors/generic/database_unavailable/"
    )
    # Errors that need no database still render, from the same bundled catalog.
    assert not_found.status_code == 404 and not_found.json()["status"] == 404
    assert "cannot read the catalog from the database" in server.log()


def test_cold_start_without_a_database_speaks_each_catalogs_language(database, tmp_path):
    """A server that once read the catalog left its last-known-good copy; a
    server starting while the database is down answers from it: Oz keeps its
    flat integer codes, Zof its envelope, the catalog API and docs pages 503."""
    first = tmp_path / "first"
    first.mkdir()
    env = {**database.env, "ERRORCATALOG_COPY_PATH": str(first / "catalog-copy.json")}
    server = Gunicorn(env, tmp_path / "first.log", workers=1)
    try:
        requests.get(f"{server.url}/demo/oz/items/424242/", timeout=30)
        deadline = time.monotonic() + 10
        while not (first / "catalog-copy.json").exists():
            assert time.monotonic() < deadline, "no catalog copy was written"
            time.sleep(0.1)
    finally:
        server.stop()
    closed = f"postgres://postgres@127.0.0.1:{free_port()}/nowhere"
    env = {**server_env(closed, tmp_path), "ERRORCATALOG_COPY_PATH": str(first / "catalog-copy.json")}
    server = Gunicorn(env, tmp_path / "cold.log", workers=1)
    try:
        oz = requests.get(f"{server.url}/demo/oz/items/1/", timeout=30)
        zof = requests.get(f"{server.url}/demo/zof/items/1/", timeout=30)
        api = requests.get(f"{server.url}/api/catalogs/", timeout=30)
        page = requests.get(f"{server.url}/errors/oz/", timeout=30)
    finally:
        server.stop()
    assert (oz.status_code, oz.headers["Content-Type"]) == (503, "application/json")
    assert oz.json()["error_code"] == 12 and set(oz.json()) == {"error_code", "error_message", "details"}
    assert (zof.status_code, zof.headers["Content-Type"]) == (500, "application/json")
    assert zof.json()["error"]["code"] == "internal_error"
    assert (api.status_code, api.headers["Content-Type"]) == (503, "application/problem+json")
    assert page.status_code == 503 and page.headers["Content-Type"].startswith("text/html")
    assert "the last-known-good copy" in server.log()


@pytest.mark.skipif(
    postgres_url() is None, reason="takes PostgreSQL away through a proxy: set DATABASE_URL (CI's PostgreSQL leg)"
)
def test_warm_server_losing_its_database_answers_from_the_catalog_in_hand(database, tmp_path):
    target = urlsplit(database.url)
    proxy = TcpProxy((target.hostname, target.port or 5432))
    env = {**database.env, "DATABASE_URL": with_netloc(database.url, port=proxy.port)}
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=1)
    try:
        warm = requests.get(f"{server.url}/demo/usezombie/no/such/", timeout=10)
        proxy.cut()
        time.sleep(INTERVAL + 0.2)  # past the check interval: the stamp is read again
        down = requests.post(
            f"{server.url}/demo/usezombie/items/",
            json={},
            headers={"Authorization": f"Bearer {database.token}"},
            timeout=30,
        )
        not_found = requests.get(f"{server.url}/demo/usezombie/no/such/", timeout=30)
    finally:
        server.stop()
    assert warm.status_code == not_found.status_code == 404
    assert warm.json()["error_code"] == not_found.json()["error_code"]
    assert down.status_code == 503
    assert down.json()["error_code"] == "UZ-INTERNAL-001"  # the UseZombie code, not the bundled one
    assert down.json()["title"] == "Database unavailable"


def test_redis_outage_keeps_the_app_serving_and_is_logged(database, tmp_path):
    env = server_env(database.url, tmp_path, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=1)
    try:
        listing = requests.get(f"{server.url}/api/catalogs/", timeout=30)
        missing = requests.post(f"{server.url}/demo/usezombie/items/", json={}, timeout=30)
        created = requests.post(
            f"{server.url}/demo/zof/items/",
            json={"name": "a", "quantity": 1, "environment": "staging"},
            headers={"Authorization": f"Bearer {database.token}"},
            timeout=30,
        )
        # No request reads the cache any more: the background version check
        # meets the outage within one interval, and logs it.
        time.sleep(INTERVAL + 1)
    finally:
        server.stop()
    assert listing.status_code == 200 and {c["slug"] for c in listing.json()["results"]} >= {"usezombie", "oz"}
    assert (missing.status_code, missing.json()["error_code"]) == (401, "UZ-AUTH-002")
    assert created.status_code == 201
    # django-redis logged each error it ignored (DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS).
    log = server.log()
    assert "Exception ignored" in log and "redis.exceptions.ConnectionError" in log


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server (Debian's redis-server)")
def test_a_redis_that_stops_answering_slows_no_request(database, tmp_path):
    """Redis accepting connections but not answering (SIGSTOP): the version
    check waits in the background; the API's validators come from the snapshot
    in hand, so every request answers as fast as before. The socket timeout is
    3 s here: a request that waited on the cache would take at least that."""
    redis = RedisServer(tmp_path)
    env = {**server_env(database.url, tmp_path, redis_url=redis.url), "REDIS_SOCKET_TIMEOUT": "3"}
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=1)
    urls = [f"{server.url}/api/catalogs/usezombie/codes/", f"{server.url}/demo/oz/items/424242/"]
    try:
        for url in urls:  # warm: snapshot built, version known
            requests.get(url, timeout=30)
        time.sleep(INTERVAL + 0.5)
        etag = requests.get(urls[0], timeout=30).headers["ETag"]
        session = admin_session(server.url)
        redis.freeze()
        started = time.monotonic()
        change_code_title(session, server.url, "UZ-AUTH-002", "Edited while the cache sleeps")
        admin_edit = time.monotonic() - started
        slowest = 0.0
        deadline = time.monotonic() + 3 * INTERVAL + 1  # several check intervals pass
        while time.monotonic() < deadline:
            for url in urls:
                started = time.monotonic()
                response = requests.get(url, timeout=30)
                slowest = max(slowest, time.monotonic() - started)
                assert response.status_code in (200, 404)
            conditional = requests.get(urls[0], headers={"If-None-Match": etag}, timeout=30)
            assert conditional.status_code == 304
    finally:
        server.stop()
        redis.stop()
    assert slowest < 1.5, f"a request waited {slowest:.2f}s on the stopped cache"
    # Four requests (search, change page, save, redirect); the save bumps the
    # version stamp, waiting at most BUMP_WAIT on the cache.
    assert admin_edit < 2.5, f"the admin edit took {admin_edit:.2f}s with the cache stopped"
