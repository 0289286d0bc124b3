"""The benchmark command runs and reports every figure (timings themselves are not asserted)."""
from __future__ import annotations

from scorer.bench import documents, run


def test_documents_are_distinct_and_sized(shared) -> None:
    docs = list(documents(50, words=600))
    assert len(set(docs)) == 50
    assert all(len(d.split()) == 600 for d in docs)


def test_benchmark_reports_every_figure(shared) -> None:
    result = run(n=20, words=200, yardstick=True)
    for key in ("no_reference", "with_reference", "with_shared_reference", "readability_quality_only",
                "textstat_eight_formulas"):
        assert result[key]["docs_per_second"] > 0
    assert set(result["ratio_vs_textstat"]) == {"full_scorer_no_reference", "full_scorer_with_reference",
                                                "readability_quality_only"}
    assert result["startup"]["ready_seconds"] >= result["startup"]["import_seconds"] > 0
    assert result["peak_rss_mb"] >= result["peak_rss_mb_scorer_only"] > 0


def test_reference_windows_overlap_the_document_by_half(shared) -> None:
    doc = next(documents(1, words=100))
    ref = next(documents(1, words=100, shift=50))
    assert doc != ref
    # paragraph breaks count in the shift, so the overlap is close to, not exactly, half
    assert " ".join(ref.split()[:30]) in " ".join(doc.split()[40:])


def test_sweep_reports_each_n_and_linearity(shared) -> None:
    from scorer.bench import sweep

    result = sweep([10, 20], words=100)
    assert [r["n"] for r in result["rows"]] == [10, 20]
    assert all(r["no_reference_docs_per_second"] > 0 and r["peak_rss_mb"] > 0 for r in result["rows"])
    assert set(result["linearity"]) == {"no_reference", "with_reference"}


def test_bench_rejects_an_out_of_range_n() -> None:
    import pytest

    from scorer.bench import main

    with pytest.raises(SystemExit) as err:
        main(["--n", "0"])
    assert err.value.code == 2
