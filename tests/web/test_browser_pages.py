"""Every page of the worked example (tests/web/page_tour.py finds them from the app's routes), held to
three rules in headless Chromium:

- no page scrolls sideways on a 375 px phone, in light and dark;
- axe-core (vendored from the npm registry into tests/web/vendor/) finds no serious or critical
  violation, in light and dark, at 1400 and 375 px;
- each page looks as its reference image (tests/web/reference_pages/<width>/<page>.png), within a
  tolerance. ``python scripts/refresh_screenshots.py`` rewrites the references on purpose, with the
  README's screenshots.

Each (scheme, width) is toured once; the checks of one tour are kept for the tests that read them."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.web.page_tour import REFERENCE_IMAGES, Site, Tour, Visit, tour, worked_example_site
from tests.web.test_browser import browser, sync_api  # noqa: F401

# a group of its own: the tours take minutes, so they run beside the worked-example group, not after it
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("page-tour")]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_RUN = "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
UPDATE = os.environ.get("SYNTHESIST_UPDATE_REFERENCE_IMAGES") == "1"
# Times and dates, a review's key (its suffix is random) and its folder change with each build of the
# example: masked in the screenshots.
VOLATILE = "time, .review-key, .review-folder"
# A pixel differs when a channel moves by more than this (font smoothing jitters by a few levels);
# a page differs when more than this share of its pixels do.
CHANNEL_TOLERANCE = 24
PIXEL_SHARE_TOLERANCE = 0.002
WIDTHS = (1400, 375)
# The README's screenshots of the web app, rewritten with the references (unmasked, the first screen).
README_SHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
README_PAGES = {"p": "dashboard", "p_screen_title-abstract": "screening", "p_matrix": "matrix"}


@dataclass
class PageFacts:
    width: int  # the document's scroll width
    violations: list[dict[str, object]]  # axe's serious and critical ones
    screenshot: bytes | None = None


@dataclass
class TourFacts:
    tour: Tour
    pages: dict[str, PageFacts] = field(default_factory=dict)  # by page name


@pytest.fixture(scope="module")
def worked_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with worked_example_site(tmp_path_factory) as site:
        yield site


_TOURS: dict[tuple[str, int], TourFacts] = {}


# Every tour logs in and may leave events (the log and the overview show them), so all tours run in
# this order whichever test asks first: each page is in the same state at each run.
TOUR_ORDER = (("light", 375), ("dark", 375), ("light", 1400), ("dark", 1400))


def _toured(browser: sync_api.Browser, site: Site, scheme: str, width: int) -> TourFacts:  # noqa: F811
    if not _TOURS:
        for each in TOUR_ORDER:
            _TOURS[each] = _tour_once(browser, site, *each)
    return _TOURS[(scheme, width)]


def _tour_once(browser: sync_api.Browser, site: Site, scheme: str, width: int) -> TourFacts:  # noqa: F811
    """One tour: it measures, runs axe and (in light) takes the screenshot at each page."""
    axe_source = AXE.read_text("utf-8")
    pages: dict[str, PageFacts] = {}

    def check(visit: Visit) -> None:
        page = visit.page
        page.add_script_tag(content=axe_source)
        results = page.evaluate(AXE_RUN)
        blocking = [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "where": [" ".join(node["target"]) for node in v["nodes"][:3]],
            }
            for v in results
            if v["impact"] in BLOCKING_IMPACTS
        ]
        width_now = int(page.evaluate("document.documentElement.scrollWidth"))
        shot = None
        if scheme == "light":
            shot = page.screenshot(
                full_page=True,
                animations="disabled",
                caret="hide",
                mask=[page.locator(VOLATILE)],
            )
        pages[visit.name] = PageFacts(width_now, blocking, shot)
        if UPDATE and scheme == "light" and visit.name in README_PAGES:
            readme_shot = README_SHOTS / f"web-{README_PAGES[visit.name]}-{width}.png"
            readme_shot.write_bytes(_optimised(page.screenshot(animations="disabled", caret="hide")))

    done = tour(browser, site, check, width=width, scheme=scheme, bypass_csp=True)
    return TourFacts(done, pages)


def test_the_tour_reaches_every_page(worked_example: Site, browser: sync_api.Browser) -> None:  # noqa: F811
    facts = _toured(browser, worked_example, "light", 375)
    unreached = facts.tour.unreached
    assert not unreached, f"no link to these pages in the example: name them in page_tour.py: {unreached}"
    assert len(facts.pages) > 30


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_scrolls_sideways_at_375_px(
    worked_example: Site,
    browser: sync_api.Browser,  # noqa: F811
    scheme: str,
) -> None:
    facts = _toured(browser, worked_example, scheme, 375)
    wide = {name: page.width for name, page in facts.pages.items() if page.width > 375}
    assert not wide, f"pages wider than the phone ({scheme}): {wide}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(
    worked_example: Site,
    browser: sync_api.Browser,  # noqa: F811
    scheme: str,
    width: int,
) -> None:
    facts = _toured(browser, worked_example, scheme, width)
    found = {name: page.violations for name, page in facts.pages.items() if page.violations}
    assert not found, f"axe-core, {scheme} at {width} px:\n" + "\n".join(
        f"  {name}: {violation}" for name, violations in found.items() for violation in violations
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_looks_as_its_reference(
    worked_example: Site,
    browser: sync_api.Browser,  # noqa: F811
    width: int,
    tmp_path: Path,
) -> None:
    """Light scheme only: dark uses the same layout with other colour tokens, and axe checks its
    contrast. A page whose reference is missing fails: a new page needs its reference made on purpose."""
    facts = _toured(browser, worked_example, "light", width)
    folder = REFERENCE_IMAGES / str(width)
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        for name, page in facts.pages.items():
            assert page.screenshot is not None
            (folder / f"{name}.png").write_bytes(_optimised(page.screenshot))
        return
    problems = []
    for name, page in sorted(facts.pages.items()):
        assert page.screenshot is not None
        reference = folder / f"{name}.png"
        if not reference.is_file():
            problems.append(f"{name}: no reference image; run scripts/refresh_screenshots.py")
            continue
        difference = _difference(reference.read_bytes(), page.screenshot)
        if difference is not None:
            (tmp_path / f"{name}.png").write_bytes(page.screenshot)
            problems.append(f"{name}: {difference} (this run's screenshot: {tmp_path / name}.png)")
    stale = sorted({path.stem for path in folder.glob("*.png")} - set(facts.pages))
    problems += [f"{name}: a reference for a page the tour no longer visits" for name in stale]
    heading = f"pages that changed at {width} px; if on purpose, run scripts/refresh_screenshots.py:"
    assert not problems, "\n  ".join([heading, *problems])


def _optimised(png: bytes) -> bytes:
    """The screenshot re-saved as a palette PNG: a fraction of the size, and the comparison's tolerance
    absorbs the rounding."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _difference(reference: bytes, actual: bytes) -> str | None:
    """None when the two look the same within the tolerance, else what differs."""
    from PIL import Image, ImageChops

    old = Image.open(io.BytesIO(reference)).convert("RGB")
    new = Image.open(io.BytesIO(actual)).convert("RGB")
    if old.size != new.size:
        return f"size {new.size[0]}×{new.size[1]} px, the reference {old.size[0]}×{old.size[1]}"
    channels = ImageChops.difference(old, new).split()
    worst = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    differing = sum(worst.point(lambda level: 255 if level > CHANNEL_TOLERANCE else 0).histogram()[255:])
    share = differing / (old.size[0] * old.size[1])
    if share <= PIXEL_SHARE_TOLERANCE:
        return None
    return f"{share:.2%} of the pixels differ (tolerance {PIXEL_SHARE_TOLERANCE:.1%})"
