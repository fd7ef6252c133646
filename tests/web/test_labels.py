"""Every part of a document's details is labelled in the reader's language."""

from __future__ import annotations

import pytest

from app.formats.jsoncodec import document_to_json
from app.web.labels import LABELS
from qujat_demo.samples import SAMPLE_KINDS, sample_document


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_every_detail_of_every_kind_has_a_russian_and_kazakh_label(app, kind):
    details = document_to_json(sample_document(kind, seed=1), contents=False)["details"]
    for language in ("ru", "kk"):
        with app.test_request_context(headers={"Accept-Language": language}):
            unlabelled = [k for k in sorted(_keys(details))
                          if not any("\u0400" <= c <= "\u04ff" for c in LABELS.detail(k))]
            assert not unlabelled, f"{kind}, {language}: no label for {unlabelled}"
