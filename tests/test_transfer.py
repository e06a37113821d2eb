"""export / import / check commands and the export document."""

import csv
import io
import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from errorcatalog.models import Catalog, Cause, ErrorCode, ErrorFamily, ExceptionMapping
from errorcatalog.transfer import export_catalog

pytestmark = pytest.mark.django_db

SEEDS = ["usezombie", "zof", "management-api", "zen-mesh", "oz"]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("errorcatalog", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot_of(slug):
    document = export_catalog(Catalog.objects.get(slug=slug))
    return json.loads(json.dumps(document))


@pytest.mark.parametrize("slug", SEEDS)
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_then_import_into_an_empty_database_reproduces_the_catalog(slug, fmt, tmp_path):
    before = snapshot_of(slug)
    path = tmp_path / f"{slug}.{fmt}"
    run("export", slug, "--format", fmt, "-o", str(path))
    for model in (ExceptionMapping, Cause, ErrorCode, ErrorFamily, Catalog):
        model.objects.all().delete()
    out, _ = run("import", str(path))
    assert f"codes: {len(before['codes'])} created, 0 updated, 0 unchanged" in out
    assert snapshot_of(slug) == before


def test_import_is_idempotent(tmp_path):
    path = tmp_path / "oz.json"
    run("export", "oz", "-o", str(path))
    out, _ = run("import", str(path))
    assert "codes: 0 created, 0 updated, 13 unchanged" in out
    assert "mappings: 0 created, 0 updated, 16 unchanged" in out


def test_import_updates_changed_rows(tmp_path):
    path = tmp_path / "oz.json"
    run("export", "oz", "-o", str(path))
    document = json.loads(path.read_text())
    document["codes"][0]["title"] = "Changed title"
    document["codes"][0]["causes"].append({"text": "A new cause", "remedy": "Fix it."})
    path.write_text(json.dumps(document))
    out, _ = run("import", str(path))
    assert "codes: 0 created, 1 updated, 12 unchanged" in out
    assert "causes: 1 created" in out
    code = ErrorCode.objects.get(catalog__slug="oz", code=document["codes"][0]["code"])
    assert code.title == "Changed title"
    assert code.causes.filter(text="A new cause", remedy="Fix it.").exists()


def test_dry_run_changes_nothing(tmp_path):
    path = tmp_path / "oz.json"
    run("export", "oz", "-o", str(path))
    document = json.loads(path.read_text())
    document["codes"][0]["title"] = "Changed title"
    path.write_text(json.dumps(document))
    out, _ = run("import", str(path), "--dry-run")
    assert "1 updated" in out and "Dry run" in out
    assert not ErrorCode.objects.filter(title="Changed title").exists()


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["codes"][2].update(status=302),
            "codes[2] (AUTH_INVALID): status: An error code has a 4xx or 5xx status.",
        ),
        (lambda d: d["codes"][2].update(status=999), "codes[2] (AUTH_INVALID): status: 999 is not an HTTP status"),
        (lambda d: d["codes"][1].pop("title"), "codes[1] (AUTH_FORBIDDEN): 'title' is missing"),
        (lambda d: d["codes"][1].update(numeric_code=None), "codes[1] (AUTH_FORBIDDEN): numeric_code"),
        (lambda d: d["codes"][1].update(family="nope"), "codes[1] (AUTH_FORBIDDEN): family: no family 'nope'"),
        (lambda d: d["codes"][1].update(code="bad code!"), "codes[1] (bad code!): code"),
        (lambda d: d["mappings"][0].update(exception_class="no.such.Error"), "mappings[0]: exception_class"),
        (lambda d: d.update(errorcatalog=99), "not an errorcatalog document"),
    ],
)
def test_bad_file_names_row_and_field_and_changes_nothing(tmp_path, change, message):
    path = tmp_path / "oz.json"
    run("export", "oz", "-o", str(path))
    document = json.loads(path.read_text())
    document["codes"][0]["title"] = "Would change"
    change(document)
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError) as info:
        run("import", str(path))
    assert message in str(info.value)
    assert "Nothing was changed" in str(info.value)
    assert not ErrorCode.objects.filter(title="Would change").exists()


