"""Every translatable string can be found by `makemessages`: xgettext does not look inside f-strings, so a
`_("...")` there is silently left out of the catalog and shows in English on a Chinese page."""

import ast

from tests.architecture.test_one_core import APPS, CORE, modules


def test_no_gettext_call_inside_an_f_string():
    found = []
    for path, tree in modules(CORE, *APPS):
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if (
                        isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Name)
                        and call.func.id in ("_", "gettext")
                    ):
                        found.append(f"{path}:{call.lineno}")
    assert not found, "\n".join(found)
