"""Ballots are sealed: their choices are encrypted with a key the database does not hold."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from workflows.ballots import seal

    Ballot = apps.get_model("workflows", "Ballot")
    for ballot in Ballot.objects.all():
        ballot.sealed = seal(ballot.election_id, ballot.choices)
        ballot.save(update_fields=["sealed"])


def unseal_existing(apps, schema_editor):
    from workflows.ballots import unseal

    Ballot = apps.get_model("workflows", "Ballot")
    for ballot in Ballot.objects.all():
        ballot.choices = unseal(ballot.election_id, ballot.sealed)
        ballot.save(update_fields=["choices"])


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_ballot_receipt_outlives_account")]

    operations = [
        migrations.AddField(
            model_name="ballot",
            name="sealed",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing, unseal_existing),
        migrations.RemoveField(model_name="ballot", name="choices"),
    ]
