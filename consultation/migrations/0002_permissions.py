from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    view = [
        "view_topic",
        "view_question",
        "view_answer",
        "view_knowledgeentry",
        "view_interpretation",
        "view_interpretationimage",
        "view_lecture",
        "view_registration",
        "view_interview",
        "view_interviewquestion",
        "view_guest",
        "view_turn",
        "view_interviewphoto",
    ]
    knowledge = ["add_knowledgeentry", "change_knowledgeentry", "delete_knowledgeentry"]
    content = [
        "add_interpretation",
        "change_interpretation",
        "delete_interpretation",
        "add_interpretationimage",
        "change_interpretationimage",
        "delete_interpretationimage",
        "add_lecture",
        "change_lecture",
        "delete_lecture",
        "add_interview",
        "change_interview",
        "delete_interview",
        "add_guest",
        "change_guest",
        "delete_guest",
        "add_turn",
        "change_turn",
        "delete_turn",
        "add_interviewphoto",
        "change_interviewphoto",
        "delete_interviewphoto",
    ]
    # Reviewers answer and transfer; heads also approve, keep topics current and publish; editors write content.
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, "consultation", [*view, "answer_question", "publish_question", *knowledge])
    roles.grant(
        apps,
        roles.DEPARTMENT_HEAD,
        "consultation",
        [*view, "answer_question", "approve_answer", "publish_question", "add_topic", "change_topic", *knowledge, *content],
    )
    roles.grant(apps, roles.CONTENT_EDITOR, "consultation", [*view, "publish_question", *knowledge, *content])
    roles.grant(apps, roles.MODERATOR, "consultation", [*view, "moderate_interview", "change_interviewquestion"])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "consultation", view)
    roles.grant(
        apps,
        roles.SYSTEM_ADMINISTRATOR,
        "consultation",
        [
            *view,
            "answer_question",
            "approve_answer",
            "publish_question",
            "moderate_interview",
            "change_interviewquestion",
            "add_topic",
            "change_topic",
            "delete_topic",
            *knowledge,
            *content,
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("consultation", "0001_questions_lectures_interviews"), ("civiccenter", "0002_staff_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
