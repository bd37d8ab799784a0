"""Reports of people still held

Revision ID: 0004_reports
Revises: 0003_intake_drafts
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_reports"
down_revision = "0003_intake_drafts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reliability", sa.String(length=16), nullable=False),
        sa.Column("reporter_contact", sa.Text(), nullable=True),
        sa.Column("family_name", sa.String(length=200), nullable=True),
        sa.Column("given_names", sa.String(length=200), nullable=True),
        sa.Column("native_name", sa.String(length=300), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("approximate_age", sa.Integer(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("last_known_location", sa.Text(), nullable=True),
        sa.Column("safe_contact", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("source IN ('relative', 'hotline', 'self', 'ngo', 'police', 'other')",
                           name=op.f("ck_report_source")),
        sa.CheckConstraint("reliability IN ('confirmed', 'likely', 'unconfirmed')", name=op.f("ck_report_reliability")),
        sa.CheckConstraint("status IN ('open', 'rescued', 'closed')", name=op.f("ck_report_status")),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_report_case_id_case"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_report_created_by_id_user")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_report_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_report_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    with op.batch_alter_table("report") as batch_op:
        batch_op.create_index("ix_report_organisation_status", ["organisation_id", "status", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_site_id"), ["site_id"], unique=False)


def downgrade():
    with op.batch_alter_table("report") as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_site_id"))
        batch_op.drop_index("ix_report_organisation_status")
    op.drop_table("report")
