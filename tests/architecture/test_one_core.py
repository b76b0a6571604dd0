"""The architecture holds: a case's clock, timeline, notices and status move only through `civiccenter`,
every status moves through a workflow table, the core imports no app, and no module is too long to read.

These read the source (AST), so they fail on the first module that goes around the core, whichever app it is in.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["disclosure", "consultation", "hearings", "opinions", "ngo", "licensing"]
CORE = "civiccenter"
DEMO = "demo"  # the demo data goes through the apps' moves like any app: the same rules hold for it

# A case's clock and timeline live on these attributes; only civiccenter writes them.
CASE_CLOCK_FIELDS = {
    "due_date",
    "due_provisional",
    "clock_extension",
    "clock_rule",
    "clock_unit",
    "clock_days",
    "clock_start",
    "due_at_close",
}


def modules(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            yield relative, ast.parse(path.read_text(), filename=str(relative))


def calls(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def test_no_app_edits_a_case_clock():
    found = []
    for path, tree in modules(*APPS, DEMO):
        for node in ast.walk(tree):
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AugAssign | ast.AnnAssign)
                else []
            )
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in ("starts_on", "ends_on"):
                    if "pause" in dotted(target.value).lower():
                        found.append(f"{path}:{node.lineno} assigns {dotted(target)}: pauses are the core's")
                if isinstance(target, ast.Attribute) and target.attr in CASE_CLOCK_FIELDS:
                    value = dotted(target.value)
                    if value.endswith("case") or value == "case":
                        found.append(f"{path}:{node.lineno} assigns {dotted(target)}")
        for call in calls(tree):
            name = dotted(call.func)
            # Reading a case's pauses is fine; creating, changing or deleting one is the core's.
            inner = (
                dotted(call.func.value.func)
                if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Call)
                else ""
            )
            writes_pause = name.endswith(("pauses.create", "pauses.update", "pauses.all().delete")) or (
                "pauses" in inner and name in ("update", "delete")
            )
            if writes_pause or name.startswith("CasePause"):
                found.append(f"{path}:{call.lineno} {name}(): pauses are the core's (Case.pause/resume)")
            if name.endswith(".recompute_due") or name == "recompute_due":
                found.append(f"{path}:{call.lineno} {name}(): the due date is the core's")
            if name.endswith(".update") and "case" in dotted(call.func.value).lower():
                written = {kw.arg for kw in call.keywords} & (CASE_CLOCK_FIELDS | {"status", "closed_at"})
                if written and "Case.objects" in dotted(call.func.value):
                    found.append(f"{path}:{call.lineno} updates a case's {sorted(written)}")
    assert not found, "\n".join(found)


def test_no_app_writes_a_case_timeline_or_the_applicants_notice():
    found = []
    for path, tree in modules(*APPS, DEMO):
        for call in calls(tree):
            name = dotted(call.func)
            if "case" in name and name.endswith("events.create"):
                found.append(f"{path}:{call.lineno} {name}(): use case.log() or a move")
            if name in ("CaseEvent", "CaseEvent.objects.create", "CaseEvent.objects.bulk_create"):
                found.append(f"{path}:{call.lineno} {name}(): the timeline is the core's")
            if name.endswith("Notification.queue"):
                reached = {dotted(kw.value) for kw in call.keywords if kw.arg in ("recipient", "email")}
                if any(value.endswith("contact_email") or value.endswith("case.applicant") for value in reached):
                    found.append(f"{path}:{call.lineno} notifies a case's applicant: use case.notify_applicant()")
    assert not found, "\n".join(found)


def test_statuses_move_only_through_workflow_moves():
    """No `x.status = …` or `.update(status=…)` in an app: a status changes in Case.transition,
    CaseRecord.move_case or StatefulModel.move, each checked against the app's table."""
    found = []
    for path, tree in modules(*APPS, DEMO):
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr == "status":
                        found.append(f"{path}:{node.lineno} assigns {dotted(target)}")
        for call in calls(tree):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "update":
                if any(kw.arg == "status" for kw in call.keywords):
                    found.append(f"{path}:{call.lineno} {dotted(call.func)}(status=…)")
    assert not found, "\n".join(found)


def test_only_the_portals_clock_reads_the_time():
    """Every move, default and deadline asks `civiccenter.lib.clock` for the moment and the day, so that one
    setting (`clock.at`) replays a past day through the real moves; `timezone.localdate(value)` converts, and stays."""
    found = []
    for path, tree in modules(CORE, *APPS, DEMO):
        if str(path) == "civiccenter/lib/clock.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and dotted(node) in ("timezone.now", "datetime.now", "date.today"):
                found.append(f"{path}:{node.lineno} reads {dotted(node)}")
            if isinstance(node, ast.Call) and dotted(node.func) == "timezone.localdate" and not node.args:
                found.append(f"{path}:{node.lineno} calls timezone.localdate()")
            if isinstance(node, ast.keyword) and node.arg == "default" and dotted(node.value) == "timezone.localdate":
                found.append(f"{path}:{node.lineno} defaults to timezone.localdate")
    assert not found, "\n".join(found)


