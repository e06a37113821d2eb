"""Create the demo's admin login and API token, and print them."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Create an admin login if none exists (ERRORCATALOG_ADMIN_USER / "
        "ERRORCATALOG_ADMIN_PASSWORD, else admin and a random password) and a demo API token."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if not User.objects.filter(is_superuser=True).exists():
            username = os.environ.get("ERRORCATALOG_ADMIN_USER", "admin")
            password = os.environ.get("ERRORCATALOG_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(self.style.SUCCESS(
                f"Admin login created: {username} / {password}  (http://127.0.0.1:8000/admin/)"
            ))
        else:
            self.stdout.write("Admin login: an admin user exists already (createsuperuser makes another).")
        demo_user, _ = User.objects.get_or_create(username="demo-client")
        token, _ = Token.objects.get_or_create(user=demo_user)
        self.stdout.write(self.style.SUCCESS(f"Demo API token: {token.key}"))
        self.stdout.write(
            "Try: curl -i -X POST http://127.0.0.1:8000/demo/usezombie/items/ "
            f"-H 'Authorization: Bearer {token.key}' -H 'Content-Type: application/json' -d '{{}}'"
        )
