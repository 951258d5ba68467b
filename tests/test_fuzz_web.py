"""Property tests: nothing typed into the playground makes the server fail. Random text and
mutated example routines go to every endpoint that takes text (lint, format, timeline),
saved or not; each answers 200 with diagnostics (and a document or formatted text where
the text allows), never an error. The ``ci`` fuzz profile (tests/fuzzing.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import fuzzing
import pytest
from conftest import EXAMPLES
from fuzzing import mutated_routines, random_texts
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from dsl.web.server import create_app

FUZZ = fuzzing.profile()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("served")
    for path in EXAMPLES.glob("*.stretch"):
        shutil.copy(path, folder)
    with TestClient(create_app(folder), base_url="http://127.0.0.1:8700") as made:
        yield made


def _every_endpoint(client: TestClient, text: str, path: str | None) -> None:
    for endpoint in ("/api/lint", "/api/format", "/api/timeline"):
        response = client.post(endpoint, json={"path": path, "text": text})
        assert response.status_code == 200, (endpoint, response.text)
        answer = response.json()
        for diagnostic in answer["diagnostics"]:
            assert diagnostic["line"] >= 1 and diagnostic["column"] >= 1
            assert diagnostic["code"] and diagnostic["message"]
        if endpoint == "/api/format" and answer["formatted"] is None:
            assert any(d["severity"] == "error" for d in answer["diagnostics"])


names = st.sampled_from([None, "morning-legs.stretch", "new.stretch", "sub/x.stretch"])


@FUZZ
@given(random_texts, names)
def test_random_text_gets_diagnostics_from_every_endpoint(client: TestClient, text: str,
                                                          path: str | None) -> None:
    _every_endpoint(client, text, path)


@FUZZ
@given(mutated_routines(), names)
def test_mutated_routines_get_diagnostics_from_every_endpoint(client: TestClient, text: str,
                                                              path: str | None) -> None:
    _every_endpoint(client, text, path)
