"""The checks run in the browser: axe-core, and our own for what axe does not look at.

Each check returns a list of problems in plain words (empty when the page is fine), so a failing
test says what a person would meet, and so the checks themselves can be tested on a bad page.
"""

from axe_playwright_python.sync_playwright import Axe

# RGAA 4.1 maps onto WCAG 2.1 A and AA; axe's "best-practice" rules are left out on purpose.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# axe.min.js ships inside the axe-playwright-python wheel: nothing is fetched at run time.
_axe = Axe()


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


def skip_link_problems(page) -> list[str]:
    """RGAA 12.7: the first Tab reaches a link to <main>, visible when focused; Enter moves focus there.

    Call on a freshly loaded page (focus still on the document)."""
    problems = []
    page.keyboard.press("Tab")
    first = page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            const href = el.getAttribute('href') || '';
            const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
            return {tag: el.tagName, text: el.textContent.trim(), href,
                    targetTag: target && target.tagName,
                    visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
        }"""
    )
    if first["tag"] != "A" or not first["href"].startswith("#"):
        return [f"the first focusable element is <{first['tag'].lower()}> « {first['text'][:40]} », not a skip link"]
    if first["targetTag"] != "MAIN":
        problems.append(f"the skip link points to {first['href']}, which is not <main>")
    if not first["visible"]:
        problems.append("the skip link stays off screen when focused")
    page.keyboard.press("Enter")
    if page.evaluate("() => document.activeElement.tagName") != "MAIN":
        problems.append("following the skip link does not move the focus to <main>")
    return problems


def footer_statement_problems(page, statement_url: str) -> list[str]:
    """RGAA requires the accessibility statement ("Accessibilité : …") to be linked from every page."""
    links = page.evaluate(
        """(url) => [...document.querySelectorAll('footer a')]
            .filter(a => new URL(a.href).pathname === url).map(a => a.textContent.trim())""",
        statement_url,
    )
    if not links:
        return ["no link to the accessibility statement in the footer"]
    if not any(text.startswith(("Accessibilité", "Accessibility", "アクセシビリティ")) for text in links):
        return [f"the footer link to the accessibility statement reads « {links[0]} », not « Accessibilité : … »"]
    return []


def figure_problems(page, *, captions=True) -> list[str]:
    """Every image in <main> is a <figure> whose <figcaption> holds its credit (and its caption when asked)."""
    return page.evaluate(
        """(captions) => {
            const problems = [];
            for (const img of document.querySelectorAll('main img')) {
                const name = img.getAttribute('alt') || img.getAttribute('src');
                const figure = img.closest('figure');
                const caption = figure && figure.querySelector('figcaption');
                if (!figure) { problems.push(`image « ${name} » is not in a <figure>`); continue; }
                if (!caption) { problems.push(`image « ${name} » has no <figcaption>`); continue; }
                if (!/Crédit photo\\s*:\\s*\\S/.test(caption.textContent))
                    problems.push(`the figcaption of « ${name} » shows no credit`);
                if (captions && !caption.querySelector('.caption'))
                    problems.push(`the figcaption of « ${name} » shows no caption`);
            }
            return problems;
        }""",
        captions,
    )


def quote_problems(page, quotes: list[tuple[str, str]]) -> list[str]:
    """Each (text, speaker) is a <blockquote> whose <footer> names the speaker in <cite>."""
    return page.evaluate(
        """(quotes) => {
            const problems = [];
            const blocks = [...document.querySelectorAll('blockquote')];
            for (const [text, speaker] of quotes) {
                const block = blocks.find(b => b.textContent.includes(text));
                if (!block) { problems.push(`« ${text} » is not in a <blockquote>`); continue; }
                const cite = block.querySelector('footer cite');
                if (!cite || !cite.textContent.includes(speaker))
                    problems.push(`« ${text} » does not name ${speaker} in <footer><cite>`);
            }
            return problems;
        }""",
        [list(q) for q in quotes],
    )


def lang_of(page, text: str) -> str | None:
    """The language a screen reader would use for the innermost element holding `text`."""
    return page.evaluate(
        """(text) => {
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                if (walker.currentNode.textContent.includes(text)) {
                    const holder = walker.currentNode.parentElement.closest('[lang]');
                    return holder ? holder.getAttribute('lang') : null;
                }
            }
            return null;
        }""",
        text,
    )
