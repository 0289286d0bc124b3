"""Sources: domains offline, ratings tables, empirical-Bayes aggregation, `scorer sources`."""
from __future__ import annotations

import json
import math
import socket

import pytest

from scorer import sources
from scorer.cli import main
from scorer.errors import ConfigError, InputError
from scorer.sources import (
    DocScore,
    SourceKey,
    aggregate,
    detect_ratings_format,
    load_ratings,
    registered_domain,
    source_of,
    source_table,
)
from tests.fakes import fake_score


@pytest.mark.parametrize(
    "url, domain",
    [
        ("https://www.bbc.co.uk/news/world-123", "bbc.co.uk"),
        ("http://news.bbc.co.uk/2/hi/", "bbc.co.uk"),
        ("edition.cnn.com/2022/01/12/x", "cnn.com"),
        ("https://user:pw@WWW.Reuters.COM:8443/a?b=c", "reuters.com"),
        ("https://someone.blogspot.com/2022/01/post.html", "someone.blogspot.com"),
        ("https://www.blogspot.com", "blogspot.com"),
        ("http://192.168.0.1/page", None),
        ("http://localhost:8000/", None),
        ("not a url", None),
        ("", None),
    ],
)
def test_registered_domain(url, domain):
    assert registered_domain(url) == domain


