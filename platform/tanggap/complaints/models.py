"""The tables of the complaints feature: the complaint, its timeline, its files, its numbering."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Computed, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from .. import clock
from ..decrees.models import Decree
from ..extensions import Model, db
from ..tenancy.models import Tenant
from ..tenancy.scoping import TenantScoped
from ..units.models import ServiceUnit


def _enum(kind: type[enum.Enum]) -> Any:
    return db.Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Status(enum.Enum):
    """Where a complaint stands (DESIGN.md, "Complaint lifecycle")."""

    SUBMITTED = "submitted"
    INFO_REQUESTED = "info_requested"
    IN_ASSESSMENT = "in_assessment"
    UPHELD = "upheld"
    REJECTED = "rejected"
    COMPENSATED = "compensated"
    CLOSED = "closed"
    #: *Bukan wewenang*: not this office's matter; the citizen was told where to go.
    NOT_COMPETENT = "not_competent"
    TRANSFERRED = "transferred"
    WITHDRAWN = "withdrawn"

    @property
    def is_finished(self) -> bool:
        """No more work is owed on it: closed in one of its ways."""
        return self in FINISHED

    @property
    def is_open(self) -> bool:
        return not self.is_finished


class NotifyBy(enum.Enum):
    """How the citizen chose to be told of each step: e-mail, WhatsApp/SMS, or both."""

    EMAIL = "email"
    PHONE = "phone"
    BOTH = "both"

    @property
    def by_email(self) -> bool:
        return self in (NotifyBy.EMAIL, NotifyBy.BOTH)

    @property
    def by_phone(self) -> bool:
        return self in (NotifyBy.PHONE, NotifyBy.BOTH)


FINISHED = frozenset({Status.CLOSED, Status.NOT_COMPETENT, Status.TRANSFERRED, Status.WITHDRAWN})
#: States in which the deadline still binds: compensation is owed or may yet be.
DEADLINE_BINDS = frozenset({Status.SUBMITTED, Status.INFO_REQUESTED, Status.IN_ASSESSMENT, Status.UPHELD})
#: What the inbox's search reads: everything the citizen wrote, and the ticket number.
SEARCH_DOCUMENT = ("number || ' ' || name || ' ' || coalesce(service, '') || ' ' || description || ' ' || "
                   "coalesce(follow_ups, '')")
_OPEN = "status NOT IN ('closed', 'not_competent', 'transferred', 'withdrawn')"


class Complaint(TenantScoped, Model):
    """A citizen's complaint that a service missed its published standard."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Human ticket number, unique and gapless per tenant and year (DISDIKBUD-2026-000123).
    number: Mapped[str] = mapped_column(String(40))
    #: Unguessable code the citizen tracks the complaint with; the citizen's only key.
    tracking_code: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.SUBMITTED)
    #: The state a closing transition left, so that reopening can return to it.
    status_before_close: Mapped[Status | None] = mapped_column(_enum(Status))
    #: The decree version in force at submission: the complaint is judged under it for good.
    decree_id: Mapped[int] = mapped_column(ForeignKey("decree.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=clock.now)
    #: Fixed at submission from the decree in force; never moves.
    due_at: Mapped[datetime]
    #: The language the citizen wrote in; their e-mails go out in it.
    locale: Mapped[str] = mapped_column(String(5), default="id")
    #: Component codes the citizen says were broken.
    components: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    service: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("service_unit.id"), index=True)
    #: The staff member handling it.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    #: How long the citizen says they waited beyond the standard, in minutes.
    waited_minutes: Mapped[int | None] = mapped_column(Integer)
    #: Rupiah charged, and the published tariff, as the citizen states them.
    charged: Mapped[int | None] = mapped_column(Integer)
    tariff: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    #: In E.164 (+628...) when it is an Indonesian number, as the form normalised it.
    phone: Mapped[str | None] = mapped_column(String(30))
    notify_by: Mapped[NotifyBy] = mapped_column(_enum(NotifyBy), default=NotifyBy.EMAIL)
    #: When the citizen agreed to the processing of their personal data (UU 27/2022).
    consent_at: Mapped[datetime]
    #: The form's one-time key: a second submission of the same form finds this complaint.
    submission_key: Mapped[str] = mapped_column(String(64))
    #: For *bukan wewenang*: where the citizen should go instead.
    referral: Mapped[str | None] = mapped_column(Text)
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    transferred_to_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    compensated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: When the deadline sweep should next look at this complaint; None once no alert can be due
    #: (DESIGN.md, "Background work"). Set to "now" whenever the deadline starts to bind again.
    next_alert_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    #: What the citizen wrote after filing (answers, more information, a reason, a comment),
    #: copied from the timeline by a database trigger in the entry's own transaction.
    follow_ups: Mapped[str | None] = mapped_column(Text, deferred=True)
    #: One text for the inbox's search and its indexes (generated by the database; never loaded).
    search_document: Mapped[str | None] = mapped_column(Text, Computed(SEARCH_DOCUMENT, persisted=True),
                                                        deferred=True)

    tenant: Mapped[Tenant] = relationship()
    decree: Mapped[Decree] = relationship()
    unit: Mapped[ServiceUnit | None] = relationship()
    assignee: Mapped[User | None] = relationship()
    events: Mapped[list["ComplaintEvent"]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="complaint", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    # The assessment feature's classes, named by string and typed Any: complaints lies below that
    # feature and imports none of it (not even for the type checker: the layers forbid it).
    #: The leader's finding (*penilaian Pimpinan*), once there is one (``assessments.models.Assessment``).
    assessment: Mapped[Any] = relationship("Assessment", back_populates="complaint", uselist=False)
    #: The package the assessment fixed, item by item (``PackageItem``; written through the assessment).
    package_items: Mapped[list[Any]] = relationship(
        "PackageItem", back_populates="complaint", order_by="PackageItem.position", viewonly=True
    )

    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        UniqueConstraint("tenant_id", "submission_key"),
        Index("ix_complaint_open_due", "tenant_id", "status", "due_at"),
        Index("ix_complaint_tenant_submitted", "tenant_id", "submitted_at"),
        # The reports' rollup finds what changed since its last refresh.
        Index("ix_complaint_updated", "updated_at"),
        # The inspectorate's live count of what is open now reads only open complaints.
        Index("ix_complaint_open_filed", "tenant_id", "submitted_at",
              postgresql_where=text(_OPEN), sqlite_where=text(_OPEN)),
        # The inbox as it opens (open complaints, soonest deadline first) and its tab counts,
        # which read the status from the index and no table row.
        Index("ix_complaint_open_deadline", "tenant_id", "due_at", "id", postgresql_include=["status"],
              postgresql_where=text(_OPEN), sqlite_where=text(_OPEN)),
        # Every complaint in deadline order: the tabs that hold finished ones, filtered or searched.
        Index("ix_complaint_tenant_due", "tenant_id", "due_at", "id"),
        # The inbox's search on PostgreSQL, led by the office (btree_gin): Indonesian words by
        # their stems, and trigrams for parts of numbers, names and words. SQLite reads LIKE.
        Index("ix_complaint_search_words", "tenant_id",
              text("to_tsvector('indonesian'::regconfig, search_document)"), postgresql_using="gin")
        .ddl_if(dialect="postgresql"),
        Index("ix_complaint_search_trigrams", "tenant_id", "search_document", postgresql_using="gin",
              postgresql_ops={"search_document": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
        # The sweep's only way in: its cost follows the complaints that have an alert coming due.
        Index("ix_complaint_next_alert", "next_alert_at", postgresql_where=text("next_alert_at IS NOT NULL"),
              sqlite_where=text("next_alert_at IS NOT NULL")),
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="reachable"),
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating_range"),
    )

    @property
    def on_time(self) -> bool | None:
        """Compensated by ``due_at``? None while no compensation has been completed."""
        if self.compensated_at is None:
            return None
        return self.compensated_at <= self.due_at

    @property
    def deadline_binds(self) -> bool:
        return self.status in DEADLINE_BINDS

    def __repr__(self) -> str:
        return f"<Complaint {self.number} {self.status.value}>"


class EventKind(enum.Enum):
    """What a timeline entry records."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    INFO_REQUESTED = "info_requested"
    CITIZEN_INFO = "citizen_info"
    ASSIGNED = "assigned"
    NOTE = "note"
    NOT_COMPETENT = "not_competent"
    TRANSFERRED_OUT = "transferred_out"
    TRANSFERRED_IN = "transferred_in"
    UPHELD = "upheld"
    REJECTED = "rejected"
    ITEM_DELIVERED = "item_delivered"
    COMPENSATED = "compensated"
    CLOSED = "closed"
    REOPENED = "reopened"
    WITHDRAWN = "withdrawn"
    RATED = "rated"
    #: The office's letters (``letters``): issued (staff only) and e-mailed to the citizen.
    LETTER_ISSUED = "letter_issued"
    LETTER_SENT = "letter_sent"


class ComplaintEvent(TenantScoped, Model):
    """One line of a complaint's timeline; the citizen sees those marked public."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Who acted when it was not a staff member: "citizen", "system", or another office.
    actor_label: Mapped[str | None] = mapped_column(String(200))
    public: Mapped[bool] = mapped_column(default=True)
    message: Mapped[str | None] = mapped_column(Text)
    #: The facts of the step (status change, item, unit...), for display and reports.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Attachment(TenantScoped, Model):
    """A file the citizen gave (a receipt, a photo), stored outside the web root."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_event.id"))
    #: The name the citizen's device gave it, cleaned; shown, never used as a path.
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(80))
    size: Mapped[int]
    #: Where the bytes are, relative to the upload folder.
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=clock.now)

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")


class TicketCounter(Model):
    """The last ticket number handed out per tenant and year; its row lock keeps numbers gapless."""

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
