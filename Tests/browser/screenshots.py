"""Screenshots of every page of `hone dashboard`, and of a `hone compare` report, into docs/
(make screenshots).

Makes the studies of studies.make_studies with the hone binary ($HONE_BIN, else the debug build)
in a temporary folder, serves them, and saves one PNG per page with headless Chromium; then runs
`hone compare` on digits with opposing signals and saves its report's page.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import cdp
import studies

DOCS = Path(__file__).resolve().parents[2] / "docs"


def main() -> int:
    hone = studies.hone_binary()
    if hone is None or cdp.find_chromium() is None:
        print("screenshots need a hone binary (swift build) and chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        url = studies.make_studies(hone, Path(folder), tuned_trials=60)
        with studies.Dashboard(hone, url) as dashboard, cdp.Browser(width=1360, height=900) as browser:
            ids = dashboard.study_ids()
            tuned, pareto = ids["tuned"], ids["pareto"]
            pages = {
                "studies": "/",
                "study": f"/studies/{tuned}",
                "pareto": f"/studies/{pareto}",
                "trials": f"/studies/{tuned}/trials?sort=value&per_page=20",
                "trial": f"/studies/{tuned}/trials/5",
                "compare": f"/compare?id={tuned}&id={pareto}",
            }
            for name, path in pages.items():
                browser.navigate(dashboard.base + path)
                out = DOCS / f"dashboard-{name}.png"
                out.write_bytes(browser.screenshot(full_page=name not in ("study", "pareto")))
                print(f"wrote {out.relative_to(DOCS.parent)}")
        report = Path(folder) / "compare.html"
        subprocess.run([str(hone), "compare", "--data", "digits", "--model", "mlp:256,256", "--opposing-signals",
                        "-o", str(report)], check=True, stdout=subprocess.DEVNULL)
        with cdp.Browser(width=1240, height=900) as browser:
            browser.navigate(report.as_uri())
            out = DOCS / "compare-report.png"
            out.write_bytes(browser.screenshot(full_page=True))
            print(f"wrote {out.relative_to(DOCS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
