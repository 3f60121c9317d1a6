"""requests, attachments, notifications

Revision ID: 0004_tickets
Revises: 0001_foundation
Create Date: 2026-11-22 04:52:19.444158
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import helpmenu.db
from sqlalchemy.dialects import postgresql

revision: str = '0004_tickets'
down_revision: str | Sequence[str] | None = '0001_foundation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ticket_settings',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('snooze_seconds', sa.Integer(), nullable=False),
    sa.Column('anonymous_contact', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_ticket_settings_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_ticket_settings'))
    )
    op.create_table('ticket_topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('system', sa.String(length=20), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_ticket_topics_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_topics')),
    sa.UniqueConstraint('site_id', 'name', name=op.f('uq_ticket_topics_site_id'))
    )
    with op.batch_alter_table('ticket_topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_topics_site_id'), ['site_id'], unique=False)

    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=310), nullable=False),
    sa.Column('account', sa.String(length=300), nullable=True),
    sa.Column('requester_id', sa.String(length=310), nullable=False),
    sa.Column('requester_name', sa.String(length=300), nullable=True),
    sa.Column('requester_email', sa.String(length=254), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('importance', sa.String(length=10), nullable=False),
    sa.Column('importance_rank', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('context', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=100), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rating_comment', sa.Text(), nullable=True),
    sa.Column('created_at', helpmenu.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', helpmenu.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff.id'], name=op.f('fk_tickets_assignee_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_tickets_site_id_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['ticket_topics.id'], name=op.f('fk_tickets_topic_id_ticket_topics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('site_id', 'number', name='uq_tickets_number'),
    sa.UniqueConstraint('site_id', 'requester_id', 'idempotency_key', name='uq_tickets_idempotency')
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_owner_updated', ['site_id', 'owner', 'updated_at'], unique=False)
        batch_op.create_index('ix_tickets_queue', ['site_id', 'status', 'importance_rank', 'created_at'], unique=False)

    op.create_table('ticket_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=500), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', helpmenu.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_ticket_attachments_site_id_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_attachments_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_attachments')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_ticket_attachments_storage_name'))
    )
    with op.batch_alter_table('ticket_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_attachments_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('ticket_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('author_name', sa.String(length=300), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status_from', sa.String(length=20), nullable=True),
    sa.Column('status_to', sa.String(length=20), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', helpmenu.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['ticket_attachments.id'], name=op.f('fk_ticket_messages_attachment_id_ticket_attachments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_ticket_messages_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_messages_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_messages'))
    )
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_messages_thread', ['ticket_id', 'id'], unique=False)

    op.create_table('ticket_notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=310), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('preview', sa.String(length=400), nullable=False),
    sa.Column('created_at', helpmenu.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['ticket_messages.id'], name=op.f('fk_ticket_notifications_message_id_ticket_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_ticket_notifications_site_id_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_notifications_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_notifications'))
    )
    with op.batch_alter_table('ticket_notifications', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_notifications_audience', ['site_id', 'audience', 'id'], unique=False)

    op.create_table('ticket_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=310), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('snoozed_until', helpmenu.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', helpmenu.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['notification_id'], ['ticket_notifications.id'], name=op.f('fk_ticket_receipts_notification_id_ticket_notifications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_receipts')),
    sa.UniqueConstraint('notification_id', 'user_id', name=op.f('uq_ticket_receipts_notification_id'))
    )


def downgrade() -> None:
    op.drop_table('ticket_receipts')
    with op.batch_alter_table('ticket_notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_notifications_audience')

    op.drop_table('ticket_notifications')
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_messages_thread')

    op.drop_table('ticket_messages')
    with op.batch_alter_table('ticket_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_attachments_ticket_id'))

    op.drop_table('ticket_attachments')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_queue')
        batch_op.drop_index('ix_tickets_owner_updated')

    op.drop_table('tickets')
    with op.batch_alter_table('ticket_topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_topics_site_id'))

    op.drop_table('ticket_topics')
    op.drop_table('ticket_settings')
