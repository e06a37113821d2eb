import pytest

from errorcatalog.http_statuses import HTTP_STATUSES
from errorcatalog.models import HttpStatus

pytestmark = pytest.mark.django_db


def test_migrate_ships_every_http_status():
    assert HttpStatus.objects.count() == len(HTTP_STATUSES) == 62
    assert HttpStatus.objects.filter(code__in=[100, 200, 418, 429, 451, 511]).count() == 6


def test_reason_phrases_are_frozen_not_read_from_the_interpreter():
    # Python 3.13 renamed these; the catalog keeps the phrases it shipped with.
    assert HttpStatus.objects.get(code=413).reason == "Request Entity Too Large"
    assert HttpStatus.objects.get(code=422).reason == "Unprocessable Entity"
    assert HttpStatus.objects.get(code=404).description == "Nothing matches the given URI"


def test_models_and_migrations_agree():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
