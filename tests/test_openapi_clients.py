"""The OpenAPI document passes third-party linters and generates a working client
(trust issue, item 14).

Redocly CLI (``recommended``) and Spectral (``spectral:oas``) are pinned in
``package.json`` with its lockfile; the suite installs them itself
(``npm ci``) and skips with a message only when the npm registry cannot be
reached. ``openapi-python-client`` (pinned in requirements.txt) generates a
client whose modules must all import.
"""

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
OFFLINE_MARKERS = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ENETUNREACH", "network")


@pytest.fixture(scope="session")
def npm_linters():
    """``node_modules`` with the pinned linters, installed once by ``npm ci``."""
    if (ROOT / "node_modules" / ".bin" / "redocly").exists() and (ROOT / "node_modules" / ".bin" / "spectral").exists():
        return ROOT / "node_modules" / ".bin"
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed for the OpenAPI linters (Node.js and npm, see README)")
    run = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        if any(marker in run.stderr for marker in OFFLINE_MARKERS):
            pytest.skip(
                f"the npm registry cannot be reached, so the OpenAPI linters cannot be installed:\n{run.stderr[-500:]}"
            )
        pytest.fail(f"npm ci failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return ROOT / "node_modules" / ".bin"


@pytest.fixture
def document(client, tmp_path):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    path = tmp_path / "openapi.json"
    path.write_bytes(response.content)
    return path


def run_linter(command, cwd=ROOT):
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_redocly_recommended_finds_no_error(npm_linters, document):
    run = run_linter(
        [
            str(npm_linters / "redocly"),
            "lint",
            str(document),
            "--config",
            str(ROOT / "redocly.yaml"),
            "--format",
            "json",
        ]
    )
    report = json.loads(run.stdout)
    errors = [problem for problem in report["problems"] if problem["severity"] == "error"]
    assert errors == [], json.dumps(errors[:5], indent=1)


def test_spectral_oas_finds_no_error(npm_linters, document):
    run = run_linter(
        [
            str(npm_linters / "spectral"),
            "lint",
            str(document),
            "--ruleset",
            str(ROOT / ".spectral.yaml"),
            "--format",
            "json",
            "--quiet",
        ]
    )
    report = json.loads(run.stdout or "[]")
    errors = [problem for problem in report if problem["severity"] == 0]
    assert errors == [], json.dumps(errors[:5], indent=1)


def test_openapi_python_client_generates_modules_that_all_import(document, tmp_path, monkeypatch):
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {"post_hooks": [], "project_name_override": "catalog_client", "package_name_override": "catalog_client"}
        )
    )
    generator = Path(sys.executable).parent / "openapi-python-client"
    run = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(tmp_path / "out"),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    package = tmp_path / "out"
    (tmp_path / "pkg").mkdir()
    package.rename(tmp_path / "pkg" / "catalog_client")
    monkeypatch.syspath_prepend(str(tmp_path / "pkg"))
    modules = sorted(
        ".".join(path.relative_to(tmp_path / "pkg").with_suffix("").parts)
        for path in (tmp_path / "pkg" / "catalog_client").rglob("*.py")
    )
    assert any(".api.demo." in name for name in modules) and any(".models." in name for name in modules)
    for name in modules:
        importlib.import_module(name.removesuffix(".__init__"))
    models = importlib.import_module("catalog_client.models")
    # COMPONENT_SPLIT_REQUEST: a client builds an item without its read-only fields.
    request_model = models.ItemRequest(name="bolt", quantity=1, environment=models.EnvironmentEnum.STAGING)
    assert request_model.to_dict() == {"name": "bolt", "quantity": 1, "environment": "staging"}
