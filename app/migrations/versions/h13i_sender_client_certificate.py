"""A sending portal's pinned TLS client certificate: the SHA-256 of its DER (a unique
index: a certificate is one portal's), its subject and end of validity for the admin page.
A sender with one is accepted only with that certificate as the reverse proxy forwards it
(app/documents/senders.py); existing senders have none, and are accepted as before.

Revision ID: h13i_sender_client_certificate
Revises: h13g_desk_tree_kind
Create Date: 2026-12-02 11:40:00

"""
import sqlalchemy as sa
from alembic import op

from app.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'h13i_sender_client_certificate'
down_revision = 'h13g_desk_tree_kind'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('senders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_cert_sha256', sa.String(length=64),
                                      nullable=True))
        batch_op.add_column(sa.Column('client_cert_subject', sa.String(length=1000),
                                      nullable=True))
        batch_op.add_column(sa.Column('client_cert_not_after', UTCDateTime(), nullable=True))
    op.create_index(op.f('ix_senders_client_cert_sha256'), 'senders', ['client_cert_sha256'],
                    unique=True)


def downgrade():
    op.drop_index(op.f('ix_senders_client_cert_sha256'), table_name='senders')
    with op.batch_alter_table('senders', schema=None) as batch_op:
        batch_op.drop_column('client_cert_not_after')
        batch_op.drop_column('client_cert_subject')
        batch_op.drop_column('client_cert_sha256')
