"""Notices about an account name the audit entry that records the change

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notice") as batch_op:
        batch_op.add_column(sa.Column("audit_entry_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_notice_audit_entry_id_audit_entry", "audit_entry", ["audit_entry_id"], ["id"])
    # Earlier notices about accounts kept the entry's id in case_number.
    op.execute("UPDATE notice SET audit_entry_id = CAST(case_number AS INTEGER), case_number = NULL "
               "WHERE kind LIKE 'account_%' AND case_number IS NOT NULL")


def downgrade():
    op.execute("UPDATE notice SET case_number = CAST(audit_entry_id AS VARCHAR(32)) "
               "WHERE kind LIKE 'account_%' AND audit_entry_id IS NOT NULL")
    with op.batch_alter_table("notice") as batch_op:
        batch_op.drop_constraint("fk_notice_audit_entry_id_audit_entry", type_="foreignkey")
        batch_op.drop_column("audit_entry_id")