def test_domains_come_from_the_bundled_suffix_list_without_any_network(monkeypatch, tmp_path):
    def no_network(*args, **kwargs):
        raise AssertionError("tldextract tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path / "cache"))
    sources._extractor.cache_clear()
    registered_domain.cache_clear()
    try:
        assert registered_domain("https://www.theguardian.co.uk/x") == "theguardian.co.uk"
        assert sources._extractor().suffix_list_urls == ()
        assert not (tmp_path / "cache").exists()  # nothing fetched, nothing cached
    finally:
        sources._extractor.cache_clear()
        registered_domain.cache_clear()


@pytest.mark.parametrize(
    "record, expected",
    [
        ({"source": "BBC News", "url": "https://www.reuters.com/x"}, SourceKey("BBC News", "field")),
        ({"source": " WWW.Reuters.com "}, SourceKey("reuters.com", "field")),
        ({"url": "https://www.nytimes.com/2022/01/12/world/nato.html"}, SourceKey("nytimes.com", "url")),
        ({"url": "https://bit.ly/3abc"}, SourceKey(None, "unresolved_shortener")),
        ({"url": "https://t.co/xyz", "expanded_url": "https://www.apnews.com/a"}, SourceKey("apnews.com", "expanded_url")),
        ({"url": "https://bit.ly/3abc", "final_url": "https://goo.gl/zz"}, SourceKey(None, "unresolved_shortener")),
        ({"url": "https://nyti.ms/3xyz"}, SourceKey("nytimes.com", "branded_shortener")),
        ({"expanded_url": "https://news.sky.com/story"}, SourceKey("sky.com", "url")),
        ({"url": "http://10.0.0.1/x"}, SourceKey(None, "bad_url")),
        ({"text": "no url"}, SourceKey(None, "no_url")),
        ({"source": "", "url": "https://www.ft.com/content/1"}, SourceKey("ft.com", "url")),
    ],
)
def test_source_of(record, expected):
    assert source_of(record) == expected


def test_source_of_uses_configured_field_names():
    assert source_of({"outlet": "Le Monde", "link": "https://x.fr"}, source_field="outlet") == SourceKey("Le Monde", "field")
    assert source_of({"link": "https://www.lemonde.fr/a"}, url_field="link") == SourceKey("lemonde.fr", "url")


# --------------------------------------------------------------------------- ratings


def test_lin2023_ratings(shared):
    folder = shared / "data" / "sources" / "lin2023"
    ratings = load_ratings(folder)  # a folder means its domain_pc1.csv
    assert len(ratings) > 11_000
    assert ratings["reuters.com"] == 1.0
    assert ratings["infowars.com"] < 0.1 < ratings["breitbart.com"] < 0.5 < ratings["nytimes.com"]
    # 'theguardian.com/observer' is a section: it must not overwrite the domain's own rating
    assert ratings["theguardian.com"] == pytest.approx(0.74959222370997)
    assert all(0.0 <= v <= 1.0 for v in ratings.values())
    assert load_ratings(folder / "domain_ratings.csv")["reuters.com"] == 1.0


def test_baly2018_ratings(shared):
    ratings = load_ratings(shared / "data" / "sources" / "baly2018" / "emnlp18" / "corpus.tsv")
    assert ratings["villagevoice.com"] == 1.0  # high
    assert ratings["freebeacon.com"] == 0.5  # mixed
    assert ratings["fury.news"] == 0.0  # low
    assert set(ratings.values()) <= {0.0, 0.5, 1.0}
    assert len(ratings) > 1000


def test_ratings_format_detection_and_override(tmp_path):
    assert detect_ratings_format(["domain", "pc1", "afm"]) == "lin2023"
    assert detect_ratings_format(["source_url", "source_url_normalized", "ref", "fact", "bias"]) == "baly2018"
    with pytest.raises(ConfigError, match="unknown ratings format"):
        detect_ratings_format(["name", "score"])
    table = tmp_path / "mine.csv"
    table.write_text("domain,pc1\nwww.example.com,0.25\nnews.example.com,0.75\nbad.org,n/a\n", encoding="utf-8")
    assert load_ratings(table, "lin2023") == {"example.com": 0.25}  # the domain's own row wins over a subdomain
    with pytest.raises(ConfigError, match="no usable ratings"):
        load_ratings(table, "baly2018")
    with pytest.raises(ConfigError, match="no such ratings file"):
        load_ratings(tmp_path / "missing.csv")


# --------------------------------------------------------------------------- aggregation


def docs(source: str, scores: list[float], spin: int = 0, refs: int = 0, cons: int = 0) -> list[DocScore]:
    return [DocScore(source, s, i < spin, i < cons, i < refs) for i, s in enumerate(scores)]


def test_few_documents_are_shrunk_toward_the_corpus_mean():
    corpus = docs("good.com", [0.85, 0.95] * 25) + docs("bad.com", [0.05, 0.15] * 25) + docs("one.com", [1.0])
    rows = {r.source: r for r in aggregate(corpus)}
    grand = (0.9 * 50 + 0.1 * 50 + 1.0) / 101
    one, good = rows["one.com"], rows["good.com"]
    assert one.n == 1 and one.mean == 1.0 and one.prior == pytest.approx(grand)
    assert grand < one.estimate < 1.0
    assert one.shrinkage > good.shrinkage
    assert good.estimate == pytest.approx(0.9, abs=0.01)
    assert good.ci_high - good.ci_low < one.ci_high - one.ci_low
    for r in rows.values():
        assert r.ci_low <= r.estimate <= r.ci_high
    assert [r.source for r in aggregate(corpus)][-1] == "bad.com"  # sorted best first


def test_shrinkage_matches_the_normal_normal_formulas():
    corpus = docs("a.com", [0.2, 0.4]) + docs("b.com", [0.6, 0.8, 1.0]) + docs("c.com", [0.5])
    rows = {r.source: r for r in aggregate(corpus, level=0.9)}
    # pooled within variance: (0.02 + 0.08) / (6 - 3); between: means 0.3, 0.8, 0.5 around 0.6
    sigma2 = 0.1 / 3
    grand = 3.5 / 6
    means = {"a.com": 0.3, "b.com": 0.8, "c.com": 0.5}
    ns = {"a.com": 2, "b.com": 3, "c.com": 1}
    spread = sum((m - grand) ** 2 for m in means.values()) / 2
    tau2 = spread - sum(sigma2 / n for n in ns.values()) / 3
    for s, r in rows.items():
        b = (sigma2 / ns[s]) / (sigma2 / ns[s] + tau2)
        assert r.shrinkage == pytest.approx(b)
        assert r.estimate == pytest.approx(b * grand + (1 - b) * means[s])
        half = 1.6448536269514722 * math.sqrt((1 - b) * sigma2 / ns[s])
        assert r.ci_high - r.ci_low == pytest.approx(2 * half) or r.ci_high == 1.0 or r.ci_low == 0.0


def test_ratings_move_the_prior_of_rated_sources_only():
    corpus = (
        docs("hi.com", [0.9, 0.8, 0.85])
        + docs("mid.com", [0.5, 0.55])
        + docs("lo.com", [0.1, 0.2, 0.15])
        + docs("new.com", [0.7])
    )
    plain = {r.source: r for r in aggregate(corpus)}
    rated = {r.source: r for r in aggregate(corpus, ratings={"hi.com": 1.0, "mid.com": 0.5, "lo.com": 0.0})}
    assert rated["hi.com"].rating == 1.0 and rated["new.com"].rating is None
    assert rated["hi.com"].prior > plain["hi.com"].prior
    assert rated["lo.com"].prior < plain["lo.com"].prior
    assert rated["new.com"].prior == pytest.approx(plain["new.com"].prior)  # unrated: the corpus mean
    # with fewer rated sources than needed for a line, the rating itself is the prior
    few = {r.source: r for r in aggregate(corpus, ratings={"new.com": 0.2})}
    assert few["new.com"].prior == 0.2 and few["new.com"].estimate < plain["new.com"].estimate


def test_finding_shares_and_reference_counts():
    corpus = docs("x.com", [0.5] * 4, spin=1, refs=2, cons=1) + docs("y.com", [0.4, 0.6], spin=2)
    rows = {r.source: r for r in aggregate(corpus)}
    assert rows["x.com"].spin_share == 0.25
    assert rows["x.com"].n_reference == 2 and rows["x.com"].consistency_share == 0.5
    assert rows["y.com"].spin_share == 1.0
    assert rows["y.com"].consistency_share is None and rows["y.com"].n_reference == 0


def test_aggregate_edge_cases():
    assert aggregate([]) == []
    (only,) = aggregate(docs("solo.com", [0.3, 0.5]))
    assert only.estimate == pytest.approx(0.4) and only.ci_low < 0.4 < only.ci_high
    with pytest.raises(InputError, match="not a finite number"):
        aggregate([DocScore("x.com", math.nan, False, False, False)])
    with pytest.raises(ConfigError, match="between 0 and 1"):
        aggregate(docs("x.com", [0.5]), level=95)


def test_records_are_frozen():
    (row,) = aggregate(docs("x.com", [0.5]))
    with pytest.raises(AttributeError):
        row.estimate = 1.0  # type: ignore[misc]


# --------------------------------------------------------------------------- corpus -> table, CLI




def batch_rows(tmp_path):
    """A small `scorer batch` output: three sources, one unresolved document."""
    rows = [
        {"id": "1", "source": "good.com", "url": None, "score": 0.9, "findings": [], "has_reference": False},
        {"id": "2", "source": "good.com", "url": None, "score": 0.8, "findings": [], "has_reference": False},
        {"id": "3", "source": None, "url": "https://www.bad.org/x", "score": 0.2,
         "findings": [{"family": "spin", "code": "spin.substitution"}], "has_reference": True},
        {"id": "4", "source": None, "url": "https://bit.ly/x", "score": 0.5, "findings": [], "has_reference": False},
    ]
    path = tmp_path / "scored.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_source_table_from_batch_output(tmp_path):
    rows = source_table(batch_rows(tmp_path))
    assert [(r.source, r.n) for r in rows] == [("good.com", 2), ("bad.org", 1)]
    bad = rows[1]
    assert bad.spin_share == 1.0 and bad.n_reference == 1 and bad.consistency_share == 0.0


def test_source_table_scores_raw_records_with_an_injected_scorer(tmp_path):
    raw = tmp_path / "raw.jsonl"
    lines = [
        {"id": "a", "text": "Short text here.", "url": "https://www.alpha.com/1"},
        {"id": "b", "text": "A somewhat longer text, with spin in it.", "url": "https://alpha.com/2"},
        {"id": "c", "text": "Another one.", "source": "Beta Times"},
        {"id": "d", "text": ""},
    ]
    raw.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    got = sources.collect(raw, score_fn=fake_score)
    assert got.failed == 1 and got.unresolved == 0
    by = {r.source: r for r in aggregate(got.docs)}
    assert by["alpha.com"].n == 2 and by["alpha.com"].spin_share == 0.5
    assert by["Beta Times"].n == 1


def test_documents_that_are_not_english_prose_say_nothing_of_their_source(tmp_path, capsys):
    """Their score is capped at 0.1 (``Report.out_of_scope``): a bilingual outlet is not rated down for its other
    language. Left out of the table, counted in a note; a CSV's empty cell means in scope."""
    rows = [
        {"id": "1", "source": "two.com", "score": 0.9, "findings": [], "out_of_scope": None},
        {"id": "2", "source": "two.com", "score": 0.1, "findings": [], "out_of_scope": "quality.not_english"},
        {"id": "3", "source": "two.com", "score": 0.8, "findings": []},
    ]
    path = tmp_path / "scored.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    got = sources.collect(path)
    assert got.out_of_scope == 1 and [d.score for d in got.docs] == [0.9, 0.8]
    assert main(["sources", str(path)]) == 0
    assert "1 documents that are not English prose (out_of_scope) were left out" in capsys.readouterr().err
    csv_path = tmp_path / "scored.csv"
    csv_path.write_text("id,source,score,out_of_scope\n1,two.com,0.9,\n2,two.com,0.1,quality.not_english\n",
                        encoding="utf-8")
    assert sources.collect(csv_path).out_of_scope == 1


def test_cli_sources_formats(tmp_path, capsys):
    path = batch_rows(tmp_path)
    assert main(["sources", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split()[:4] == ["source", "n", "mean", "shrunk"]
    assert "good.com" in out and "1 documents without a resolvable source" in err
    assert main(["sources", str(path), "--format", "json", "--level", "0.8"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["source"] for d in data] == ["good.com", "bad.org"]
    assert set(data[0]) == set(sources.FIELDS)
    out_csv = tmp_path / "t.csv"
    assert main(["sources", str(path), "--format", "csv", "-o", str(out_csv), "--min-docs", "2"]) == 0
    lines = out_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(sources.FIELDS) and len(lines) == 2 and lines[1].startswith("good.com,2,")


def test_cli_sources_with_ratings(shared, tmp_path, capsys):
    path = batch_rows(tmp_path)
    lin = shared / "data" / "sources" / "lin2023" / "domain_pc1.csv"
    assert main(["sources", str(path), "--ratings", str(lin), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(d["rating"] is None for d in data)  # neither outlet is in Lin et al.
    assert main(["sources", str(path), "--ratings", str(tmp_path / "nope.csv")]) == 2
    assert "no such ratings file" in capsys.readouterr().err
