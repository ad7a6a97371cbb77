from django.db import migrations, models
from django.db.models import F


def same_status_rows_get_their_own_kind(apps, schema_editor):
    """ "new -> new" was a routing that found nobody, "routed -> routed" a new assignment; any
    other same-status row becomes a remark. None of them is a status change."""
    Event = apps.get_model("network", "ContactRequestEvent")
    unchanged = Event.objects.filter(kind="transition", from_status=F("to_status"))
    unchanged.filter(to_status="new").update(kind="unrouted")
    unchanged.filter(to_status="routed").update(kind="rerouted")
    unchanged.update(kind="remark")


def restore_transition_rows(apps, schema_editor):
    Event = apps.get_model("network", "ContactRequestEvent")
    Event.objects.filter(kind__in=["unrouted", "rerouted", "remark"]).update(kind="transition")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0012_import_batch"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contactrequestevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("transition", "Changement de statut"),
                    ("unrouted", "Aucun collectif trouvé automatiquement"),
                    ("rerouted", "Transmise à une autre organisation"),
                    ("reminder", "Rappel envoyé"),
                    ("export", "Export des données personnelles"),
                    ("erasure", "Effacement des données personnelles"),
                    ("remark", "Remarque"),
                ],
                default="transition",
                max_length=12,
            ),
        ),
        migrations.RunPython(same_status_rows_get_their_own_kind, restore_transition_rows),
        migrations.AddConstraint(
            model_name="contactrequestevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "transition"), _negated=True),
                    models.Q(("from_status", models.F("to_status")), _negated=True),
                    _connector="OR",
                ),
                name="transition_changes_status",
            ),
        ),
    ]
