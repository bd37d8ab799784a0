"""The person's situation and identity documents

Revision ID: 0007_case_situation
Revises: 0006_case_list_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_case_situation"
down_revision = "0006_case_list_indexes"
branch_labels = None
depends_on = None

COLUMNS = [
    ("next_of_kin", sa.Text()),
    ("recruitment_channel", sa.String(length=32)),
    ("recruitment_details", sa.Text()),
    ("exploitation", sa.String(length=32)),
    ("needs", sa.Text()),
    ("risk_level", sa.String(length=16)),
    ("risk_notes", sa.Text()),
    ("legal_status", sa.String(length=32)),
    ("legal_notes", sa.Text()),
]
FLAGS = ("next_of_kin_shareable", "pregnant", "medical_needs", "disability")


def upgrade():
    with op.batch_alter_table("case") as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        for name in FLAGS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "identity_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("issuing_country", sa.String(length=3), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('passport', 'national_id', 'birth_certificate', 'other')",
                           name=op.f("ck_identity_document_kind")),
        sa.CheckConstraint("status IN ('held', 'confiscated', 'lost')", name=op.f("ck_identity_document_status")),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_identity_document_case_id_case"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_document")),
    )
    with op.batch_alter_table("identity_document") as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_document_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_identity_document_number"), ["number"], unique=False)


def downgrade():
    with op.batch_alter_table("identity_document") as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_document_number"))
        batch_op.drop_index(batch_op.f("ix_identity_document_case_id"))
    op.drop_table("identity_document")
    with op.batch_alter_table("case") as batch_op:
        for name in reversed(FLAGS):
            batch_op.drop_column(name)
        for name, _type in reversed(COLUMNS):
            batch_op.drop_column(name)
