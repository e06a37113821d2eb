"""Ship every HTTP status, so `migrate` alone gives a usable catalog."""

from django.db import migrations

from errorcatalog.http_statuses import HTTP_STATUSES


def add_statuses(apps, schema_editor):
    HttpStatus = apps.get_model("errorcatalog", "HttpStatus")
    db = schema_editor.connection.alias
    existing = set(HttpStatus.objects.using(db).values_list("code", flat=True))
    HttpStatus.objects.using(db).bulk_create(
        HttpStatus(code=code, reason=reason, description=description)
        for code, reason, description in HTTP_STATUSES
        if code not in existing
    )


def remove_statuses(apps, schema_editor):
    HttpStatus = apps.get_model("errorcatalog", "HttpStatus")
    HttpStatus.objects.using(schema_editor.connection.alias).filter(
        code__in=[code for code, _reason, _description in HTTP_STATUSES], error_codes__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("errorcatalog", "0001_initial")]

    operations = [migrations.RunPython(add_statuses, remove_statuses)]
