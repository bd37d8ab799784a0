"""Recovery codes, re-authentication, identity-document attachments, encryption key ids, anonymisation

Revision ID: 0002_security
Revises: 0001_initial
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_security"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_recovery_code_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_recovery_code_code_hash")),
    )
    with op.batch_alter_table("recovery_code") as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_code_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.add_column(sa.Column("reauthenticated_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("case") as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch_op.alter_column("kind", existing_type=sa.String(length=16), type_=sa.String(length=32),
                              existing_nullable=False)
        batch_op.drop_constraint(op.f("ck_attachment_kind"), type_="check")
        batch_op.create_check_constraint(
            "kind", "kind IN ('photo', 'identity_document', 'scan', 'other')")


def downgrade():
    op.execute("UPDATE attachment SET kind = 'scan' WHERE kind = 'identity_document'")
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.drop_constraint(op.f("ck_attachment_kind"), type_="check")
        batch_op.create_check_constraint("kind", "kind IN ('photo', 'scan', 'other')")
        batch_op.alter_column("kind", existing_type=sa.String(length=32), type_=sa.String(length=16),
                              existing_nullable=False)
        batch_op.drop_column("key_id")
    with op.batch_alter_table("case") as batch_op:
        batch_op.drop_column("anonymised_at")
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.drop_column("reauthenticated_at")
    with op.batch_alter_table("recovery_code") as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_code_user_id"))
    op.drop_table("recovery_code")
