"""Text-quality family: web-text pipeline rules (Gopher, C4, FineWeb) and scraper residue.

Feature values are the continuous ratios behind the published filters, so the
classifier sees how far a document is from a threshold; each check that fails
its threshold becomes a ``quality`` finding with a span and a stable code.
Thresholds default to the published values (Rae et al. 2021 "Gopher",
Raffel et al. 2020 "C4", Penedo et al. 2024 "FineWeb", as implemented in
datatrove and TextDescriptives); docs/readability.md lists them with sources.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import chain, filterfalse, islice, repeat
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from scorer import text as _text
from scorer.document import Document
from scorer.report import FamilyResult, Finding, Severity

#: Rule id -> what it flags (the finding codes; also SARIF rule ids and configuration keys).
RULES: dict[str, str] = {
    "quality.too_short": "fewer words than the Gopher minimum",
    "quality.too_long": "more words than the Gopher maximum",
    "quality.mean_word_length": "mean word length outside the Gopher range",
    "quality.symbol_ratio": "too many hash signs or ellipses per word (Gopher)",
    "quality.bullet_lines": "too many lines start with a bullet (Gopher)",
    "quality.ellipsis_lines": "too many lines end with an ellipsis (Gopher)",
    "quality.alpha_ratio": "too few words contain a letter (Gopher)",
    "quality.few_stop_words": "too few English stop words (Gopher)",
    "quality.duplicate_line": "a line repeats an earlier line (Gopher repetition)",
    "quality.duplicate_paragraph": "a paragraph repeats an earlier one (Gopher repetition)",
    "quality.top_ngram": "one n-gram covers too much of the text (Gopher repetition)",
    "quality.duplicate_ngrams": "repeated n-word sequences cover too much of the text (Gopher repetition)",
    "quality.few_sentences": "fewer sentences than the C4 minimum",
    "quality.long_word": "a word longer than the C4 maximum",
    "quality.javascript": "a line mentions javascript (C4)",
    "quality.policy_line": "a cookie or privacy-policy notice (C4)",
    "quality.lorem_ipsum": "placeholder text (C4)",
    "quality.curly_bracket": "a curly bracket: code or template residue (C4)",
    "quality.line_punctuation": "too few lines end in punctuation (FineWeb)",
    "quality.short_lines": "too many short lines (FineWeb)",
    "quality.list_like": "too many line breaks per word (FineWeb)",
    "quality.boilerplate": "scraper residue: comment widgets, share buttons, navigation, image credits",
    "quality.unterminated_line": "a line does not end in terminal punctuation",
    "quality.not_english": "the text does not read as English, which the scorer's features and models are for",
    "quality.joined_sentences": "a sentence runs into the next with no space: paragraphs joined when the page was scraped",
}

FEATURES: dict[str, str] = {
    "quality.mean_word_length": "mean word length in characters",
    "quality.symbol_word_ratio": "hash signs and ellipses per word",
    "quality.bullet_line_ratio": "share of lines starting with a bullet",
    "quality.ellipsis_line_ratio": "share of lines ending with an ellipsis",
    "quality.alpha_word_ratio": "share of words with at least one letter",
    "quality.stop_word_ratio": "share of words that are Gopher stop words (the, be, to, of, and, that, have, with)",
    "quality.duplicate_line_char_fraction": "share of line characters in lines that repeat an earlier line",
    "quality.duplicate_paragraph_char_fraction": "share of paragraph characters in repeated paragraphs",
    "quality.top_2gram_char_fraction": "characters covered by the most frequent word 2-gram",
    "quality.dup_5gram_char_fraction": "characters in repeated word 5-grams",
    "quality.dup_10gram_char_fraction": "characters in repeated word 10-grams",
    "quality.unterminated_line_ratio": "share of lines not ending in terminal punctuation",
    "quality.short_line_ratio": "share of lines shorter than 30 characters",
    "quality.newline_word_ratio": "line breaks per word",
    "quality.boilerplate_line_count": "number of lines that are scraper residue (comment widgets, share buttons, credits)",
    "quality.boilerplate_char_fraction": "share of characters in scraper-residue lines",
}


class QualityConfig(BaseModel):
    """Thresholds of the quality checks; defaults are the published ones (see docs/readability.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Gopher quality filter (Rae et al. 2021, appendix A; datatrove GopherQualityFilter)
    min_words: int = Field(50, ge=0, description="Gopher: fewer words than this is too short")
    max_words: int = Field(100_000, gt=0, description="Gopher: more words than this is too long")
    min_mean_word_length: float = Field(3.0, description="Gopher: mean word length below this")
    max_mean_word_length: float = Field(10.0, description="Gopher: mean word length above this")
    max_symbol_word_ratio: float = Field(0.1, description="Gopher: hash/ellipsis-to-word ratio above this")
    max_bullet_line_ratio: float = Field(0.9, description="Gopher: share of bullet lines above this")
    max_ellipsis_line_ratio: float = Field(0.3, description="Gopher: share of lines ending in an ellipsis above this")
    min_alpha_word_ratio: float = Field(0.8, description="Gopher: share of words with a letter below this")
    min_stop_words: int = Field(2, ge=0, description="Gopher: fewer stop-word tokens than this")
    # Gopher repetition filter
    max_duplicate_line_fraction: float = Field(0.3, description="Gopher: share of duplicate lines above this")
    max_duplicate_line_char_fraction: float = Field(0.2, description="Gopher: chars in duplicate lines above this")
    max_duplicate_paragraph_fraction: float = Field(0.3, description="Gopher: share of duplicate paragraphs")
    max_duplicate_paragraph_char_fraction: float = Field(0.2, description="Gopher: chars in duplicate paragraphs")
    max_top_ngram_char_fraction: tuple[float, float, float] = Field(
        (0.20, 0.18, 0.16), description="Gopher: top 2-, 3-, 4-gram character fractions above these"
    )
    max_dup_ngram_char_fraction: tuple[float, float, float, float, float, float] = Field(
        (0.15, 0.14, 0.13, 0.12, 0.11, 0.10), description="Gopher: repeated 5- to 10-gram character fractions"
    )
    # C4 (Raffel et al. 2020; datatrove C4QualityFilter)
    min_sentences: int = Field(5, ge=0, description="C4: fewer sentences than this")
    max_word_length: int = Field(1000, gt=0, description="C4: a word longer than this")
    # FineWeb (Penedo et al. 2024; datatrove FineWebQualityFilter)
    min_line_punct_ratio: float = Field(0.12, description="FineWeb: share of lines ending in punctuation below this")
    max_short_line_ratio: float = Field(0.67, description="FineWeb: share of lines under 30 chars above this")
    short_line_chars: int = Field(30, gt=0, description="FineWeb: a line shorter than this is short")
    max_duplicate_line_char_ratio: float = Field(0.01, description="FineWeb: chars in duplicate lines above this")
    max_newline_word_ratio: float = Field(0.3, description="FineWeb: line breaks per word above this")
    max_unterminated_line_findings: int = Field(20, ge=0, description="at most this many unterminated-line findings")
    # language (this project): the features and models are for English
    min_english_share: float = Field(0.15, ge=0, le=1, description="share of words with a letter that are among the "
                                     "100 most common English words, below which a text is not English "
                                     "(quality.not_english)")
    english_min_words: int = Field(30, gt=0, description="fewest words with a letter for the English check")
    # scraper residue
    boilerplate: bool = Field(True, description="report scraper residue lines (quality.boilerplate)")
    max_boilerplate_line_words: int = Field(12, gt=0, description="longest line (in words) checked for residue")


GOPHER_STOP_WORDS = frozenset(("the", "be", "to", "of", "and", "that", "have", "with"))
BULLETS = ("\u2022", "\u2023", "\u25cf", "\u25e6", "\u2043", "\u2219", "-", "*", "\u2013", "\u2014")
TERMINAL = (".", "!", "?", '"', "'", "\u201d", "\u2019", "\u2026", ")")
POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")

#: Scraper residue: whole lines (case-insensitive) and the kind of residue they are.
RESIDUE: tuple[tuple[str, str], ...] = (
    ("comment widget", r"(?:post|leave|add|write|view|show|load|read)(?: a| your| all| more)? (?:comments?|reply|replies)"
     r"|\d* ?comments?(?: \(\d+\))?|no comments(?: yet)?|be the first to comment.*|comments are closed\.?"),
    ("navigation link", r"(?:previous|prev|next|older|newer)(?: post| article| story| page)s?"
     r"(?: ?[|\u00bb\u00ab>\u2022-]? ?(?:previous|prev|next|older|newer)(?: post| article| story| page)s?)?"
     r"|home|back to top|read more|continue reading|read (?:the )?full (?:story|article)|see also"
     r"|related (?:posts|articles|stories|news)|you (?:may|might) also like.*|recommended(?: for you)?|more stories"),
    ("share buttons", r"(?:share(?: this)?(?: article| story| post| page)?|tweet|pin(?: it)?|email|print|whatsapp"
     r"|facebook|twitter|linkedin|reddit|telegram|copy link)(?:[ |,\u2022/]+(?:share|tweet|pin(?: it)?|email|print"
     r"|whatsapp|facebook|twitter|linkedin|reddit|telegram|copy link))*:?|share (?:on|via) .{1,40}"
     r"|click to share.*|follow us(?: on .{1,40})?"),
    ("image credit", r"(?:image|photo|picture|photograph|illustration)s?(?: credit| caption| copyright| source)?s?"
     r" ?(?::|\u00a9|by) ?.{0,80}|(?:photo|image) credit.{0,80}|.{0,60}/(?:getty images|afp|reuters|ap|epa)"
     r"|getty images|credit: .{1,80}"),
    ("subscription prompt", r"(?:subscribe|sign up)(?: now| today)?(?: to| for) .{0,60}|subscribe|advertisement"
     r"|sponsored(?: content)?|newsletter(?: sign[- ]?up)?"),
    ("copyright notice", r"(?:copyright ?)?(?:\u00a9|\(c\)) ?.{0,80}|all rights reserved\.?|copyright \d{4}.{0,80}"),
    ("tag list", r"(?:tags?|labels?|filed under|categories|category)\s*:.{0,120}"),
)
_RESIDUE = re.compile("|".join(rf"(?P<k{i}>{pat})" for i, (_, pat) in enumerate(RESIDUE)), re.IGNORECASE)
_C4_KEYS = ("javascript",) + POLICY
#: A word type (one per line) without a letter: digits, joiners, symbols.
_NO_ALPHA = re.compile(r"^(?:[\d_]|[^\w\n])+$", re.MULTILINE)
_TRAILING_COMMENTS = re.compile(r"(?<=[.!?\"\u201d])Comments?\s*\Z")


class _Line(NamedTuple):
    start: int
    end: int
    text: str


def extract(doc: Document, config: QualityConfig) -> FamilyResult:
    """All quality features of a document, and a finding for each failed check."""
    text = doc.text
    lines = [_Line(s, e, text[s:e]) for s, e in doc.lines]
    words = doc.words
    n_words = len(words)
    w = max(n_words, 1)
    n_lines = max(len(lines), 1)
    findings: list[Finding] = []

    def add(code: str, start: int, end: int, message: str, suggestion: str | None = None,
            severity: Severity = "warning") -> None:
        findings.append(Finding("quality", code, start, end, text[start:end], message, suggestion, severity))

    whole = (doc.lines[0][0], doc.lines[-1][1]) if doc.lines else (0, len(text))

    # --- Gopher quality ------------------------------------------------------------------
    lens = doc.word_lengths
    longest = max(lens, default=0)
    mean_len = sum(lens) / w
    types = doc.lower_counts
    symbols = text.count("#") + text.count("...") + text.count("\u2026")
    symbol_ratio = symbols / w
    bullet_lines = [ln for ln in lines if ln.text.startswith(BULLETS)]
    ellipsis_lines = [ln for ln in lines if ln.text.endswith(("...", "\u2026"))]
    # Per word type (lower-casing keeps letters letters): numbers are the usual alpha-less words.
    no_alpha = _NO_ALPHA.findall("\n".join(filterfalse(str.isalpha, types)))
    lettered = n_words - sum(map(types.__getitem__, no_alpha))  # words with a letter
    alpha_ratio = lettered / w
    stop_count = sum(map(types.get, GOPHER_STOP_WORDS, repeat(0)))
    if n_words < config.min_words:
        add("quality.too_short", *whole, f"only {n_words} words (Gopher minimum {config.min_words})",
            "too little text to judge", "info")
    elif n_words > config.max_words:
        add("quality.too_long", *whole, f"{n_words} words (Gopher maximum {config.max_words})", None, "info")
    if n_words and not config.min_mean_word_length <= mean_len <= config.max_mean_word_length:
        add("quality.mean_word_length", *whole,
            f"mean word length {mean_len:.1f} is outside {config.min_mean_word_length:g}-"
            f"{config.max_mean_word_length:g} (Gopher)")
    if symbol_ratio > config.max_symbol_word_ratio:
        pos = min((i for i in (text.find("#"), text.find("..."), text.find("\u2026")) if i >= 0), default=0)
        add("quality.symbol_ratio", pos, pos + 1 if text[pos] != "." else pos + 3,
            f"{symbols} hash signs or ellipses for {n_words} words (Gopher maximum {config.max_symbol_word_ratio:g})")
    if len(bullet_lines) / n_lines > config.max_bullet_line_ratio:
        ln = bullet_lines[0]
        add("quality.bullet_lines", ln.start, ln.end,
            f"{len(bullet_lines)} of {len(lines)} lines are bullets (Gopher maximum {config.max_bullet_line_ratio:.0%})")
    if ellipsis_share(len(ellipsis_lines), n_lines) > config.max_ellipsis_line_ratio:
        ln = ellipsis_lines[0]
        add("quality.ellipsis_lines", ln.start, ln.end,
            f"{len(ellipsis_lines)} of {len(lines)} lines end in an ellipsis "
            f"(Gopher maximum {config.max_ellipsis_line_ratio:.0%}): truncated text")
    if n_words and alpha_ratio < config.min_alpha_word_ratio:
        add("quality.alpha_ratio", *whole,
            f"only {alpha_ratio:.0%} of words contain a letter (Gopher minimum {config.min_alpha_word_ratio:.0%})")
    if n_words and stop_count < config.min_stop_words:
        add("quality.few_stop_words", *whole,
            f"{stop_count} of the words the, be, to, of, and, that, have, with (Gopher minimum "
            f"{config.min_stop_words}): not running prose")
    english = sum(map(types.get, english_words(), repeat(0))) / max(lettered, 1)
    if lettered >= config.english_min_words and english < config.min_english_share:
        add("quality.not_english", *whole,
            f"only {english:.0%} of the words are among the 100 most common English words (English text: 20-55%, "
            f"minimum {config.min_english_share:.0%}): the text does not read as English, and the scorer's features "
            "and models are for English")

    # --- repetition (Gopher, FineWeb) ------------------------------------------------------
    line_chars = sum(len(ln.text) for ln in lines) or 1
    dup_lines = _repeats([ln.text for ln in lines])
    dup_line_chars = sum(len(lines[i].text) for i in dup_lines)
    dup_line_frac = len(dup_lines) / n_lines
    dup_line_char_frac = dup_line_chars / line_chars
    nonl_chars = max(len(text) - text.count("\n"), 1)
    gopher_fail = (dup_line_frac > config.max_duplicate_line_fraction
                   or dup_line_char_frac > config.max_duplicate_line_char_fraction)
    fineweb_fail = dup_line_chars / nonl_chars > config.max_duplicate_line_char_ratio
    for i in dup_lines:
        ln = lines[i]
        rule = "Gopher and FineWeb" if gopher_fail and fineweb_fail else "Gopher" if gopher_fail else (
            "FineWeb" if fineweb_fail else None)
        add("quality.duplicate_line", ln.start, ln.end,
            f"line repeats an earlier line ({len(dup_lines)} repeated lines, {dup_line_char_frac:.0%} of line "
            f"characters" + (f"; fails the {rule} limit)" if rule else ")"),
            "remove the repeated line", "warning" if rule else "info")
    paras = [text[s:e] for s, e in doc.paragraphs]
    dup_paras = _repeats(paras)
    para_chars = sum(map(len, paras)) or 1
    dup_para_char_frac = sum(len(paras[i]) for i in dup_paras) / para_chars
    dup_para_frac = len(dup_paras) / max(len(paras), 1)
    if dup_para_frac > config.max_duplicate_paragraph_fraction or (
            dup_para_char_frac > config.max_duplicate_paragraph_char_fraction):
        for i in dup_paras:
            if "\n" in paras[i]:  # single-line paragraphs are already reported as duplicate lines
                s, e = doc.paragraphs[i]
                add("quality.duplicate_paragraph", s, e, f"paragraph repeats an earlier one ({dup_para_frac:.0%} "
                    f"of paragraphs; Gopher maximum {config.max_duplicate_paragraph_fraction:.0%})")

    total_chars = max(len(text), 1)
    ids = doc.lower  # n-grams of strings hash fast: str hashes are cached
    bigrams = list(zip(ids, ids[1:]))
    bigram_counts = Counter(bigrams)
    top_frac = _top_ngram_fractions(ids, lens, total_chars, config.max_top_ngram_char_fraction,
                                    bigrams, bigram_counts, longest)
    for n, (frac, pos), limit in zip((2, 3, 4), top_frac, config.max_top_ngram_char_fraction):
        if frac > limit:
            s, e = doc.word_spans[pos][0], doc.word_spans[pos + n - 1][1]
            add("quality.top_ngram", s, e, f"the {n}-gram \u201c{text[s:e]}\u201d covers {frac:.0%} of the text "
                f"(Gopher maximum {limit:.0%})", "vary the wording")
    dup_frac = _dup_ngram_fractions(ids, lens, total_chars, _repeated_bigrams(bigrams, bigram_counts))
    for n, (frac, pos), limit in zip(range(5, 11), dup_frac, config.max_dup_ngram_char_fraction):
        if frac > limit:
            s, e = doc.word_spans[pos][0], doc.word_spans[pos + n - 1][1]
            add("quality.duplicate_ngrams", s, e, f"repeated {n}-word sequences cover {frac:.0%} of the text "
                f"(Gopher maximum {limit:.0%}), first here", "remove repeated passages")
            break  # one finding: the shortest n that fails

    # --- C4 ------------------------------------------------------------------------------
    if n_words and len(doc.sentences) < config.min_sentences:
        add("quality.few_sentences", *whole, f"{len(doc.sentences)} sentences (C4 minimum {config.min_sentences})",
            None, "info")
    if longest > config.max_word_length:
        i = next(i for i, k in enumerate(lens) if k > config.max_word_length)
        s, e = doc.word_spans[i]
        add("quality.long_word", s, e, f"a {lens[i]}-character word (C4 maximum {config.max_word_length})")
    low_text = text.lower()
    for ln in lines if any(k in low_text for k in _C4_KEYS) else ():  # most texts mention none
        low_line = low_text[ln.start:ln.end]
        if "javascript" in low_line:
            add("quality.javascript", ln.start, ln.end, "line mentions javascript: page-script residue (C4)",
                "remove the line")
        elif any(p in low_line for p in POLICY):
            add("quality.policy_line", ln.start, ln.end, "line is a cookie or privacy-policy notice (C4)",
                "remove the line")
    if "lorem ipsum" in low_text:
        i = low_text.index("lorem ipsum")
        add("quality.lorem_ipsum", i, i + 11, "placeholder text (C4)", None, "error")
    if "{" in text:
        i = text.index("{")
        add("quality.curly_bracket", i, i + 1, "a curly bracket: code or template residue (C4)")

    # --- FineWeb ---------------------------------------------------------------------------
    unterminated = [ln for ln in lines if not ln.text.endswith(TERMINAL)]
    unterminated_ratio = len(unterminated) / n_lines
    short_ratio = sum(1 for ln in lines if len(ln.text) < config.short_line_chars) / n_lines
    newline_ratio = text.count("\n") / w
    if lines and 1.0 - unterminated_ratio < config.min_line_punct_ratio:
        add("quality.line_punctuation", *whole, f"only {1 - unterminated_ratio:.0%} of lines end in punctuation "
            f"(FineWeb minimum {config.min_line_punct_ratio:.0%}): a list or menu, not prose")
    if lines and short_ratio > config.max_short_line_ratio:
        add("quality.short_lines", *whole, f"{short_ratio:.0%} of lines are under {config.short_line_chars} "
            f"characters (FineWeb maximum {config.max_short_line_ratio:.0%})")
    if n_words and newline_ratio > config.max_newline_word_ratio:
        add("quality.list_like", *whole, f"{newline_ratio:.2f} line breaks per word (FineWeb maximum "
            f"{config.max_newline_word_ratio:g})")

    # --- scraper residue -------------------------------------------------------------------
    residue = _residue_lines(lines, config) if config.boilerplate else []
    glued = (_TRAILING_COMMENTS.search(text)
             if config.boilerplate and text.rstrip().endswith(("Comment", "Comments")) else None)
    if glued:
        residue.append((glued.start(), glued.start() + len(glued.group(0).rstrip()), "comment widget"))
    for s, e, kind in residue:
        add("quality.boilerplate", s, e, f"scraper residue ({kind}): \u201c{text[s:e]}\u201d is page furniture, "
            "not article text", "remove it")
    boiler_chars = sum(e - s for s, e, _ in residue)
    residue_starts = {s for s, _, _ in residue}
    for ln in unterminated[:config.max_unterminated_line_findings]:
        if ln.start != whole[0] and ln.start not in residue_starts:
            add("quality.unterminated_line", ln.start, ln.end, "line does not end in terminal punctuation "
                "(C4 drops such lines): a heading, caption or cut-off text", None, "info")
    for a, b, fix in _joined_sentences(text, doc.sentences):
        add("quality.joined_sentences", a, b, "two sentences run together without a space: paragraphs joined "
            "when the page was scraped", fix, "info")

    features = {
        "quality.mean_word_length": mean_len,
        "quality.symbol_word_ratio": symbol_ratio,
        "quality.bullet_line_ratio": len(bullet_lines) / n_lines,
        "quality.ellipsis_line_ratio": ellipsis_share(len(ellipsis_lines), n_lines),
        "quality.alpha_word_ratio": alpha_ratio if n_words else 0.0,
        "quality.stop_word_ratio": stop_count / w,
        "quality.duplicate_line_char_fraction": dup_line_char_frac,
        "quality.duplicate_paragraph_char_fraction": dup_para_char_frac,
        "quality.top_2gram_char_fraction": top_frac[0][0],
        "quality.dup_5gram_char_fraction": dup_frac[0][0],
        "quality.dup_10gram_char_fraction": dup_frac[5][0],
        "quality.unterminated_line_ratio": unterminated_ratio if lines else 0.0,
        "quality.short_line_ratio": short_ratio if lines else 0.0,
        "quality.newline_word_ratio": newline_ratio,
        "quality.boilerplate_line_count": float(len(residue)),
        "quality.boilerplate_char_fraction": boiler_chars / total_chars,
    }
    return FamilyResult(features, findings)


def ellipsis_share(n_ellipsis: int, n_lines: int) -> float:
    """Share of lines ending in an ellipsis, counted only when two or more do.

    Gopher's rule catches truncated teasers, a repeated pattern; one rhetorical
    closing '...' in a four-paragraph article is prose, not truncation, and
    would otherwise read as 25% truncated lines.
    """
    return n_ellipsis / n_lines if n_ellipsis >= 2 and n_lines else 0.0


def _repeats(items: list[str]) -> list[int]:
    """Indices of items equal to an earlier item."""
    seen: set[str] = set()
    out = []
    for i, x in enumerate(items):
        if x in seen:
            out.append(i)
        else:
            seen.add(x)
    return out


def _top_ngram(ids: list[str], lens: list[int], n: int,
               grams: list[tuple[str, ...]] | None = None,
               counts: Counter[tuple[str, ...]] | None = None) -> tuple[int, int]:
    """(characters covered, first position) of the most frequent n-gram, as Gopher counts it.

    Characters are the n-gram's length with single spaces times its count.
    ``grams`` and ``counts`` may be passed in when already at hand.
    """
    if len(ids) < n:
        return 0, 0
    if grams is None or counts is None:
        grams = list(zip(*(ids[k:] for k in range(n))))
        counts = Counter(grams)
    values = list(counts.values())
    count = max(values)
    if count < 2:
        return 0, 0
    # The first n-gram to reach the top count, as Counter.most_common(1) picks it, found in C.
    gram = next(islice(counts, values.index(count), None))
    pos = grams.index(gram)
    return (sum(lens[pos:pos + n]) + n - 1) * count, pos


def _top_ngram_fractions(ids: list[str], lens: list[int], total: int, limits: tuple[float, float, float],
                         bigrams: list[tuple[str, ...]], bigram_counts: Counter[tuple[str, ...]],
                         longest: int) -> list[tuple[float, int]]:
    """(character fraction, position) of the top 2-, 3- and 4-gram.

    The 2-gram is always counted (it is a feature). A 3- or 4-gram occurs at
    most as often as the top 2-gram and spans at most n times the longest
    word plus spaces, so when that bound is under the limit the n-gram cannot
    fail; it is then not counted and reported as 0 (only the 2-gram is a feature).
    ``longest`` is the longest word's length.
    """
    chars, pos = _top_ngram(ids, lens, 2, bigrams, bigram_counts)
    out = [(chars / total, pos)]
    top2_count = chars // max(sum(lens[pos:pos + 2]) + 1, 1) if chars else 0
    for n, limit in zip((3, 4), limits[1:]):
        if top2_count < 2 or top2_count * (n * longest + n - 1) / total <= limit:
            out.append((0.0, 0))
        else:
            c, p = _top_ngram(ids, lens, n)
            out.append((c / total, p))
    return out


def _repeated_bigrams(bigrams: list[tuple[str, ...]], counts: Counter[tuple[str, ...]]) -> bytes:
    """How often the bigram at each position occurs in the document, capped at 255, as bytes.

    An n-gram (n >= 2) that repeats is made of repeated bigrams (byte >= 2)
    only, so the repeated-n-gram scan can skip every stretch holding a bigram
    seen once; ``bytes`` lets a regular expression find the stretches in C.
    """
    try:
        return bytes(map(counts.__getitem__, bigrams))
    except ValueError:  # a bigram occurring over 255 times
        return bytes(map(min, map(counts.__getitem__, bigrams), repeat(255)))


_RUNS = {n: re.compile(b"[^\x00\x01]{%d,}" % n) for n in range(1, 10)}


def _candidate_ngrams(ids: list[str], repeated: bytes, n: int) -> tuple[list[tuple[str, ...]], list[int]]:
    """The n-grams (with their positions, in order) made of repeated bigrams only.

    Every occurrence of an n-gram that occurs twice or more is among them.
    """
    grams: list[tuple[str, ...]] = []
    positions: list[int] = []
    for m in _RUNS[n - 1].finditer(repeated):
        a, b = m.span()  # bigrams a..b-1 repeat: tokens a..b
        grams += zip(*(ids[a + k:b + 1] for k in range(n)))
        positions += range(a, b - n + 2)
    return grams, positions


def _dup_ngram_fractions(ids: list[str], lens: list[int], total: int,
                         repeated_bigrams: bytes) -> list[tuple[float, int]]:
    """For n = 5..10: (share of characters in repeated n-grams, first repeat position), Gopher style.

    Gopher scans left to right; an n-gram seen before counts its characters
    and the scan jumps past it. Only positions whose 5-gram occurs twice can
    start a repeated n-gram (n >= 5), so the scan visits those alone, which
    gives the same result at a fraction of the cost; those lie inside runs of
    repeated bigrams (``repeated_bigrams``, see :func:`_repeated_bigrams`).
    """
    out: list[tuple[float, int]] = [(0.0, 0)] * 6
    m = len(ids)
    fives, positions = _candidate_ngrams(ids, repeated_bigrams, 5)
    if len(set(fives)) == len(fives):
        return out
    counts = Counter(fives)
    cands = [p for p, g in zip(positions, fives) if counts[g] > 1]
    for k, n in enumerate(range(5, 11)):
        seen: set[tuple[str, ...]] = set()
        repeated = 0
        first = -1
        resume = 0
        for p in cands:
            if p < resume or p + n > m:
                continue
            g = tuple(ids[p:p + n])
            if g in seen:
                repeated += sum(lens[p:p + n])
                if first < 0:
                    first = p
                resume = p + n
            else:
                seen.add(g)
        out[k] = (repeated / total, max(first, 0))
    return out


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The 100 most common English words (installed wordfreq, numbers left out as its ``top_n_list`` does): 20-55% of
    the words of English text, under 11% of German, French, Spanish, Italian, Dutch, Portuguese, Swedish or Polish
    (docs/readability.md)."""
    # the one copy of the list that scorer.text.zipf_table reads (wordfreq's own top_n_list would keep a
    # second: 22 MB more resident memory for the same list)
    words = (w for w in chain.from_iterable(_text.wordfreq_buckets()) if not any(c.isdigit() for c in w))
    return frozenset(islice(words, 100))


def _joined_sentences(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, the two words with a space) where one sentence ends exactly where the next begins
    (``longer.MSCI's``): the splitter ends sentences there only when no space follows the mark
    (``scorer.text.split_sentences``), so every other pair of sentences has white space between."""
    out = []
    for (s1, e1), (s2, e2) in zip(sentences, sentences[1:]):
        if s2 != e1:
            continue
        a = max(s1, *(text.rfind(c, s1, e1) + 1 for c in " \n\t"))
        b = min([e2, *(k for k in (text.find(c, s2, e2) for c in " \n\t") if k >= 0)])
        out.append((a, b, f"{text[a:e1]} {text[s2:b]}"))
    return out


def _residue_lines(lines: list[_Line], config: QualityConfig) -> list[tuple[int, int, str]]:
    """Short lines that are page furniture: (start, end, kind)."""
    out = []
    limit = config.max_boilerplate_line_words
    for ln in lines:
        t = ln.text
        if len(t) > 12 * limit or t.count(" ") >= limit:
            continue
        m = _RESIDUE.fullmatch(t)
        if m:
            out.append((ln.start, ln.end, RESIDUE[int(m.lastgroup[1:])][0]))
    return out
