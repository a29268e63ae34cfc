"""The notes of past promotions named the startup that freed the place ("a place was freed
(Lumière Santé)"), and the promoted startup reads its history on its dashboard: each loses the
name, in the language it was written in (#26 item 6)."""

from django.db import migrations

# The note as written in English and in French, without the name that followed in brackets.
NOTES = (
    "Promoted from the waitlist: a place was freed",
    "Promue depuis la liste d'attente : une place s'est libérée",
)


def forget_the_freed_startup(apps, schema_editor):
    events = apps.get_model("applications", "ApplicationEvent").objects
    for note in NOTES:
        events.filter(note__startswith=f"{note} (").update(note=note)


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0005_interview_score_kept_after_deletion"),
        ("applications", "0015_declined_status"),
    ]

    operations = [migrations.RunPython(forget_the_freed_startup, migrations.RunPython.noop)]
