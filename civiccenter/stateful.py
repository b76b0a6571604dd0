"""The workflow mechanism for what has a status but is not a case.

Hearings, drafts, comments, organizations, activities and achievements,
showcase works, board posts and interviews have a status and a table of moves
(`civiccenter.workflow.Workflow`) but no statutory clock. They move only
through `StatefulModel.move()`: lock the row, check the table, write the new
status and the move's fields, and log one `StatusEvent` — the one history
table of everything that is not a case (cases have their timeline,
`CaseEvent`).
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock


class StatusEventQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


class StatusEvent(models.Model):
    """One status change (or status-less step) of anything that is not a case: append-only."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    move = models.CharField(_("step"), max_length=40, blank=True)
    old_status = models.CharField(_("from"), max_length=32, blank=True)
    new_status = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(
        "civiccenter.User", verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=clock.now)

    objects = StatusEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="statusevent_subject_idx")]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} {self.old_status} → {self.new_status}"

    @property
    def status_label(self):
        model = self.content_type.model_class()
        workflow = getattr(model, "WORKFLOW", None)
        return workflow.label(self.new_status) if workflow else self.new_status

    def get_new_status_display(self):
        return self.status_label


class StatefulModel(models.Model):
    """Base of a model with a status moved by its `WORKFLOW` table; subclasses declare `status`."""

    WORKFLOW = None
    # The field that holds the status (a comment's moderation keeps its older name, `state`).
    STATUS_FIELD = "status"

    status_events = GenericRelation(StatusEvent, content_type_field="content_type", object_id_field="object_id")

    class Meta:
        abstract = True

    def move(self, name, *, by, note="", fields=None, check_user=False, lock=True):
        """Take the move `name` of the table: checked from the row's current status under a lock, logged.

        `fields` are written with the status in the same statement. Returns the
        locked row as it now is.
        """
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk) if lock else self
            field_name = self.STATUS_FIELD
            old = getattr(locked, field_name)
            move = self.WORKFLOW.check(name, old, user=by, check_user=check_user)
            changes = {**(fields or {}), field_name: move.target or old}
            type(self).objects.filter(pk=self.pk).update(**changes)
            for field, value in changes.items():
                setattr(locked, field, value)
                setattr(self, field, value)
            log_status(locked, move=name, old=old, new=changes[field_name], by=by, note=note)
        return locked

    def available_moves(self, user=None, by=None):
        return self.WORKFLOW.available(getattr(self, self.STATUS_FIELD), user=user, by=by)

    @property
    def history(self):
        return self.status_events.select_related("actor")


def log_status(obj, *, move="", old="", new=None, by=None, note=""):
    """Log a step of `obj` (created, or a move) in the one status history."""
    return StatusEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        move=move,
        old_status=old,
        new_status=getattr(obj, getattr(obj, "STATUS_FIELD", "status")) if new is None else new,
        actor=by,
        note=str(note),
    )
