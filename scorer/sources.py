"""From documents to sources: which outlet a record comes from, and how reliable it is.

Two concerns live here:

* **Source of a record** (:func:`source_of`): an explicit ``source`` field
  wins; otherwise the *registered domain* of the URL (``www.`` and other
  subdomains dropped, public suffixes such as ``co.uk`` respected). A link
  shortener (``bit.ly``, ``t.co``) hides the outlet: it is resolved from an
  expanded-URL field of the same record (``expanded_url``, ``final_url``...),
  or, for the outlets' own branded shorteners (``nyti.ms``), from a fixed
  table; otherwise the source is reported as unresolved. Domains come from
  ``tldextract`` with its *bundled* public-suffix snapshot only: no network.

* **Score of a source** (:func:`aggregate`): the mean document score,
  shrunk toward a prior mean by empirical Bayes (normal-normal model, as in
  Fay and Herriot 1979), so a source seen in two documents is not ranked
  above one seen in two hundred. The prior mean is the corpus mean, or, with
  a user-supplied ratings table (Lin et al. 2023 ``pc1`` or Baly et al.
  2018 factuality labels), a linear function of the rating fitted on the
  corpus. The interval is the normal posterior interval of that model.
"""
from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from scorer.errors import ConfigError, InputError

#: Record fields that may hold the URL a shortened link resolves to, most trusted first.
EXPANDED_URL_FIELDS: tuple[str, ...] = (
    "expanded_url",
    "final_url",
    "resolved_url",
    "unshortened_url",
    "canonical_url",
)

#: Generic shorteners: the outlet cannot be known without following the link.
SHORTENERS: frozenset[str] = frozenset(
    {
        "bit.ly", "bitly.com", "t.co", "goo.gl", "ow.ly", "tinyurl.com", "buff.ly", "dlvr.it",
        "is.gd", "ift.tt", "trib.al", "lnkd.in", "fb.me", "wp.me", "tiny.cc", "rebrand.ly",
        "shorturl.at", "cutt.ly", "rb.gy", "soo.gd", "s.id", "t.ly", "v.gd", "qr.ae", "po.st",
        "su.pr", "mvnt.us", "flip.it", "hubs.ly", "j.mp", "amzn.to", "msft.it", "smarturl.it",
    }
)

#: Outlets' own branded shorteners: the outlet is known without following the link.
BRANDED_SHORTENERS: Mapping[str, str] = {
    "nyti.ms": "nytimes.com",
    "wapo.st": "washingtonpost.com",
    "bbc.in": "bbc.co.uk",
    "reut.rs": "reuters.com",
    "cnn.it": "cnn.com",
    "apne.ws": "apnews.com",
    "politi.co": "politico.com",
    "econ.st": "economist.com",
    "hill.cm": "thehill.com",
    "fxn.ws": "foxnews.com",
    "bloom.bg": "bloomberg.com",
    "huff.to": "huffpost.com",
    "usat.ly": "usatoday.com",
    "gu.com": "theguardian.com",
    "ind.pn": "independent.co.uk",
    "dailym.ai": "dailymail.co.uk",
    "nbcnews.to": "nbcnews.com",
    "ti.me": "time.com",
    "on.wsj.com": "wsj.com",
    "on.ft.com": "ft.com",
}

How = Literal["field", "url", "expanded_url", "branded_shortener", "unresolved_shortener", "no_url", "bad_url"]


@dataclass(frozen=True, slots=True)
class SourceKey:
    """The source of one record and how it was found (``source`` is None when unknown)."""

    source: str | None
    how: How


@lru_cache(maxsize=1)
def _extractor() -> Any:
    """tldextract on its bundled public-suffix snapshot: never fetches, never caches to disk."""
    import tldextract

    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True, include_psl_private_domains=True
    )


def _host(url: str) -> str:
    """Lower-case host of a URL, also for bare ``example.com/path`` without a scheme."""
    url = url.strip()
    if "://" not in url and not url.startswith("//"):
        url = "//" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.strip(".").lower()


