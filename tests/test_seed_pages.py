"""Seed fidelity (trust issue, item 16): each seed page's rows, as the catalog returns them.

``tests/seed_pages/rows.json`` holds the rows of the five seed pages
(codes, statuses, titles, causes), transcribed as data; each test compares
them with what the catalog REST API returns for that catalog.
"""

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROWS = json.loads((Path(__file__).parent / "seed_pages" / "rows.json").read_text())


def catalog_codes(client, slug):
    body = client.get(f"/api/catalogs/{slug}/codes/", {"page_size": 500}).json()
    return {code["code"]: code for code in body["results"]}


def causes_as_the_page_writes_them(code):
    return " ".join(
        " ".join(part for part in (cause["text"].rstrip(".") + ".", cause["remedy"]) if part)
        for cause in code["causes"]
    )


def test_usezombie_rows(client):
    codes = catalog_codes(client, "usezombie")
    assert len(ROWS["usezombie"]) >= 99
    for code, status, title, causes in ROWS["usezombie"]:
        found = codes[code]
        assert (found["status"]["code"], found["title"]) == (status, title), code
        assert causes_as_the_page_writes_them(found).rstrip(".") == causes.rstrip("."), code


def test_zen_mesh_rows_and_type_uris(client):
    codes = catalog_codes(client, "zen-mesh")
    for suffix, title, status in ROWS["zen-mesh"]:
        assert (codes[suffix]["title"], codes[suffix]["status"]["code"]) == (title, status), suffix
    catalog = client.get("/api/catalogs/zen-mesh/").json()
    assert catalog["type_base_url"] == "https://docs.zen-mesh.io/errors/"


def test_oz_rows(client):
    codes = {code["numeric_code"]: code for code in catalog_codes(client, "oz").values()}
    assert sorted(codes) == list(range(13))
    for number, name, _description in ROWS["oz"]:
        assert codes[number]["code"] == name.replace(" ", "_"), number


def test_management_api_rows(client):
    codes = catalog_codes(client, "management-api")
    for code, status in ROWS["management-api"]:
        assert codes[code]["status"]["code"] == status, code


def test_zof_rows(client):
    codes = catalog_codes(client, "zof")
    statuses = {code["status"]["code"] for code in codes.values()}
    assert set(ROWS["zof"]["statuses"]) <= statuses
    code, status = ROWS["zof"]["example_code"]
    assert codes[code]["status"]["code"] == status
