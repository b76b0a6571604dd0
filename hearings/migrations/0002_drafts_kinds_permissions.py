"""Kinds of draft with their minimum comment periods, and the roles' permissions on drafts."""

from django.db import migrations

from civiccenter import roles

KINDS = [
    # name, name_en, min_days, unit, legal basis, note, order
    ("重大行政决策", "Major administrative decision", 30, "calendar", "《重大行政决策程序暂行条例》第十五条", "", 10),
    ("规章", "Rules", 30, "calendar", "《规章制定程序条例》第十五条", "", 20),
    (
        "行政规范性文件",
        "Normative document",
        30,
        "calendar",
        "《重大行政决策程序暂行条例》第十五条（参照）",
        "国办发〔2018〕37号 is reported to require generally at least 7 working days for normative documents: "
        "unverified, so 30 days are kept until the text is checked (prc-rules.md §4).",
        30,
    ),
    ("其他", "Other", 30, "calendar", "《重大行政决策程序暂行条例》第十五条（参照）", "", 90),
]


def seed(apps, schema_editor):
    DraftKind = apps.get_model("hearings", "DraftKind")
    for name, name_en, days, unit, basis, note, order in KINDS:
        DraftKind.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "min_days": days,
                "unit": unit,
                "legal_basis": basis,
                "note": note,
                "order": order,
            },
        )


def grant(apps, schema_editor):
    view = ["view_draft", "view_article", "view_comment", "view_adoptionreport", "view_draftkind"]
    editing = [
        "add_draft",
        "change_draft",
        "delete_draft",
        "add_article",
        "change_article",
        "delete_article",
        "change_adoptionreport",
        "publish_draft",
    ]
    # Reviewers prepare drafts and give dispositions; heads also publish the report and the decision.
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, "hearings", [*view, *editing, "dispose_comment"])
    roles.grant(
        apps,
        roles.DEPARTMENT_HEAD,
        "hearings",
        [*view, *editing, "dispose_comment", "publish_report", "publish_decision"],
    )
    roles.grant(apps, roles.CONTENT_EDITOR, "hearings", [*view, *editing])
    # Moderators work for the whole center (like the interview questions' queue).
    roles.grant(apps, roles.MODERATOR, "hearings", ["view_draft", "view_article", "view_comment", "moderate_comment"])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "hearings", view)
    roles.grant(
        apps,
        roles.SYSTEM_ADMINISTRATOR,
        "hearings",
        [
            *view,
            *editing,
            "add_draftkind",
            "change_draftkind",
            "dispose_comment",
            "publish_report",
            "publish_decision",
            "moderate_comment",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("hearings", "0001_drafts_comments_reports"), ("civiccenter", "0007_notification_permissions")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
