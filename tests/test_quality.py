"""Quality rules (Gopher, C4, FineWeb) and scraper residue: values, codes, spans."""
from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from scorer import quality
from scorer.document import Document
from scorer.quality import QualityConfig, extract

CFG = QualityConfig()
PROSE = (
    "The council met on Wednesday to discuss the security of the region and the plans of the allies. "
    "Officials said that the talks had been difficult, but that both sides wanted to keep talking. "
    "A further meeting with the envoys is planned for next month in Vienna, where more countries will join. "
    "Analysts expect little progress before the spring, when the weather allows troops to move again. "
    "Markets were calm after the statement was published late in the evening by the press office."
)


def run(text: str, config: QualityConfig = CFG):
    result = extract(Document(text), config)
    for f in result.findings:
        assert f.family == "quality" and f.code.startswith("quality.")
        assert f.text == text[f.start:f.end]
    return result


def codes(text: str, config: QualityConfig = CFG) -> list[str]:
    return [f.code for f in run(text, config).findings]


def test_clean_prose_has_no_findings_and_finite_features() -> None:
    result = run("Council meets on security\n\n" + PROSE)
    assert result.findings == []
    assert list(result.features) == list(quality.FEATURES)
    assert all(isinstance(v, float) and math.isfinite(v) for v in result.features.values())


@pytest.mark.parametrize(
    ("line", "kind"),
    [("Post a Comment", "comment widget"), ("Previous Post Next Post", "navigation link"), ("Comments", "comment widget"),
     ("Share this article", "share buttons"), ("Facebook Twitter Email", "share buttons"),
     ("Image copyright: Getty Images", "image credit"), ("Photo: AFP/Getty Images", "image credit"),
     ("Subscribe to our newsletter", "subscription prompt"), ("\u00a9 2022 Daily News. All rights reserved.", "copyright notice")],
)
def test_scraper_residue_lines(line: str, kind: str) -> None:
    text = PROSE + "\n\n" + line
    result = run(text)
    [f] = [f for f in result.findings if f.code == "quality.boilerplate"]
    assert f.text == line and kind in f.message
    assert result.features["quality.boilerplate_line_count"] == 1.0
    assert result.features["quality.boilerplate_char_fraction"] == pytest.approx(len(line) / len(text))


def test_residue_words_inside_prose_are_not_flagged() -> None:
    text = PROSE + "\n\nHe posted a comment on the next post, and shared the photo with his friends."
    assert "quality.boilerplate" not in codes(text)


def test_seed_residue_is_found(seed_texts: dict[str, str]) -> None:
    found = {name: [f.text for f in run(t).findings if f.code == "quality.boilerplate"] for name, t in seed_texts.items()}
    assert found["000_af59524d5182ebbf"] == ["Comments"]
    assert found["004_cf2c634dce9aa4a7"] == ["Post a Comment", "Previous Post Next Post"]


def test_trailing_comments_glued_to_last_sentence() -> None:
    text = PROSE + "Comments"
    [f] = [f for f in run(text).findings if f.code == "quality.boilerplate"]
    assert f.text == "Comments" and f.end == len(text)


def test_duplicate_lines() -> None:
    line = "Click the link below to read the full story about the talks."
    text = "\n".join([PROSE, line, PROSE.split(". ")[0] + ".", line, line])
    result = run(text)
    dups = [f for f in result.findings if f.code == "quality.duplicate_line"]
    assert [f.text for f in dups] == [line, line]
    assert dups[0].start == text.index(line, text.index(line) + 1)
    assert dups[0].severity == "warning"  # fails FineWeb's 1% duplicate-character limit
    assert result.features["quality.duplicate_line_char_fraction"] > 0.1


def test_top_ngram_and_duplicate_ngrams() -> None:
    text = " ".join(["buy cheap watches now"] * 30) + "."
    result = run(text)
    c = [f.code for f in result.findings]
    assert "quality.top_ngram" in c and "quality.duplicate_ngrams" in c
    assert result.features["quality.dup_5gram_char_fraction"] > 0.7  # spaces are not counted
    assert result.features["quality.top_2gram_char_fraction"] > 0.2
    assert run(PROSE).features["quality.dup_5gram_char_fraction"] == 0.0


