"""Consent to share with a receiving agency

The consent table has carried recipient_organisation_id since the first revision, unused. The consent form
now records consent to share with a receiving agency there (the agency named in the repatriation plan reaches
the case only with that consent in force), so this revision indexes the column and makes sure one consent
names one recipient: a mission or an organisation, never both.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_recipient_organisation_id"), ["recipient_organisation_id"],
                              unique=False)
        batch_op.create_check_constraint(
            batch_op.f("ck_consent_one_recipient"),
            "recipient_mission_id IS NULL OR recipient_organisation_id IS NULL")


def downgrade():
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_consent_one_recipient"), type_="check")
        batch_op.drop_index(batch_op.f("ix_consent_recipient_organisation_id"))