def test_no_function_hides_the_clock_behind_a_local_name():
    """A move's `clock=` argument (the case's rule) must not shadow the portal's clock module where it is read."""
    found = []
    for path, tree in modules(CORE, *APPS, DEMO):
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            arguments = function.args
            local = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
            local |= {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            if "clock" in local:
                found += [
                    f"{path}:{n.lineno} {function.name} reads clock.{n.attr} with a local `clock`"
                    for n in ast.walk(function)
                    if isinstance(n, ast.Attribute) and dotted(n) in ("clock.now", "clock.today", "clock.at")
                ]
    assert not found, "\n".join(found)


# When something happened is the clock's business (`clock.at`), never a date written afterwards.
REDATED = {"created_at", "closed_at", "received_on", "submitted_at", "published_at", "moderated_at", "disposed_at",
           "decided_at", "replied_at", "verified_at", "answered_at", "joined_at"}  # fmt: skip


def test_the_demo_dates_nothing_after_the_fact():
    found = []
    for path, tree in modules(DEMO):
        for call in calls(tree):
            if isinstance(call.func, ast.Attribute) and call.func.attr in ("update", "bulk_update"):
                written = {kw.arg for kw in call.keywords}
                written |= {
                    elt.value
                    for arg in call.args
                    if isinstance(arg, ast.List | ast.Tuple)
                    for elt in arg.elts
                    if isinstance(elt, ast.Constant)
                }
                found += [f"{path}:{call.lineno} writes {name}" for name in sorted(written & REDATED)]
    assert not found, "\n".join(found)


def test_the_core_imports_no_app():
    found = []
    for path, tree in modules(CORE):
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in (*APPS, DEMO):
                    found.append(f"{path}:{node.lineno} imports {name}")
    assert not found, "\n".join(found)


def test_the_demo_lives_outside_the_apps_and_no_app_imports_it():
    """The demo is one top-level package; an app names its parts on its AppConfig (dotted strings) and imports none."""
    found = [str(path.relative_to(ROOT)) for app in APPS for path in (ROOT / app).rglob("demo*.py")]
    for path, tree in modules(CORE, *APPS):
        for node in ast.walk(tree):
            module = node.module if isinstance(node, ast.ImportFrom) and node.level == 0 else None
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [module or ""]
            found += [f"{path}:{node.lineno} imports {name}" for name in names if name.split(".")[0] == DEMO]
    assert not found, "\n".join(found)


def test_the_cores_models_import_each_other_never_the_module_that_gathers_them():
    """`civiccenter/models.py` only re-exports: the modules that define the models (cases, people, ...) never import it,
    so there is no import cycle between the model modules."""
    gatherer = ROOT / CORE / "models.py"
    defined_in = {
        name
        for name in ("cases", "people", "workcalendar", "notifications", "stateful", "workflow")
        if (ROOT / CORE / f"{name}.py").exists()
    }
    assert {"cases", "people", "stateful"} <= defined_in
    found = []
    for name in sorted(defined_in):
        path = Path(CORE) / f"{name}.py"
        for node in ast.walk(ast.parse((ROOT / path).read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "civiccenter.models":
                found.append(f"{path}:{node.lineno} imports civiccenter.models")
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "civiccenter"
                and any(a.name == "models" for a in node.names)
            ):
                found.append(f"{path}:{node.lineno} imports civiccenter.models")
    gathered = ast.parse(gatherer.read_text())
    assert all(isinstance(n, ast.ImportFrom | ast.Assign | ast.Expr) for n in gathered.body), (
        "civiccenter/models.py defines something: define it in its module and re-export it"
    )
    assert not found, "\n".join(found)


def test_no_app_imports_another_apps_private_name():
    found = []
    for path, tree in modules(*APPS):
        own = path.parts[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                top = node.module.split(".")[0]
                if top in APPS and top != own:
                    private = [a.name for a in node.names if a.name.startswith("_")]
                    if private:
                        found.append(f"{path}:{node.lineno} imports {private} from {node.module}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("package", [CORE, *APPS, DEMO])
def test_no_module_is_over_800_lines(package):
    long = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        lines = len(path.read_text().splitlines())
        if lines > 800:
            long.append(f"{relative} ({lines} lines)")
    assert not long, "split by part names (README, How the code is laid out): " + ", ".join(long)


def test_every_workflow_table_is_registered_and_consistent():
    """Each app's state graph is one table; every move's method exists on the model that declares it."""
    from django.apps import apps

    from civiccenter.workflow import Workflow

    owners = [m for m in apps.get_models() if isinstance(getattr(m, "WORKFLOW", None), Workflow)]
    assert owners, "no workflow table found"
    for model in owners:
        for move in model.WORKFLOW:
            assert callable(getattr(model, move.name, None)), f"{model.__name__}.{move.name} is in the table only"
        assert not hasattr(model, "ALLOWED") or model.ALLOWED == model.WORKFLOW.allowed, (
            f"{model.__name__} keeps a hand-written ALLOWED beside its table"
        )


def test_everything_with_a_status_moves_by_a_table():
    """A model with a `status` (or `state`) field is a case record or a StatefulModel with a WORKFLOW table."""
    from django.apps import apps

    from civiccenter.workflow import Workflow

    project = {CORE, *APPS}
    without = []
    for model in apps.get_models():
        if model._meta.app_label not in project:
            continue
        names = {f.name for f in model._meta.concrete_fields}
        if names & {"status", "state"} and not isinstance(getattr(model, "WORKFLOW", None), Workflow):
            if model._meta.label != "civiccenter.Case":  # the case's status moves by its record's table
                without.append(model._meta.label)
    assert not without, f"statuses without a table: {without}"


def test_every_case_record_is_worked_on_the_one_transition_page():
    """Staff move a case record (and a follow-up of a poor rating) on the page generated from its table
    (`WorkflowAdmin`), never on a hand-written decide or handle page."""
    from django.contrib import admin

    from civiccenter.admin_workflow import WorkflowAdmin
    from civiccenter.cases import CaseRecord, FollowUp

    apart = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.proxy or not (issubclass(model, CaseRecord) or model is FollowUp):
            continue
        if not isinstance(model_admin, WorkflowAdmin):
            apart.append(model._meta.label)
        for name in ("decide_view", "handle_view"):
            if hasattr(model_admin, name):
                apart.append(f"{model._meta.label}: {name}")
    assert not apart, f"case records worked apart from their table's page: {apart}"