@lru_cache(maxsize=65536)
def registered_domain(url: str) -> str | None:
    """``https://www.news.bbc.co.uk/x`` -> ``bbc.co.uk``; None for IPs, localhost, garbage.

    Private suffixes of the public-suffix list count as suffixes, so each
    ``name.blogspot.com`` or ``name.github.io`` is its own source; the bare
    platform (``blogspot.com``) stays itself.
    """
    host = _host(url)
    if not host or any(c.isspace() for c in host):
        return None
    if host.startswith("www.") and host.count(".") > 1:
        host = host[4:]
    ext = _extractor()(host)
    domain = getattr(ext, "top_domain_under_public_suffix", None)
    if domain is None:  # tldextract < 5.3
        domain = ext.registered_domain
    if not domain and ext.is_private and ext.suffix == host:
        domain = host
    return domain.lower() or None


def _looks_like_domain(name: str) -> bool:
    return "." in name and not any(c.isspace() for c in name)


def _resolve_url(url: str, expanded: str | None) -> SourceKey:
    """Registered domain of ``url``, following a shortener through ``expanded`` when given."""
    host = _host(url)
    domain = registered_domain(url)
    if domain is None:
        return SourceKey(None, "bad_url")
    for key in (host, host.removeprefix("www."), domain):
        if key in BRANDED_SHORTENERS:
            if expanded and (target := registered_domain(expanded)):
                return SourceKey(target, "expanded_url")
            return SourceKey(BRANDED_SHORTENERS[key], "branded_shortener")
    if domain in SHORTENERS or host in SHORTENERS:
        if expanded and (target := registered_domain(expanded)) and target not in SHORTENERS:
            return SourceKey(target, "expanded_url")
        return SourceKey(None, "unresolved_shortener")
    return SourceKey(domain, "url")


def source_of(record: Mapping[str, Any], *, source_field: str = "source", url_field: str = "url") -> SourceKey:
    """The source of a record: explicit field, else the URL's registered domain.

    An explicit source that looks like a domain or URL is normalised the same
    way (``www.BBC.co.uk`` -> ``bbc.co.uk``); any other name (``BBC News``)
    is kept as written, stripped.
    """
    explicit = record.get(source_field)
    if isinstance(explicit, str) and explicit.strip():
        name = explicit.strip()
        if _looks_like_domain(name) and (domain := registered_domain(name)):
            return SourceKey(domain, "field")
        return SourceKey(name, "field")
    url = record.get(url_field)
    expanded = next(
        (v for f in EXPANDED_URL_FIELDS if isinstance(v := record.get(f), str) and v.strip()),
        None,
    )
    if isinstance(url, str) and url.strip():
        return _resolve_url(url, expanded)
    if expanded:
        return _resolve_url(expanded, None)
    return SourceKey(None, "no_url")


# --------------------------------------------------------------------------- ratings (priors)

RatingsFormat = Literal["lin2023", "baly2018"]
#: Baly et al. factuality labels on the 0..1 scale of Lin et al.'s pc1 (documented choice).
BALY_FACT_SCALE: Mapping[str, float] = {"low": 0.0, "mixed": 0.5, "high": 1.0}


def detect_ratings_format(header: Sequence[str]) -> RatingsFormat:
    """Which ratings layout a header is: ``domain,pc1,...`` or ``source_url...fact``."""
    cols = {c.strip().lower() for c in header}
    if {"domain", "pc1"} <= cols:
        return "lin2023"
    if "fact" in cols and ({"source_url", "source_url_normalized"} & cols):
        return "baly2018"
    raise ConfigError(
        f"unknown ratings format (columns {sorted(cols)[:6]}); expected Lin et al. 2023 "
        "(domain, pc1) or Baly et al. 2018 (source_url, fact); or pass --ratings-format"
    )


def _ratings_path(path: Path) -> Path:
    """A ratings folder means its obvious file (``domain_pc1.csv`` or ``corpus.tsv``)."""
    if path.is_dir():
        for name in ("domain_pc1.csv", "domain_ratings.csv", "corpus.tsv"):
            if (path / name).is_file():
                return path / name
        raise ConfigError(f"{path}: no domain_pc1.csv, domain_ratings.csv or corpus.tsv in this folder")
    if not path.is_file():
        raise ConfigError(f"{path}: no such ratings file")
    return path


