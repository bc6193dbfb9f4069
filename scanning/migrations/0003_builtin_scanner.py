"""The built-in scanner is registered, and is the default, from the first migration on: a fresh
installation scans out of the box, as Harbor does with its bundled Trivy."""

from django.db import migrations

BUILTIN_UUID = "00000000-0000-4000-8000-000000000001"


def register(apps, schema_editor):
    registration = apps.get_model("scanning", "ScannerRegistration")
    if not registration.objects.filter(builtin=True).exists():
        registration.objects.create(
            uuid=BUILTIN_UUID,
            name="Built-in",
            description="The scanner inside this server: OS and language packages against the OSV database",
            url="builtin://",
            builtin=True,
            is_default=not registration.objects.filter(is_default=True).exists(),
        )


def unregister(apps, schema_editor):
    apps.get_model("scanning", "ScannerRegistration").objects.filter(builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("scanning", "0002_scanners_and_reports")]

    operations = [migrations.RunPython(register, unregister)]
