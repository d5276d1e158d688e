"""The labelled evaluation set stays above target: ≥ 90 % right in scope, ≤ 3 % answered out."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from bridge.faq import FaqBase
from tests.faq.conftest import ROOT

HERE = Path(__file__).parent


def _bench():
    spec = importlib.util.spec_from_file_location("faq_eval", ROOT / "bench" / "faq_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("faq_eval", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_eval_set_is_big_and_a_third_out_of_scope(piki: FaqBase) -> None:
    cases = _bench().load_cases(HERE / "eval.yaml")
    out = [c for c in cases if c.expect == "none"]
    assert len(cases) >= 150 and len(out) >= len(cases) / 3
    assert {c.lang for c in cases} == {"fi", "sv", "en"}
    ids = {entry.id for entry in piki}
    assert {c.expect for c in cases if c.expect != "none"} <= ids


def test_eval_targets(piki: FaqBase) -> None:
    bench = _bench()
    result = bench.run(piki, bench.load_cases(HERE / "eval.yaml"))
    assert result.accuracy >= 0.90, result.misses
    assert result.out_rate <= 0.03, result.misses
    assert result.wrong <= 2, result.misses


def test_held_out_set_stays_close(piki: FaqBase) -> None:
    bench = _bench()
    result = bench.run(piki, bench.load_cases(HERE / "holdout.yaml"))
    assert result.accuracy >= 0.85, result.misses
    assert result.out_rate <= 0.07, result.misses


def test_day_one_set_is_independent_and_big_enough() -> None:
    from bridge.faq import load_faq

    faq = load_faq(HERE / "dayone" / "faq.yaml", matcher="lexical")
    assert len(faq) == 10 and not any(entry.keywords for entry in faq)
    assert all(1 <= len(qs) <= 2 for entry in faq for qs in entry.questions.values())
    cases = _bench().load_cases(HERE / "dayone" / "questions.yaml")
    assert len(cases) >= 80 and sum(c.expect == "none" for c in cases) >= 20
    assert {c.lang for c in cases} == {"fi", "sv", "en"}
    assert {c.expect for c in cases if c.expect != "none"} == {entry.id for entry in faq}


def test_fresh_set_is_big_and_covers_every_entry(piki: FaqBase) -> None:
    cases = _bench().load_cases(HERE / "fresh.yaml")
    out = [c for c in cases if c.expect == "none"]
    assert len(cases) >= 150 and len(out) >= 40
    assert {c.lang for c in cases} == {"fi", "sv", "en"}
    assert {c.expect for c in cases if c.expect != "none"} == {entry.id for entry in piki}


def test_hybrid_figures_hold_on_the_fresh_set_and_in_the_sparse_mode(piki: FaqBase) -> None:
    # Guards against regressions at the figures of docs/faq.md (measured 75.6 % / 2.2 % and,
    # sparse, 68.2 % / 0.9 %); the words-only matcher scores 61.5 % and 48.3 % on the same.
    bench = _bench()
    assert piki.kind == "hybrid"
    fresh = bench.run(piki, bench.load_cases(HERE / "fresh.yaml"))
    assert fresh.accuracy >= 0.73 and fresh.out_rate <= 0.05, fresh.misses
    sparse = bench.from_entries([bench.sparse(e) for e in piki.entries], piki.settings)
    result = bench.run(sparse, bench.load_cases(HERE / "eval.yaml"))
    assert result.accuracy >= 0.67 and result.out_rate <= 0.03, result.misses


def test_the_lead_over_the_next_entry_counts_in_the_sparse_mode(piki: FaqBase) -> None:
    # A clear lead of one entry and its own words make a lower similarity enough: measured
    # 68.2 % / 0.9 % (eval.yaml) and 43.3 % (the other examples) against 64.0 % and 39.5 %
    # with a threshold and a fixed margin alone (docs/faq.md).
    bench = _bench()
    kept = [bench.sparse(e) for e in piki.entries]
    sparse = bench.from_entries(kept, piki.settings)
    result = bench.run(sparse, bench.load_cases(HERE / "eval.yaml"))
    assert result.accuracy >= 0.67 and result.out_rate <= 0.03, result.misses
    others = bench.run(sparse, bench.left_out(piki.entries, kept))
    assert others.accuracy >= 0.42, others.misses