def test_dup_ngram_scan_matches_gopher_reference() -> None:
    ids = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5]
    lens = [2] * len(ids)
    [(f5, p5), *_] = quality._dup_ngram_fractions(ids, lens, 100, _repeated(ids))
    # Gopher's scan: positions 5 and 11 repeat the 5-gram at 0, 10 characters each
    assert (f5, p5) == (0.2, 5)


def _gopher_dup(ids: list[str], lens: list[int], n: int) -> tuple[int, int]:
    """datatrove's find_all_duplicate over every position: (repeated characters, first repeat)."""
    seen: set[tuple[str, ...]] = set()
    i, chars, first = 0, 0, -1
    while i < len(ids) - n + 1:
        g = tuple(ids[i:i + n])
        if g in seen:
            chars += sum(lens[i:i + n])
            first = i if first < 0 else first
            i += n
        else:
            seen.add(g)
            i += 1
    return chars, max(first, 0)


def _top_reference(ids: list[str], lens: list[int], n: int) -> tuple[int, int]:
    """Most frequent n-gram over every position, ties to the earliest: (characters, position)."""
    grams = list(zip(*(ids[k:] for k in range(n))))
    if not grams:
        return 0, 0
    gram, count = Counter(grams).most_common(1)[0]
    pos = grams.index(gram)
    return ((sum(lens[pos:pos + n]) + n - 1) * count, pos) if count > 1 else (0, 0)


def test_ngram_counts_over_repeated_runs_match_the_full_scan() -> None:
    # Scanning only n-grams made of repeated bigrams must give the full scan's answer.
    rnd = random.Random(5)
    for _ in range(400):
        ids = [f"w{rnd.randint(0, rnd.randint(1, 12))}" for _ in range(rnd.randint(0, 60))]
        if ids and rnd.random() < 0.4:
            ids += ids[: rnd.randint(5, 10)] * rnd.randint(1, 3)
        lens = [rnd.randint(1, 9) for _ in ids]
        total = 100
        dup = quality._dup_ngram_fractions(ids, lens, total, _repeated(ids))
        for k, n in enumerate(range(5, 11)):
            chars, first = _gopher_dup(ids, lens, n)
            assert dup[k] == (chars / total, first)
        for n in (2, 3, 4):
            assert quality._top_ngram(ids, lens, n) == _top_reference(ids, lens, n)


def _repeated(ids: list[str]) -> bytes:
    bigrams = list(zip(ids, ids[1:]))
    return quality._repeated_bigrams(bigrams, Counter(bigrams))


def test_short_document_and_few_sentences() -> None:
    c = codes("Prices rose sharply today.")
    assert "quality.too_short" in c and "quality.few_sentences" in c
    assert "quality.too_short" not in codes("Prices rose sharply today.", QualityConfig(min_words=3))


def test_no_stop_words() -> None:
    text = "\n".join(["Buy cheap watches online now, best prices guaranteed!"] * 1) + " " + "Great deals daily."
    assert "quality.few_stop_words" in codes(text)


def test_bullets_ellipses_and_list_like() -> None:
    text = "\n".join(f"- item {i}..." for i in range(12))
    c = codes(text)
    assert {"quality.bullet_lines", "quality.ellipsis_lines", "quality.list_like"} <= set(c)


def test_one_rhetorical_ellipsis_is_not_truncation() -> None:
    closing = PROSE.rstrip().rstrip(".") + " when a magician might be required..."
    text = "\n".join(["A title here", PROSE, PROSE, closing])
    assert run(text).features["quality.ellipsis_line_ratio"] == 0.0
    twice = "\n".join(["A title here", PROSE, closing, closing])
    assert run(twice).features["quality.ellipsis_line_ratio"] == pytest.approx(0.5)
    assert quality.ellipsis_share(1, 4) == 0.0 and quality.ellipsis_share(2, 4) == 0.5
    assert quality.ellipsis_share(0, 0) == 0.0


def test_c4_line_rules() -> None:
    text = PROSE + "\nPlease enable JavaScript to view comments.\nThis site uses cookies. Read our privacy policy.\n"
    text += "Lorem ipsum dolor sit amet. {var x = 1;}"
    c = codes(text)
    assert {"quality.javascript", "quality.policy_line", "quality.lorem_ipsum", "quality.curly_bracket"} <= set(c)


