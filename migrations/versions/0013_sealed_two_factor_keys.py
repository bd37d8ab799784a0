"""Two-factor keys sealed at rest

Adds user.totp_secret_sealed, where the app keeps each two-factor key sealed (AES-256-GCM) with
RESCUE_ENCRYPTION_KEY. A migration cannot seal (it runs no app code), so keys written in clear to
user.totp_secret before this revision stay there until the app seals them: the first time each is read
(at sign-in), or all at once with `flask --app wsgi rescue rotate-encryption-key`. Sealing empties
user.totp_secret.

Downgrading drops the sealed keys: their owners set up two-factor sign-in again at their next sign-in.

Revision ID: 0013
Revises: 0012_printing
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012_printing"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no table copy): other tables refer to "user".
    op.add_column("user", sa.Column("totp_secret_sealed", sa.String(length=255), nullable=True))


def downgrade():
    op.drop_column("user", "totp_secret_sealed")
