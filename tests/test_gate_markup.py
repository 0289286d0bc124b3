"""Markdown prose extraction, suppression directives and path selection."""
from __future__ import annotations

from pathlib import Path

from scorer.gate.markup import markdown_prose, prose
from scorer.gate.paths import collect, glob_regex, reference_for, Target
from scorer.gate.suppress import apply_blanks, parse, suppressed

MD = """---
title: Spun "headline"
tags: [a, b]
---
# The headline

Ministers said on `Tuesday` that [the talks](https://example.org/x "t") went well.

```python
print("code is not prose")
```

    indented code block

- a list item with words
"""


def test_markdown_prose_keeps_offsets_and_lines():
    out = markdown_prose(MD)
    assert len(out) == len(MD)
    assert [i for i, c in enumerate(out) if c == "\n"] == [i for i, c in enumerate(MD) if c == "\n"]
    for gone in ("title", "Spun", "print", "code is not prose", "indented code", "https", "Tuesday", "#", "- a"):
        assert gone not in out
    for kept in ("The headline", "Ministers said on", "the talks", "went well.", "a list item with words"):
        assert kept in out
        assert out.index(kept) == MD.index(kept)


def test_plain_text_is_untouched_and_unclosed_fence_runs_to_end():
    text = "# not a heading in .txt\n```\ncode"
    assert prose(text, "a.txt") == text
    assert prose(text, "a.md").strip() == "not a heading in .txt"


DOC = """First paragraph with spin.

<!-- scorer: ignore spin -->
Second paragraph, spin ignored.
Still the second paragraph.

<!-- scorer: ignore -->
Third paragraph, not scored at all.

Fourth.
<!-- scorer: off -->
Region off.
<!-- scorer: on -->
<!-- scorer: ignroe -->
"""


def test_paragraph_directives():
    d = parse(DOC, "a.txt")
    assert not d.skip_file and d.file_ignores == frozenset()
    (start, end, names), = d.spans
    assert DOC[start:end] == "Second paragraph, spin ignored.\nStill the second paragraph."
    assert names == frozenset({"spin"})
    assert suppressed(d, DOC.index("spin ignored"), "spin.substitution", "spin")
    assert not suppressed(d, DOC.index("spin ignored"), "quality.boilerplate", "quality")
    assert not suppressed(d, DOC.index("with spin"), "spin.substitution", "spin")
    scored = apply_blanks(DOC, d)
    assert len(scored) == len(DOC)
    assert "Third paragraph" not in scored and "Region off" not in scored and "scorer:" not in scored.replace("ignroe", "")
    assert "Second paragraph" in scored and "Fourth." in scored
    (s, e, msg), = d.problems
    assert DOC[s:e] == "<!-- scorer: ignroe -->" and "unknown scorer directive 'ignroe'" in msg


def test_file_directives_and_code_examples():
    assert parse("<!-- scorer: ignore-file -->\ntext", "a.md").skip_file
    d = parse("text\n<!-- scorer: ignore-file spin, score -->", "a.txt")
    assert d.file_ignores == frozenset({"spin", "score"})
    assert suppressed(d, 0, "spin.substitution", "spin")
    example = "Use it like this:\n\n```\n<!-- scorer: ignore-file -->\n```\n\nor `<!-- scorer: ignore-file -->`.\n"
    assert not parse(example, "doc.md").skip_file
    assert parse(example, "doc.txt").skip_file  # plain text has no code blocks


def test_glob_regex():
    assert glob_regex("*.md").match("docs/deep/a.md")
    assert glob_regex("drafts/**").match("drafts/x/y.txt")
    assert not glob_regex("drafts/**").match("news/drafts.txt")
    assert glob_regex("docs/*.md").match("docs/a.md")
    assert not glob_regex("docs/*.md").match("docs/sub/a.md")
    assert glob_regex("**/archive/*.txt").match("archive/a.txt")
    assert glob_regex("**/archive/*.txt").match("x/archive/a.txt")
    assert glob_regex("legacy/").match("legacy/a/b.md")
    assert glob_regex("file?.txt").match("file1.txt") and not glob_regex("file?.txt").match("file10.txt")


def test_collect_files_folders_globs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("docs/a.md", "docs/b.txt", "docs/c.py", "docs/.hidden/d.md", "docs/drafts/e.md", "notes.rst"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text("x", encoding="utf-8")
    targets, errors, warnings = collect(
        ["docs", "notes.rst", "docs/*.txt", "nothing/*.md", "missing.txt"], (".md", ".txt"), ("docs/drafts/",), tmp_path
    )
    assert [t.display for t in targets] == ["docs/a.md", "docs/b.txt", "notes.rst"]
    assert errors == [("missing.txt", "missing.txt: no such file or folder")]
    assert warnings == ["nothing/*.md: no files match"]


def test_reference_matched_by_name_then_stem(tmp_path):
    refs = tmp_path / "refs"
    refs.mkdir()
    (refs / "a.md").write_text("x")
    (refs / "b.txt").write_text("x")
    assert reference_for(Target("a.md", Path("docs/a.md")), refs, (".txt", ".md")) == refs / "a.md"
    assert reference_for(Target("b.md", Path("docs/b.md")), refs, (".txt", ".md")) == refs / "b.txt"
    assert reference_for(Target("c.md", Path("docs/c.md")), refs, (".txt", ".md")) is None


def test_html_prose_keeps_offsets_and_makes_block_elements_lines():
    page = ('<html><head><title>T</title><script>var x = "<p>";</script></head><body>\n'
            '<nav>Home</nav><h1>Talks end</h1><p>Monday&#x27;s talks &amp; more.</p><!-- c --><p>Last one.</p>'
            '</body></html>')
    out = prose(page, "page.html")
    assert len(out) == len(page) and out.count("\n") >= 4
    assert [line.strip() for line in out.splitlines() if line.strip()] == [
        "Talks end", "Monday's      talks &     more.", "Last one."]
    assert out.index("Monday") == page.index("Monday") and out.index("Last") == page.index("Last")
    assert "Home" not in out and "var" not in out and "T" not in out[:page.index("<body>")]
    assert prose(page, "page.txt") == page  # only .html, .htm and .xhtml files are read as pages


def test_directives_in_html_files_turn_regions_off():
    page = ("<html><body><p>Kept paragraph.</p>\n<!-- scorer: off -->\n<p>Region off.</p>\n<!-- scorer: on -->\n"
            "<p>Kept again.</p></body></html>")
    d = parse(page, "page.html")
    scored = apply_blanks(prose(page, "page.html"), d)
    assert len(scored) == len(page)
    assert "Kept paragraph." in scored and "Kept again." in scored
    assert "Region off" not in scored and "scorer:" not in scored
