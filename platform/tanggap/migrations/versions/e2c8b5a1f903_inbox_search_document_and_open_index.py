"""inbox search: one search document per complaint, its indexes, and an index for the open tabs

The staff inbox searched with ``ILIKE '%q%'`` over four columns and the citizen's later
messages, reading all of an office's complaints twice. Now each complaint carries one
generated ``search_document`` (number, name, service, description and what the citizen
added later), which PostgreSQL indexes twice, both led by the tenant (``btree_gin``):
its Indonesian words (``to_tsvector('indonesian', ...)``, for stems) and its trigrams
(``pg_trgm``, for parts of ticket numbers, names and words). What the citizen adds later
is copied into ``follow_ups`` by a trigger on the timeline, in the transaction of the
entry, whichever code writes it. SQLite keeps the column and the trigger and searches
with LIKE.

Row-level security lets an index answer only leakproof operators ahead of its policy, and
neither ``@@`` nor ``ILIKE`` is one: behind the wall both indexes went unused. So the app
finds the matching ids through ``office_complaint_search``, a view of the declared
office's search documents (the policy's own condition) owned by the cross-office group
role, for which the policies admit every row and the indexes serve; it then reads the
complaints themselves by id, behind the wall as before. The view shows the app role
nothing the wall would not: ids and documents of the office it declared.

The open tabs (the inbox as it opens, and its counts) read a partial index of open
complaints in deadline order, holding the status, so counting them reads no table rows.

Revision ID: e2c8b5a1f903
Revises: d4f1a9c3e2b7
Create Date: 2026-12-03 09:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2c8b5a1f903'
down_revision = 'd4f1a9c3e2b7'
branch_labels = None
depends_on = None

# Frozen here (migrations import no app code); complaints/models.py declares the same.
DOCUMENT = ("number || ' ' || name || ' ' || coalesce(service, '') || ' ' || description || ' ' || "
            "coalesce(follow_ups, '')")
OPEN = "status NOT IN ('closed', 'not_competent', 'transferred', 'withdrawn')"

_VIEW = ("CREATE VIEW office_complaint_search AS SELECT id, tenant_id, search_document FROM complaint "
         "WHERE tenant_id = (SELECT NULLIF(current_setting('tanggap.tenant_id', true), '')::integer)")
# The view's owner reads the table through the cross-office policy; the owner of the tables
# (who runs this) may give it the view when it is a member of that role, made so if need be.
_VIEW_OWNER = """
DO $$ BEGIN
    IF NOT pg_has_role(current_user, 'tanggap_cross', 'MEMBER') THEN
        EXECUTE format('GRANT tanggap_cross TO %I', current_user);
    END IF;
END $$
"""
_PG_FUNCTION = """
CREATE FUNCTION complaint_follow_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE complaint SET follow_ups = concat_ws(' ', follow_ups, NEW.message) WHERE id = NEW.complaint_id;
    RETURN NULL;
END $$
"""
_PG_TRIGGER = ("CREATE TRIGGER complaint_event_follow_up AFTER INSERT ON complaint_event FOR EACH ROW "
               "WHEN (NEW.actor_label = 'citizen' AND NEW.message IS NOT NULL) "
               "EXECUTE FUNCTION complaint_follow_up()")
_SQLITE_TRIGGER = ("CREATE TRIGGER complaint_event_follow_up AFTER INSERT ON complaint_event "
                   "WHEN NEW.actor_label = 'citizen' AND NEW.message IS NOT NULL BEGIN "
                   "UPDATE complaint SET follow_ups = trim(coalesce(follow_ups, '') || ' ' || NEW.message) "
                   "WHERE id = NEW.complaint_id; END")


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_ups', sa.Text(), nullable=True))
        batch_op.create_index('ix_complaint_open_deadline', ['tenant_id', 'due_at', 'id'], unique=False,
                              postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN),
                              postgresql_include=['status'])
    # The citizen's words so far, then the trigger that keeps them.
    aggregate = "string_agg(message, ' ' ORDER BY id)" if postgresql else "group_concat(message, ' ')"
    op.execute(f"UPDATE complaint SET follow_ups = (SELECT {aggregate} FROM complaint_event e "
               "WHERE e.complaint_id = complaint.id AND e.actor_label = 'citizen' AND e.message IS NOT NULL)")
    if postgresql:
        op.execute(f"ALTER TABLE complaint ADD COLUMN search_document text GENERATED ALWAYS AS ({DOCUMENT}) STORED")
        op.execute(_PG_FUNCTION)
        op.execute(_PG_TRIGGER)
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        op.execute("CREATE INDEX ix_complaint_search_words ON complaint USING gin "
                   "(tenant_id, to_tsvector('indonesian'::regconfig, search_document))")
        op.execute("CREATE INDEX ix_complaint_search_trigrams ON complaint USING gin "
                   "(tenant_id, search_document gin_trgm_ops)")
        op.execute("GRANT SELECT ON complaint TO tanggap_cross")
        op.execute(_VIEW)
        op.execute(_VIEW_OWNER)
        op.execute("ALTER VIEW office_complaint_search OWNER TO tanggap_cross")
    else:
        # SQLite adds only virtual generated columns to a table that exists; LIKE reads it as well.
        op.execute(f"ALTER TABLE complaint ADD COLUMN search_document TEXT GENERATED ALWAYS AS ({DOCUMENT}) VIRTUAL")
        op.execute(_SQLITE_TRIGGER)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP TRIGGER IF EXISTS complaint_event_follow_up" + (" ON complaint_event" if postgresql else ""))
    if postgresql:
        op.execute("DROP VIEW IF EXISTS office_complaint_search")
        op.execute("REVOKE SELECT ON complaint FROM tanggap_cross")
        op.execute("DROP FUNCTION IF EXISTS complaint_follow_up()")
        op.execute("DROP INDEX IF EXISTS ix_complaint_search_trigrams")
        op.execute("DROP INDEX IF EXISTS ix_complaint_search_words")
    op.execute("ALTER TABLE complaint DROP COLUMN search_document")
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_open_deadline', postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
        batch_op.drop_column('follow_ups')