def load_ratings(path: str | Path, fmt: RatingsFormat | None = None) -> dict[str, float]:
    """Read a user's ratings table into ``{registered domain: rating in [0, 1]}``.

    Lin et al. 2023: the ``pc1`` column. Baly et al. 2018: the ``fact`` label
    mapped by :data:`BALY_FACT_SCALE`. Several rows for one domain (Baly's
    ``newyorker.com-humor-...`` sections) keep the row for the domain itself,
    else the mean of the sections.
    """
    p = _ratings_path(Path(path))
    with open(p, encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        fh.seek(0)
        reader = csv.DictReader(fh, delimiter=delimiter)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        fmt = fmt or detect_ratings_format(header)
        exact: dict[str, float] = {}
        sections: dict[str, list[float]] = {}
        for row in reader:
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            parsed = _rating_row(row, fmt)
            if parsed is None:
                continue
            domain, value, is_exact = parsed
            if is_exact:
                exact[domain] = value
            else:
                sections.setdefault(domain, []).append(value)
    out = {d: sum(v) / len(v) for d, v in sections.items()}
    out.update(exact)
    if not out:
        raise ConfigError(f"{p}: no usable ratings in this {fmt} table")
    return out


def _rating_row(row: Mapping[str, str], fmt: RatingsFormat) -> tuple[str, float, bool] | None:
    """(domain, rating, names the domain itself) for one row, or None if unusable."""
    if fmt == "lin2023":
        name, raw = row.get("domain", ""), row.get("pc1", "")
        try:
            value = float(raw)
        except ValueError:
            return None
    else:
        label = row.get("fact", "").lower()
        if label not in BALY_FACT_SCALE:
            return None
        value = BALY_FACT_SCALE[label]
        name = row.get("source_url") or row.get("source_url_normalized", "")
    if not math.isfinite(value) or not name:
        return None
    domain = registered_domain(name)
    if domain is None:
        return None
    return domain, min(1.0, max(0.0, value)), _names_domain_itself(name, domain, row.get("source_url_normalized", ""))


def _names_domain_itself(name: str, domain: str, normalized: str = "") -> bool:
    """True for ``www.bbc.co.uk/``, False for ``news.bbc.co.uk`` or ``theguardian.com/observer``."""
    host = _host(name).removeprefix("www.")
    bare = name if "://" in name or name.startswith("//") else "//" + name
    try:
        path = urlsplit(bare.strip()).path
    except ValueError:
        return False
    return host == domain and path in ("", "/") and normalized.lower() in ("", domain)


# --------------------------------------------------------------------------- aggregation


@dataclass(frozen=True, slots=True)
class DocScore:
    """What aggregation needs from one scored document."""

    source: str
    score: float
    spin: bool
    consistency: bool
    has_reference: bool


@dataclass(frozen=True, slots=True)
class SourceScore:
    """One source's reliability: raw mean, shrunk estimate and its interval.

    ``estimate`` is the empirical-Bayes posterior mean and ``ci_low``/
    ``ci_high`` its normal posterior interval at the requested level, clipped
    to [0, 1]. ``prior`` is the prior mean the estimate was shrunk toward and
    ``rating`` the user's rating of the domain (None when unrated or without a
    ratings table). ``consistency_share`` is over the documents that had a
    reference (``n_reference``), None when there were none.
    """

    source: str
    n: int
    mean: float
    estimate: float
    ci_low: float
    ci_high: float
    shrinkage: float
    prior: float
    rating: float | None
    spin_share: float
    consistency_share: float | None
    n_reference: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELDS: tuple[str, ...] = tuple(SourceScore.__dataclass_fields__)


def _z(level: float) -> float:
    from statistics import NormalDist

    if not 0.0 < level < 1.0:
        raise ConfigError(f"confidence level must be between 0 and 1, not {level}")
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def _wls_line(x: Sequence[float], y: Sequence[float], w: Sequence[float]) -> tuple[float, float] | None:
    """Weighted least-squares intercept and slope, or None if x does not vary."""
    sw = sum(w)
    mx = sum(wi * xi for wi, xi in zip(w, x)) / sw
    my = sum(wi * yi for wi, yi in zip(w, y)) / sw
    sxx = sum(wi * (xi - mx) ** 2 for wi, xi in zip(w, x))
    if sxx <= 1e-12:
        return None
    slope = sum(wi * (xi - mx) * (yi - my) for wi, xi, yi in zip(w, x, y)) / sxx
    return my - slope * mx, slope


#: Floor on the between-source variance, so a corpus where every source looks
#: alike still lets a source with many documents speak for itself.
MIN_TAU2 = 1e-4
#: Within-source variance used when no source has two documents (a Bernoulli-like guess).
DEFAULT_SIGMA2 = 0.05


def aggregate(
    docs: Iterable[DocScore],
    *,
    ratings: Mapping[str, float] | None = None,
    level: float = 0.95,
    min_rated: int = 3,
) -> list[SourceScore]:
    """Per-source scores with empirical-Bayes shrinkage, sorted by estimate (best first).

    Model: document score ``s_ij ~ N(theta_j, sigma^2)`` and ``theta_j ~
    N(mu_j, tau^2)``. ``sigma^2`` is the pooled within-source variance;
    ``tau^2`` the method-of-moments between-source variance around ``mu_j``
    (floored at :data:`MIN_TAU2`). ``mu_j`` is the document-weighted corpus
    mean, or with ``ratings`` and at least ``min_rated`` rated sources, the
    fitted line ``a + b * rating_j`` for rated sources (still the corpus mean
    for unrated ones). The estimate is ``B_j mu_j + (1 - B_j) mean_j`` with
    shrinkage ``B_j = (sigma^2/n_j) / (sigma^2/n_j + tau^2)``.
    """
    z = _z(level)
    groups: dict[str, list[DocScore]] = {}
    for d in docs:
        if not math.isfinite(d.score):
            raise InputError(f"score of a document from {d.source!r} is not a finite number: {d.score}")
        groups.setdefault(d.source, []).append(d)
    if not groups:
        return []
    names = sorted(groups)
    n = {s: len(groups[s]) for s in names}
    mean = {s: sum(d.score for d in groups[s]) / n[s] for s in names}
    total = sum(n.values())
    grand = sum(mean[s] * n[s] for s in names) / total
    ss_within = sum(sum((d.score - mean[s]) ** 2 for d in groups[s]) for s in names)
    dof = total - len(names)
    sigma2 = ss_within / dof if dof > 0 and ss_within > 0 else DEFAULT_SIGMA2

    rating = {s: ratings.get(s) if ratings else None for s in names}
    prior = {s: grand for s in names}
    rated = [s for s in names if rating[s] is not None]
    if len(rated) >= min_rated:
        line = _wls_line([rating[s] for s in rated], [mean[s] for s in rated], [n[s] for s in rated])
        for s in rated:
            prior[s] = grand if line is None else min(1.0, max(0.0, line[0] + line[1] * rating[s]))
    elif rated:  # too few to fit a line: take the rating itself (both on a 0..1 scale)
        for s in rated:
            prior[s] = rating[s]

    if len(names) > 1:
        spread = sum((mean[s] - prior[s]) ** 2 for s in names) / (len(names) - 1)
        tau2 = max(MIN_TAU2, spread - sum(sigma2 / n[s] for s in names) / len(names))
    else:
        tau2 = MIN_TAU2 if not rated else max(MIN_TAU2, (mean[names[0]] - prior[names[0]]) ** 2)

    out = []
    for s in names:
        se2 = sigma2 / n[s]
        b = se2 / (se2 + tau2)
        est = b * prior[s] + (1.0 - b) * mean[s]
        half = z * math.sqrt((1.0 - b) * se2)
        refs = [d for d in groups[s] if d.has_reference]
        out.append(
            SourceScore(
                source=s,
                n=n[s],
                mean=mean[s],
                estimate=est,
                ci_low=max(0.0, est - half),
                ci_high=min(1.0, est + half),
                shrinkage=b,
                prior=prior[s],
                rating=rating[s],
                spin_share=sum(d.spin for d in groups[s]) / n[s],
                consistency_share=(sum(d.consistency for d in refs) / len(refs)) if refs else None,
                n_reference=len(refs),
            )
        )
    out.sort(key=lambda r: (-r.estimate, r.source))
    return out


# --------------------------------------------------------------------------- rows and output


def doc_score_from_row(row: Mapping[str, Any], source: str) -> DocScore:
    """A :class:`DocScore` from one row written by ``scorer batch`` (JSONL or CSV)."""
    try:
        score = float(row["score"])
    except (KeyError, TypeError, ValueError):
        raise InputError(f"record {row.get('id')!r} has no numeric 'score'") from None
    if "findings" in row and isinstance(row["findings"], list):
        families = {f.get("family") for f in row["findings"] if isinstance(f, Mapping)}
        spin, cons = "spin" in families, "consistency" in families
    else:
        spin = _count(row.get("spin_findings")) > 0
        cons = _count(row.get("consistency_findings")) > 0
    return DocScore(source, score, spin, cons, _truthy(row.get("has_reference")))


def _count(value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def format_table(rows: Sequence[SourceScore], level: float = 0.95) -> str:
    """A fixed-width text table for the terminal."""
    pct = f"{level * 100:g}% CI"
    head = f"{'source':<32} {'n':>6} {'mean':>6} {'shrunk':>6} {pct:>13} {'rating':>6} {'spin':>5} {'cons':>5}"
    lines = [head, "-" * len(head)]
    for r in rows:
        rating = "" if r.rating is None else f"{r.rating:.2f}"
        cons = "" if r.consistency_share is None else f"{r.consistency_share:.0%}"
        name = r.source if len(r.source) <= 32 else r.source[:31] + "~"
        lines.append(
            f"{name:<32} {r.n:>6} {r.mean:>6.3f} {r.estimate:>6.3f} "
            f"{f'[{r.ci_low:.2f}, {r.ci_high:.2f}]':>13} {rating:>6} {r.spin_share:>5.0%} {cons:>5}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- from a corpus to a table


@dataclass(frozen=True, slots=True)
class Collected:
    """Document scores gathered for aggregation; how many had no resolvable source, could not be scored, or are
    not English prose (a report's ``out_of_scope``: its capped score says nothing of the outlet)."""

    docs: tuple[DocScore, ...]
    unresolved: int
    failed: int
    out_of_scope: int = 0


def _is_scored(path: Path) -> bool:
    """True when ``path`` is a ``scorer batch`` output (its first row has a score)."""
    from scorer.batch import input_format, read_rows

    if input_format(path) == "folder":
        return False
    first = next(iter(read_rows(path)), None)
    return first is not None and "score" in first and "text" not in first


def collect(
    path: str | Path,
    *,
    columns: Any = None,
    jobs: int = 1,
    score_fn: Any = None,
    config: Any = None,
) -> Collected:
    """Document scores of a corpus: read from a ``scorer batch`` output, or scored now from raw records."""
    from scorer.batch import Columns, chunked, local_pool, read_items, read_rows, scored_chunks
    from scorer.batch import Failed as BatchFailed
    from scorer.config import DEFAULT

    p = Path(path)
    columns = columns or Columns()
    docs: list[DocScore] = []
    unresolved = failed = out_of_scope = 0
    if _is_scored(p):
        for row in read_rows(p):
            key = source_of(row, source_field="source", url_field="url")
            if key.source is None:
                unresolved += 1
            elif row.get("out_of_scope"):  # None in JSONL, "" in CSV when in scope
                out_of_scope += 1
            else:
                docs.append(doc_score_from_row(row, key.source))
        return Collected(tuple(docs), unresolved, failed, out_of_scope)
    items = read_items(p, columns)
    with local_pool(jobs, score_fn is None) as pool:
        for rows in scored_chunks(chunked(items, 256), score_fn=score_fn, config=config or DEFAULT, pool=pool):
            for row in rows:
                if isinstance(row, BatchFailed):
                    failed += 1
                elif row["source"] is None:
                    unresolved += 1
                elif row["out_of_scope"]:
                    out_of_scope += 1
                else:
                    docs.append(doc_score_from_row(row, row["source"]))
    return Collected(tuple(docs), unresolved, failed, out_of_scope)


def source_table(
    path: str | Path,
    *,
    ratings: str | Path | Mapping[str, float] | None = None,
    ratings_format: RatingsFormat | None = None,
    level: float = 0.95,
    jobs: int = 1,
    score_fn: Any = None,
) -> list[SourceScore]:
    """One frozen :class:`SourceScore` per source of a corpus (raw records or ``scorer batch`` output)."""
    table = ratings if isinstance(ratings, Mapping) or ratings is None else load_ratings(ratings, ratings_format)
    return aggregate(collect(path, jobs=jobs, score_fn=score_fn).docs, ratings=table, level=level)
