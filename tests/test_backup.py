"""``qujat backup`` / ``qujat restore``: a database with documents (RSA, GOST, one whose
signature fails, attachments), a department tree with heads (a cycle of references) and
the audit chain, backed up, restored into an EMPTY database of the same kind, and every
document's bytes and signature verified again there; the restored database backs up to
the very same files."""

from __future__ import annotations

import json
import shutil
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, make_url, select, text

from app import create_app
from app.auth.models import Role
from app.backup import BackupError, backup, check, restore
from app.documents.counts import state_counts
from app.documents.models import Document
from app.documents.storage import blob_store
from app.extensions import db
from app.formats.model import Attachment as SentAttachment
from app.trust import current_policy
from app.xmlsig.report import Indication
from tests.conftest import PASSWORD, SENDER_TOKENS, Portal, app_config


@pytest.fixture
def empty_database(database_url, tmp_path):
    """Makes URLs of empty databases of the suite's kind (on PostgreSQL, a schema each,
    dropped afterwards)."""
    url = make_url(database_url)
    admin = create_engine(url) if url.get_backend_name() != "sqlite" else None
    schemas: list[str] = []

    def make() -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.db'}"
        schema = f"backup_{uuid.uuid4().hex[:12]}"
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)

    yield make
    if admin is not None:
        with admin.begin() as connection:
            for schema in schemas:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def apps(pki, empty_database, tmp_path):
    made = []

    def make(name: str):
        app = create_app(app_config(pki, empty_database(), tmp_path / name / "blobs"))
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _fill(app, pki) -> None:
    """An office at work: users, two departments with heads, portals, documents."""
    from app.auth.service import create_user
    from app.documents.senders import add_sender
    from app.org.service import add_department, set_head
    from app.setup import seed_journals, upgrade_schema

    with app.app_context():
        upgrade_schema()
        seed_journals()
        for code, token in SENDER_TOKENS.items():
            add_sender(code=code, name=f"{code} portal", token=token)
        head = create_user(login="head", full_name="Head", password=PASSWORD, roles=[Role.HEAD])
        sub = create_user(login="sub", full_name="Sub", password=PASSWORD, roles=[Role.HEAD])
        top = add_department(code="TOP", name="Management")
        db.session.flush()
        lower = add_department(code="LOW", name="Roads", parent="TOP")
        db.session.flush()
        set_head(top, head)
        set_head(lower, sub)
        db.session.commit()
    portal = Portal(pki, app.test_client())
    annex = SentAttachment.of(file_name="annex.txt", media_type="text/plain",
                              content="қосымша\n".encode() * 1000)
    answers = [portal.send("appeal", attachments=(annex,)),
               portal.send("appeal", key="gost_individual_sign"),
               portal.send("appeal", key="individual_auth"),  # FAILED: an authentication key
               portal.send("licence-new", sender="ELICENSE")]
    assert [a.status_code for a in answers] == [202] * 4, [a.text for a in answers]


def test_a_backup_restores_into_an_empty_database_and_verifies_again(apps, pki, tmp_path):
    source = apps("source")
    _fill(source, pki)
    with source.app_context():
        manifest = backup(tmp_path / "backup", store=blob_store())
        indications = dict(db.session.execute(select(Document.id, Document.indication)).all())
    assert manifest["tables"]["documents"]["rows"] == 4
    assert manifest["blobs"] >= 5  # four documents and an attachment
    assert sorted(indications.values()) == sorted(
        [Indication.PASSED, Indication.PASSED, Indication.PASSED, Indication.FAILED])

    target = apps("target")
    with target.app_context():
        restored = restore(tmp_path / "backup", store=blob_store(), policy=current_policy())
        assert restored.problems == []
        assert restored.documents == 4
        assert restored.blobs == manifest["blobs"]
        assert dict(db.session.execute(select(Document.id, Document.indication)).all()) \
            == indications
        # the counts per state are not in the backup: the restored documents count again
        assert sum(state_counts().values()) == 4
        again = backup(tmp_path / "again", store=blob_store())
    for name, table in manifest["tables"].items():
        assert again["tables"][name] == table, name
    assert again["blobs"] == manifest["blobs"]

    # the restored office works on: a new document gets the next id
    answer = Portal(pki, target.test_client()).send("appeal", sender_document_id="AFTER-1")
    assert answer.status_code == 202
    assert answer.json["id"] == max(indications) + 1


def test_the_check_after_a_restore_finds_a_verdict_that_no_longer_holds(apps, pki, tmp_path):
    source = apps("source")
    _fill(source, pki)
    with source.app_context():
        backup(tmp_path / "backup", store=blob_store())
    target = apps("target")
    with target.app_context():
        restore(tmp_path / "backup", store=blob_store(), policy=current_policy())
        failed = db.session.scalar(select(Document).where(
            Document.indication == Indication.FAILED))
        failed.indication = Indication.PASSED  # as if someone had rewritten the verdict
        failed_id = failed.id
        db.session.flush()
        from app.backup import Restored

        found = Restored(tables={}, blobs=0)
        check(found, store=blob_store(), policy=current_policy())
    assert found.problems == [
        f"document {failed_id}: its signature now verifies FAILED, at intake PASSED"]


def test_restore_refuses_a_database_with_rows_and_a_changed_backup(apps, pki, tmp_path):
    source = apps("source")
    _fill(source, pki)
    with source.app_context():
        backup(tmp_path / "backup", store=blob_store())
        with pytest.raises(BackupError, match="not empty"):
            restore(tmp_path / "backup", store=blob_store(), policy=current_policy())
        with pytest.raises(BackupError, match="not empty"):
            backup(tmp_path / "backup", store=blob_store())
    changed = tmp_path / "changed"
    shutil.copytree(tmp_path / "backup", changed)
    documents = changed / "tables" / "documents.jsonl"
    documents.write_text(documents.read_text().replace('"PASSED"', '"FAILED"', 1))
    target = apps("target")
    with target.app_context():
        with pytest.raises(BackupError, match="differs from the manifest"):
            restore(changed, store=blob_store(), policy=current_policy())


def test_the_commands_back_up_and_restore(apps, pki, tmp_path):
    from app.cli import cli

    source = apps("source")
    _fill(source, pki)
    made = CliRunner().invoke(cli, ["backup", str(tmp_path / "b")], obj=_script(source))
    assert made.exit_code == 0, made.output
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert f"{manifest['blobs']} blobs." in made.output
    target = apps("target")
    done = CliRunner().invoke(cli, ["restore", str(tmp_path / "b")], obj=_script(target))
    assert done.exit_code == 0, done.output
    assert f"and {manifest['blobs']} blobs; 4 documents checked again" in done.output


def _script(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
