"""The benchmark command runs and reports every figure (timings themselves are not asserted)."""
from __future__ import annotations

from scorer.bench import documents, run


def test_documents_are_distinct_and_sized(shared) -> None:
    docs = list(documents(50, words=600))
    assert len(set(docs)) == 50
    assert all(len(d.split()) == 600 for d in docs)


def test_benchmark_reports_every_figure(shared) -> None:
    result = run(n=20, words=200, yardstick=True)
    for key in ("no_reference", "with_reference", "readability_quality_only", "textstat_eight_formulas"):
        assert result[key]["docs_per_second"] > 0
    assert set(result["ratio_vs_textstat"]) == {"full_scorer_no_reference", "full_scorer_with_reference",
                                                "readability_quality_only"}
    assert result["startup"]["ready_seconds"] >= result["startup"]["import_seconds"] > 0
    assert result["peak_rss_mb"] > 0
