"""An index in the story listing's order (date, then page), so that a page of the story index
is read from it instead of sorting the whole section (used once the database has statistics:
always on PostgreSQL, after ANALYZE on SQLite)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_search_config_unaccent"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="storypage",
            index=models.Index(fields=["date", "page_ptr"], name="content_story_date_idx"),
        ),
    ]