def test_unreadable_files(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import", str(tmp_path / "missing.json"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [unclosed")
    with pytest.raises(CommandError, match="not valid JSON or YAML"):
        run("import", str(bad))


def test_markdown_export_has_the_seed_tables():
    out, _ = run("export", "usezombie", "--format", "markdown")
    assert "## Authentication / authorization" in out
    assert "| Code | HTTP | Title | Common Causes |" in out
    assert "| `UZ-AUTH-003` | 401 | Token expired | JWT has passed its expiry time. Re-authenticate. |" in out


def test_csv_export():
    out, _ = run("export", "oz", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 13
    assert {r["code"]: r["numeric_code"] for r in rows}["NOT_EXIST"] == "10"


def test_export_unknown_catalog():
    with pytest.raises(CommandError, match="No catalog 'nope'"):
        run("export", "nope")


def test_yaml_export_is_yaml():
    out, _ = run("export", "zof", "--format", "yaml")
    assert yaml.safe_load(out)["catalog"]["slug"] == "zof"


def test_check_passes_on_the_shipped_catalogs():
    out, err = run("check")
    assert "0 error(s)" in out
    assert err == ""


def test_check_reports_errors_and_exits_non_zero():
    code = ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN")
    ExceptionMapping.objects.bulk_create(
        [ExceptionMapping(catalog=code.catalog, error_code=code, exception_class="gone.Error")]
    )
    ErrorCode.objects.filter(pk=code.pk).update(numeric_code=None)
    with pytest.raises(CommandError) as info:
        run("check", "oz")
    assert info.value.returncode == 1


def test_check_warnings_do_not_fail():
    ErrorCode.objects.filter(catalog__slug="zof", code="conflict").update(title="Forbidden")
    out, _ = run("check", "zof")
    assert "codes share a title: conflict, forbidden" in out


def test_check_source_finds_mistyped_codes(tmp_path):
    (tmp_path / "views.py").write_text(
        "from errorcatalog import CatalogError\n"
        "def view():\n"
        "    raise CatalogError('UZ-AUTH-003')\n"
        "def other():\n"
        "    raise CatalogError('UZ-AUHT-003', detail='typo')\n"
        "def third():\n"
        "    raise CatalogError('NOT_EXIST', catalog='zof')\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("errorcatalog", "check", "--source", str(tmp_path), stdout=io.StringIO(), stderr=err)
    reported = [line for line in err.getvalue().splitlines() if "views.py" in line]
    assert len(reported) == 2
    assert any("views.py:5" in line and "UZ-AUHT-003" in line for line in reported)
    assert any("views.py:7" in line and "NOT_EXIST" in line for line in reported)


def test_demo_project_raises_only_known_codes():
    out, _ = run("check", "--source", "project")
    assert "0 error(s)" in out


BILLION_LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
        f"*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]"
        for n in range(8)
    ]
    + ["errorcatalog: 1", "catalog: *i"]
)


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_yaml_aliases_are_refused_before_they_expand(tmp_path, dry_run):
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS)
    assert path.stat().st_size < 1024
    with pytest.raises(CommandError, match="aliases .* are not allowed.*Nothing was changed"):
        run("import", str(path), *dry_run)


