"""Set the demo up: its catalogs (only those absent), an admin login and an API token."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from rest_framework.authtoken.models import Token

from errorcatalog.models import Catalog

FIXTURES_DIR = settings.BASE_DIR / "fixtures"


class Command(BaseCommand):
    help = (
        "Load the demo catalogs that are absent (never over your edits), create an admin "
        "login if none exists (ERRORCATALOG_ADMIN_USER / ERRORCATALOG_ADMIN_PASSWORD, else "
        "admin and a random password; a set ERRORCATALOG_ADMIN_PASSWORD is applied on later "
        "runs too) and a demo API token. --reset reloads every demo catalog from its fixture."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo catalogs (with your edits) and load them again from fixtures/.",
        )

    def handle(self, *args, reset=False, **options):
        self.load_catalogs(reset=reset)
        self.admin_login()
        self.api_token()

    def load_catalogs(self, *, reset):
        for slug in settings.DEMO_CATALOGS:
            with transaction.atomic():
                if reset:
                    Catalog.objects.filter(slug=slug).delete()
                elif Catalog.objects.filter(slug=slug).exists():
                    continue
                call_command("loaddata", FIXTURES_DIR / f"{slug}.json", verbosity=0)
            self.stdout.write(f"Catalog {slug}: loaded from fixtures/{slug}.json")

    def admin_login(self):
        User = get_user_model()
        username = os.environ.get("ERRORCATALOG_ADMIN_USER", "admin")
        password = os.environ.get("ERRORCATALOG_ADMIN_PASSWORD")
        if not User.objects.filter(is_superuser=True).exists():
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(
                self.style.SUCCESS(f"Admin login created: {username} / {password}  (http://127.0.0.1:8000/admin/)")
            )
        elif password and (user := User.objects.filter(username=username, is_superuser=True).first()):
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(
                self.style.SUCCESS(f"Admin login: {username} / the password in ERRORCATALOG_ADMIN_PASSWORD")
            )
        else:
            self.stdout.write(
                f"Admin login: an admin user exists already. Forgot its password? "
                f"Run ERRORCATALOG_ADMIN_PASSWORD=... make run, or .venv/bin/python manage.py changepassword {username}."
            )

    def api_token(self):
        demo_user, _ = get_user_model().objects.get_or_create(username="demo-client")
        token, _ = Token.objects.get_or_create(user=demo_user)
        self.stdout.write(self.style.SUCCESS(f"Demo API token: {token.key}"))
        self.stdout.write(
            "Try: curl -i -X POST http://127.0.0.1:8000/demo/usezombie/items/ "
            f"-H 'Authorization: Bearer {token.key}' -H 'Content-Type: application/json' -d '{{}}'"
        )
