"""Create the stable activity and need slugs of DESIGN.md."""

from django.db import migrations

ACTIVITIES = [
    "shelter", "transport", "food", "clothing", "hygiene",
    "day-support", "legal-info", "health", "language", "advocacy",
]
NEEDS = [
    "volunteers", "hosts", "drivers", "clothing-donations", "food-donations",
    "hygiene-donations", "interpreters", "funds",
]


def create_slugs(apps, schema_editor):
    Activity = apps.get_model("network", "Activity")
    Need = apps.get_model("network", "Need")
    for position, slug in enumerate(ACTIVITIES):
        Activity.objects.update_or_create(slug=slug, defaults={"position": position})
    for position, slug in enumerate(NEEDS):
        Need.objects.update_or_create(slug=slug, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create_slugs, migrations.RunPython.noop)]