def test_files_over_the_size_bound_are_refused_unread(tmp_path, errorcatalog_settings):
    errorcatalog_settings(IMPORT_MAX_BYTES=1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(snapshot_of("oz")))
    with pytest.raises(CommandError, match="larger than 1000 bytes"):
        run("import", str(path))


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
        ("errorcatalog: 1\ncatalog: {slug: " + "9" * 5000 + "}", "not valid JSON or YAML"),
        (b"\xff\xfe".decode("latin-1"), "not UTF-8"),
    ],
)
def test_unparseable_files_get_a_clear_error(tmp_path, text, message):
    path = tmp_path / "odd.yaml"
    path.write_bytes(text.encode("latin-1") if message == "not UTF-8" else text.encode())
    with pytest.raises(CommandError, match=message):
        run("import", str(path))


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["codes"][1].update(title=["a", "list"]),
            "codes[1] (AUTH_FORBIDDEN): title: expected a string, got a list",
        ),
        (lambda d: d["codes"][1].update(title={"nested": "object"}), "title: expected a string, got an object"),
        (lambda d: d["codes"][1].update(title=None), "title: expected a string, got null"),
        (
            lambda d: d["codes"][1].update(retry_after=float("inf")),
            "retry_after: expected an integer or null, got the number inf",
        ),
        (
            lambda d: d["codes"][1].update(numeric_code=2.5),
            "numeric_code: expected an integer or null, got a decimal number",
        ),
        (lambda d: d["codes"][1].update(status="401"), "status: expected an integer, got a string"),
        (lambda d: d["codes"][1].update(status=True), "status: expected an integer, got a boolean"),
        (lambda d: d["codes"][1].update(retryable="yes"), "retryable: expected true or false, got a string"),
        (lambda d: d["codes"][1].update(causes={"text": "x"}), "causes: expected a list, got an object"),
        (lambda d: d["codes"][1]["causes"].append({"text": ["x"]}), "causes[1]: text: expected a string, got a list"),
        (lambda d: d["codes"][1].update(replaced_by=7), "replaced_by: expected a string or null, got an integer"),
        (
            lambda d: d["families"][0].update(position=1e300),
            "families[0]: position: expected an integer, got a decimal number",
        ),
        (lambda d: d["families"][0].update(position=10**30), "families[0] (api): position"),
        (lambda d: d["catalog"].update(name=[]), "catalog: name: expected a string, got a list"),
        (lambda d: d["mappings"][0].update(drf_code=None), "mappings[0]: drf_code: expected a string, got null"),
    ],
)
def test_wrong_types_name_the_row_and_field_and_write_nothing(tmp_path, change, message):
    document = snapshot_of("oz")
    document["codes"][0]["title"] = "Would change"
    change(document)
    path = tmp_path / "oz.yaml"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(CommandError) as info:
        run("import", str(path))
    assert message in str(info.value)
    assert not ErrorCode.objects.filter(title="Would change").exists()


HOSTILE = '=HYPERLINK("https://evil.example","x") <img src=x onerror=alert(1)> [link](javascript:alert(1)) | *em*'


@pytest.fixture
def hostile_code():
    code = ErrorCode.objects.get(catalog__slug="oz", code="UNKNOWN")
    code.title = HOSTILE
    code.save()
    Cause.objects.create(error_code=code, text="-2+3", remedy="@SUM(A1)", position=9)
    Cause.objects.create(error_code=code, text="\tcmd", position=10)
    return code


def test_csv_cells_never_start_a_formula(hostile_code):
    out, _ = run("export", "oz", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    unknown = next(row for row in rows if row[0] == "UNKNOWN")
    assert unknown[4] == "'" + HOSTILE


def test_markdown_export_escapes_catalog_text(hostile_code):
    out, _ = run("export", "oz", "--format", "markdown")
    row = next(line for line in out.splitlines() if line.startswith("| `UNKNOWN`"))
    assert "<img" not in row and "](" not in row and "*em*" not in row
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in row
    # The cell boundaries are the table's own: four cells, whatever the text.
    assert len(row.replace("\\|", "").split("|")) == 6


def test_check_reports_a_catalog_format_that_does_not_load():
    Catalog.objects.filter(slug="oz").update(format="gone")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("errorcatalog", "check", "oz", stdout=io.StringIO(), stderr=err)
    assert "format: Unknown format 'gone'" in err.getvalue()


def test_check_source_finds_codes_declared_on_subclasses(tmp_path):
    (tmp_path / "errors.py").write_text(
        "from errorcatalog import CatalogError\n"
        "class Known(CatalogError):\n"
        "    code = 'UZ-AUTH-003'\n"
        "class Typo(CatalogError):\n"
        "    code = 'UZ-AUHT-004'\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("errorcatalog", "check", "--source", str(tmp_path), stdout=io.StringIO(), stderr=err)
    reported = [line for line in err.getvalue().splitlines() if "errors.py" in line]
    assert len(reported) == 1 and "errors.py:5" in reported[0] and "UZ-AUHT-004" in reported[0]
