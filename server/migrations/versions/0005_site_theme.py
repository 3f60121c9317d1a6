"""a theme per site

Revision ID: 0005_site_theme
Revises: 0001_foundation
Create Date: 2026-11-27 02:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005_site_theme'
down_revision: str | Sequence[str] | None = '0001_foundation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing sites keep the widget's defaults: an empty theme.
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'theme',
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
            nullable=False,
            server_default=sa.text("'{}'"),
        ))


def downgrade() -> None:
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('theme')