def test_unterminated_lines_skip_headline_and_residue() -> None:
    text = "Council meets\n" + PROSE + "\nKEY RESULTS OF THE MEETING\n" + PROSE + "\nPost a Comment"
    result = run(text)
    assert [f.text for f in result.findings if f.code == "quality.unterminated_line"] == ["KEY RESULTS OF THE MEETING"]
    assert result.features["quality.unterminated_line_ratio"] == pytest.approx(3 / 5)


def test_mean_word_length_and_symbols() -> None:
    text = " ".join(["#tag"] * 60) + "."
    result = run(text)
    assert "quality.symbol_ratio" in [f.code for f in result.findings]
    assert result.features["quality.symbol_word_ratio"] == pytest.approx(1.0)


def test_bigram_counts_over_255_are_capped_not_an_error() -> None:
    ids = ["buy", "now"] * 300 + ["today"]
    counts = _repeated(ids)
    assert counts[0] == 255 and counts[-1] == 1 and len(counts) == len(ids) - 1
    [(f5, p5), *_] = quality._dup_ngram_fractions(ids, [3] * len(ids), 2000, counts)
    assert p5 == 2 and f5 > 0.8  # "buy now buy now buy" at 0 repeats at position 2


def test_sentences_joined_without_a_space_are_found_with_the_space_put_back() -> None:
    text = ("Rates stay high for longer.MSCI's index fell 0.97% on Wednesday. "
            'Analysts wrote in a client note."It concerns the market," he said.\n'
            "The variants Bagle.AT and One.Tel spread in the U.S.The dollar fell.")
    found = [f for f in extract(Document(text), QualityConfig()).findings if f.code == "quality.joined_sentences"]
    assert [(f.text, f.suggestion, f.severity) for f in found] == [
        ("longer.MSCI's", "longer. MSCI's", "info"), ('note."It', 'note." It', "info")]
    assert text[found[0].start:found[0].end] == "longer.MSCI's"


def test_spaced_sentences_and_line_breaks_are_not_joined() -> None:
    text = "Headline without a stop\nThe body starts here. It goes on.\n\n\"Quoted,\" he said. Done."
    assert not [f for f in extract(Document(text), QualityConfig()).findings if f.code == "quality.joined_sentences"]


GERMAN = ("Das ist ein deutscher Text über die Regierung und die Wirtschaft. Die Minister trafen sich am Mittwoch in "
          "Brüssel, um über die Lage in der Ukraine zu sprechen. Nach vier Stunden sagte der Generalsekretär, dass die "
          "Gespräche schwierig gewesen seien und dass es weiterhin große Unterschiede gebe.")
ENGLISH = ("This is an English text about the government and the economy. The ministers met on Wednesday in Brussels "
           "to talk about the situation in Ukraine. After four hours the secretary general said that the talks had "
           "been difficult and that there were still big differences.")


def _not_english(text: str, config: QualityConfig = QualityConfig()) -> list:
    return [f for f in extract(Document(text), config).findings if f.code == "quality.not_english"]


def test_text_in_another_language_is_reported_as_not_english() -> None:
    found = _not_english(GERMAN)
    assert [(f.severity, f.start, f.end) for f in found] == [("warning", 0, len(GERMAN))]
    assert found[0].message.startswith("only 4% of the words are among the 100 most common English words")
    assert _not_english(ENGLISH) == []
    assert _not_english(" ".join(GERMAN.split()[:25])) == []  # too few words to judge
    assert _not_english(GERMAN, QualityConfig(min_english_share=0.0)) == []
    import wordfreq

    assert quality.english_words() == frozenset(wordfreq.top_n_list("en", 100))  # built from zipf_table's list


def test_english_news_and_summaries_of_every_domain_read_as_english(shared) -> None:
    import json

    from scorer.data import genuine_split

    texts = [a.text for a in genuine_split("test")]
    for path in sorted((shared / "data" / "consistency" / "summedits").glob("*.json")):
        items = json.loads(path.read_text(encoding="utf-8"))
        texts += sorted({x["doc"] for x in items} | {x["summary"] for x in items})
    assert [t[:60] for t in texts if _not_english(t)] == []
