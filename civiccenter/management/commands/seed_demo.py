"""Demo data for every feature built so far. Idempotent: a second run changes nothing.

Each app declares its parts on its AppConfig (`demo_parts`, see civiccenter/parts.py); the core imports no app.
"""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from civiccenter import parts, roles
from civiccenter.lib import clock
from civiccenter.models import Department, User

DEMO_PASSWORD = "demo-2026-portal"

# The organ's short name in its document numbers (机关代字): 示范市监〔2026〕12号.
DOCUMENT_PREFIXES = {
    "ZXBGS": "示范中心",
    "SCJG": "示范市监",
    "MZ": "示范民政",
    "ZJ": "示范住建",
    "RS": "示范人社",
    "WJ": "示范卫健",
    "JY": "示范教",
    "STHJ": "示范环",
    "WGL": "示范文旅",
}

# code, name, English name, phone, window, English window
DEPARTMENTS = [
    (
        "ZXBGS",
        "区市民服务中心办公室",
        "Office of the Citizen Service Center",
        "0571-86010000",
        "一楼总服务台",
        "Ground floor, main desk",
    ),
    (
        "SCJG",
        "区市场监督管理局",
        "District Administration for Market Regulation",
        "0571-86010101",
        "一楼 1–6 号窗口",
        "Ground floor, windows 1–6",
    ),
    (
        "MZ",
        "区民政局",
        "District Civil Affairs Bureau",
        "0571-86010202",
        "二楼 11–13 号窗口",
        "First floor, windows 11–13",
    ),
    (
        "ZJ",
        "区住房和城乡建设局",
        "District Housing and Urban-Rural Development Bureau",
        "0571-86010303",
        "二楼 14–17 号窗口",
        "First floor, windows 14–17",
    ),
    (
        "RS",
        "区人力资源和社会保障局",
        "District Human Resources and Social Security Bureau",
        "0571-86010404",
        "一楼 7–10 号窗口",
        "Ground floor, windows 7–10",
    ),
    (
        "WJ",
        "区卫生健康局",
        "District Health Commission",
        "0571-86010505",
        "二楼 18–19 号窗口",
        "First floor, windows 18–19",
    ),
    ("JY", "区教育局", "District Education Bureau", "0571-86010606", "二楼 20 号窗口", "First floor, window 20"),
    (
        "STHJ",
        "区生态环境分局",
        "District Ecology and Environment Bureau",
        "0571-86010707",
        "三楼 21–22 号窗口",
        "Second floor, windows 21–22",
    ),
    (
        "WGL",
        "区文化和广电旅游体育局",
        "District Culture, Tourism and Sports Bureau",
        "0571-86010808",
        "三楼 23–24 号窗口",
        "Second floor, windows 23–24",
    ),
]

# e-mail, name, role, department code
STAFF = [
    ("clerk@demo.civiccenter.example", "王晓丽", roles.WINDOW_CLERK, "SCJG"),
    ("reviewer@demo.civiccenter.example", "李建国", roles.DEPARTMENT_REVIEWER, "SCJG"),
    ("head@demo.civiccenter.example", "陈志强", roles.DEPARTMENT_HEAD, "SCJG"),
    # Civil affairs verifies organizations (the NGO part).
    ("mz@demo.civiccenter.example", "马丽华", roles.DEPARTMENT_REVIEWER, "MZ"),
    ("editor@demo.civiccenter.example", "赵雅婷", roles.CONTENT_EDITOR, "ZXBGS"),
    ("moderator@demo.civiccenter.example", "孙文博", roles.MODERATOR, "ZXBGS"),
    ("supervisor@demo.civiccenter.example", "周海燕", roles.CENTER_SUPERVISOR, "ZXBGS"),
    ("admin@demo.civiccenter.example", "吴振华", roles.SYSTEM_ADMINISTRATOR, "ZXBGS"),
]

PUBLIC = [
    ("citizen@demo.civiccenter.example", "张明", User.AccountType.CITIZEN, "13800138000"),
    ("ngo@demo.civiccenter.example", "刘芳", User.AccountType.ORGANIZATION, "13900139000"),
]


class Command(BaseCommand):
    help = "Load the demo data (departments, one staff account per role, a citizen, an organization). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        departments = {}
        for order, (code, name, name_en, phone, window, window_en) in enumerate(DEPARTMENTS, start=1):
            department, new = Department.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "phone": phone,
                    "window_location": window,
                    "window_location_en": window_en,
                    "order": order * 10,
                    "document_prefix": DOCUMENT_PREFIXES.get(code, ""),
                },
            )
            departments[code] = department
            created += new

        accounts = []
        for email, name, role, code in STAFF:
            user, new = self._user(email, name, is_staff=True, department=departments[code])
            if new:
                user.groups.add(Group.objects.get(name=role))
            accounts.append((email, role, departments[code].name))
            created += new
        for email, name, account_type, phone in PUBLIC:
            user, new = self._user(email, name, account_type=account_type, phone=phone)
            accounts.append((email, User.AccountType(account_type).label, ""))
            created += new

        # Each app declares its demo parts on its AppConfig (civiccenter.parts), in the order they depend on.
        for _label, seed in parts.demo_parts():
            created += seed(stdout=self.stdout)

        self.stdout.write(f"Demo data: {created} rows created ({'first run' if created else 'already loaded'}).")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, role, department in accounts:
            self.stdout.write(f"  {email:<40} {role} {department}")

    def _user(self, email, name, **fields):
        user = User.objects.filter(email=email).first()
        if user is not None:
            return user, False
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, email_confirmed_at=clock.now(), **fields)
        return user, True
