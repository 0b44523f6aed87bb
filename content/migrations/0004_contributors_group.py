from django.db import migrations

CONTRIBUTORS = "Contributors"
MODERATORS = "Moderators"
WORKFLOW = "Contributions"
TASK = "Contributions review"


def create_contributors_group_and_workflow(apps, schema_editor):
    """The "Contributors" group (people outside the agency who may propose stories and
    suggest updates) and the "Contributions" workflow their proposals go through. The
    workflow is assigned to the story index when the first proposal arrives, since that
    page may not exist yet."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    Group.objects.get_or_create(name=CONTRIBUTORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)

    if Workflow.objects.filter(name=WORKFLOW).exists():
        return
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


def remove_contributors_group_and_workflow(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow.objects.filter(name=WORKFLOW).delete()
    GroupApprovalTask.objects.filter(name=TASK).delete()
    Group.objects.filter(name=CONTRIBUTORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_content_hub_models"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(
            create_contributors_group_and_workflow, remove_contributors_group_and_workflow
        ),
    ]
