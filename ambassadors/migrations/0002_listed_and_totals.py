"""The directory's `listed` flag on profiles and the members' point totals per year and month
that the leaderboards read; both filled from what is stored (licences valid today, the points
ledger) before the services start keeping them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone


def fill(apps, schema_editor):
    Licence = apps.get_model("ambassadors", "Licence")
    Profile = apps.get_model("ambassadors", "Profile")
    PointEntry = apps.get_model("ambassadors", "PointEntry")
    PointTotal = apps.get_model("ambassadors", "PointTotal")
    today = timezone.localdate()
    valid = Licence.objects.filter(
        status="active", starts_on__lte=today, expires_on__gte=today
    ).values("holder_id")
    Profile.objects.filter(user_id__in=valid).update(listed=True)
    zone = timezone.get_default_timezone()
    sums = {}
    months = (
        PointEntry.objects.annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values_list("user_id", "month")
        .annotate(total=Sum("points"))
        .order_by()
    )
    for user_id, month, total in months.iterator(2000):
        local = timezone.localtime(month, zone)
        for period in (f"{local.year:04d}", f"{local.year:04d}-{local.month:02d}"):
            sums[(user_id, period)] = sums.get((user_id, period), 0) + total
    PointTotal.objects.bulk_create(
        [PointTotal(user_id=u, period=p, points=total) for (u, p), total in sums.items()],
        batch_size=2000,
    )


def empty(apps, schema_editor):
    apps.get_model("ambassadors", "PointTotal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0001_ambassador_programme"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="listed",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddIndex(
            model_name="profile",
            index=models.Index(fields=["listed", "-id"], name="ambassador_listed_newest"),
        ),
        migrations.CreateModel(
            name="PointTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period", models.CharField(max_length=7)),
                ("points", models.IntegerField(default=0)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["period", "-points", "user"], name="ambassador_points_ranked"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "period"), name="one_point_total_per_period"
                    )
                ],
            },
        ),
        migrations.RunPython(fill, empty),
    ]
