"""Where browsers report what the Content-Security-Policy refused (`report-uri /csp-report`).

A report is anyone's input: it is read only up to REPORT_MAX_BYTES, never stored, and logged as a warning
(logger `civiccenter.csp`) with each value cut short and quoted, at most REPORTS_LOGGED_PER_MINUTE per process,
so a flood of reports cannot flood the logs. Whatever arrives, the answer is never a server error.
"""

import json
import logging
import threading
import time

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

log = logging.getLogger("civiccenter.csp")

REPORT_MAX_BYTES = 16 * 1024
REPORTS_LOGGED_PER_MINUTE = 60
VALUE_MAX_CHARS = 300
# The old format of `report-uri` (application/csp-report) and the Reporting API's (application/reports+json).
CONTENT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}

# One report body, in either format: (what is logged, its key in report-uri's format, in the Reporting API's).
FIELDS = (
    ("directive", "effective-directive", "effectiveDirective"),
    ("blocked", "blocked-uri", "blockedURL"),
    ("page", "document-uri", "documentURL"),
    ("source", "source-file", "sourceFile"),
    ("line", "line-number", "lineNumber"),
    ("sample", "script-sample", "sample"),
    ("disposition", "disposition", "disposition"),
)


class _Budget:
    """At most `per_minute` log lines a minute in this process; the rest are counted and told once."""

    def __init__(self, per_minute, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self.lock = threading.Lock()
        self.window = 0
        self.used = 0
        self.dropped = 0

    def take(self):
        """True if one more report may be logged now; logs how many were dropped when a new minute starts."""
        with self.lock:
            window = int(self.clock() // 60)
            if window != self.window:
                if self.dropped:
                    log.warning(
                        "CSP violation reports not logged in the last minute (over the limit): %d", self.dropped
                    )
                self.window, self.used, self.dropped = window, 0, 0
            if self.used >= self.per_minute:
                self.dropped += 1
                return False
            self.used += 1
            return True


budget = _Budget(REPORTS_LOGGED_PER_MINUTE)


def _short(value):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text[:VALUE_MAX_CHARS]


def _bodies(payload):
    """The violation bodies of a parsed report, in either format; unknown shapes give none."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        yield {name: payload["csp-report"].get(old) for name, old, _new in FIELDS}
    elif isinstance(payload, list):
        for report in payload[:10]:
            if (
                isinstance(report, dict)
                and report.get("type") == "csp-violation"
                and isinstance(report.get("body"), dict)
            ):
                yield {name: report["body"].get(new) for name, _old, new in FIELDS}


@csrf_exempt
@require_POST
def report(request):
    content_type = request.content_type.lower()
    if content_type not in CONTENT_TYPES:
        return HttpResponse(status=415)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    # Read one byte more than allowed: a body longer than it said (or sent in chunks) is refused too.
    raw = request.read(REPORT_MAX_BYTES + 1)
    if len(raw) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return HttpResponse(status=400)
    bodies = list(_bodies(payload))
    if not bodies:
        return HttpResponse(status=400)
    for body in bodies:
        if budget.take():
            # %r quotes each value and escapes line breaks and control characters: one report, one log line.
            log.warning(
                "CSP violation: %r refused %r on %r (source %r, line %r, sample %r, %r)",
                *(_short(body[name]) if body[name] is not None else None for name, _old, _new in FIELDS),
            )
    return HttpResponse(status=204)
