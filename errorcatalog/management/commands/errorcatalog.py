"""``manage.py errorcatalog export|import|check``: keep a catalog in git, lint it in CI."""

import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from ...lint import lint
from ...models import Catalog
from ...transfer import (
    CatalogDocumentError,
    export_catalog,
    export_csv,
    export_markdown,
    import_document,
    load_document,
)


class Command(BaseCommand):
    help = "Export, import or check error catalogs."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write a catalog as json, yaml, markdown or csv.")
        export.add_argument("slug")
        export.add_argument("--format", choices=["json", "yaml", "markdown", "csv"], default="json")
        export.add_argument("-o", "--output", help="File to write (default: standard output).")
        imp = actions.add_parser("import", help="Create or update a catalog from a json or yaml export.")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="Validate and count, change nothing.")
        check = actions.add_parser("check", help="Lint catalogs; exit 1 on errors (warnings do not fail).")
        check.add_argument("slug", nargs="?")
        check.add_argument("--source", help="Also find CatalogError codes under this folder that no catalog has.")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_export(self, slug, format, output, **options):
        try:
            catalog = Catalog.objects.get(slug=slug)
        except Catalog.DoesNotExist:
            raise CommandError(f"No catalog {slug!r}.") from None
        document = export_catalog(catalog)
        if format == "json":
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        elif format == "yaml":
            text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        elif format == "markdown":
            text = export_markdown(document)
        else:
            text = export_csv(document)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def handle_import(self, file, dry_run, **options):
        try:
            document = load_document(file)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        except CatalogDocumentError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was changed.") from None
        try:
            result = import_document(document, dry_run=dry_run)
        except CatalogDocumentError as exc:
            raise CommandError(f"{file}: {str(exc).rstrip('.')}. Nothing was changed.") from None
        for kind, counts in result.counts.items():
            self.stdout.write(
                f"{kind}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")

    def handle_check(self, slug, source, **options):
        findings = lint(slug, source)
        for finding in findings:
            (self.stderr if finding.level == "error" else self.stdout).write(str(finding))
        errors = sum(finding.level == "error" for finding in findings)
        warnings = len(findings) - errors
        self.stdout.write(f"{errors} error(s), {warnings} warning(s).")
        if errors:
            raise CommandError("The catalog has errors.", returncode=1)
