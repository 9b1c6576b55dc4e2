"""`hone dashboard` in a real browser: every page renders with its plots visible, a tell made by
another process appears on the open page without a reload, hostile names show as text, writes
need the token, and ten clients for five seconds get no error."""

import http.client
import json
import threading
import time
import urllib.error
import urllib.request

import cdp
import studies

PLOTS = ["history", "intermediate-values", "parallel-coordinates", "importance", "slices", "timeline"]


def test_every_page_renders_with_visible_plots(dashboard, browser):
    ids = dashboard.study_ids()
    tuned, pareto = ids["tuned"], ids["pareto"]
    pages = {
        "/": "#studies",
        f"/studies/{tuned}": "#history svg",
        f"/studies/{pareto}": "#pareto-front svg",
        f"/studies/{tuned}/trials?sort=value&per_page=10": "#trials",
        f"/studies/{tuned}/trials/3": "#facts",
        f"/compare?id={tuned}&id={pareto}": "#comparison svg",
    }
    for path, selector in pages.items():
        browser.navigate(dashboard.base + path)
        assert browser.wait_for(f"document.querySelector({json.dumps(selector)}) !== null", timeout=10), path
        assert browser.console_errors() == [], f"{path}: {browser.console_errors()}"
    browser.navigate(f"{dashboard.base}/studies/{tuned}")
    for plot in PLOTS:
        height = browser.evaluate(f"document.querySelector('#{plot} svg').getBoundingClientRect().height")
        assert height > 100, f"{plot} is drawn ({height} px high)"
    ink, colors = cdp.png_ink(browser.screenshot())
    assert ink > 0.03 and colors >= 6, f"the plots are visible: ink {ink:.3f}, {colors} colors"
    browser.navigate(f"{dashboard.base}/studies/{tuned}/trials/3")
    assert "epoch 8" in browser.evaluate("document.querySelector('#stderr pre').textContent"), "the trial's stderr log is shown"


def test_a_tell_from_another_process_appears_without_reload(hone, storage, dashboard, browser):
    space = '{"x": {"type": "float", "low": 0, "high": 1}}'
    studies.run(hone, "study", "create", "--storage", storage, "--study", "live")
    first = studies.ask(hone, storage, "live", space)
    studies.run(hone, "tell", "--storage", storage, "--study", "live", "--trial", str(first["trial"]), "--value", "1")
    live = dashboard.study_ids()["live"]
    browser.navigate(f"{dashboard.base}/studies/{live}")
    browser.evaluate("window.sameDocument = true")
    trial = studies.ask(hone, storage, "live", space)
    told = time.monotonic()
    studies.run(hone, "tell", "--storage", storage, "--study", "live", "--trial", str(trial["trial"]), "--value", "0.25")
    expression = "document.querySelector('#counts').dataset.trials === '2' && document.querySelector('#counts').textContent.includes('#1 (complete)')"
    browser.wait_for(expression, timeout=15)
    latency = time.monotonic() - told
    print(f"\nnew trial visible {latency:.2f} s after its tell")
    assert browser.evaluate("window.sameDocument === true"), "the page was updated in place, not reloaded"
    assert browser.evaluate("document.querySelector('#history svg') !== null"), "with its plots redrawn"


def test_hostile_names_show_as_text(dashboard, browser):
    hostile = dashboard.study_ids()[studies.HOSTILE]
    for path in ["/", f"/studies/{hostile}", f"/studies/{hostile}/trials", f"/studies/{hostile}/trials/0"]:
        browser.navigate(dashboard.base + path)
        assert browser.evaluate("document.querySelectorAll('main img').length") == 0, path
        assert studies.HOSTILE in browser.evaluate("document.querySelector('main').innerText"), path
        assert browser.console_errors() == [], path


def test_writes_need_the_token(dashboard, browser):
    tuned = dashboard.study_ids()["tuned"]
    note_url = f"{dashboard.base}/studies/{tuned}/note"
    browser.navigate(f"{dashboard.base}/studies/{tuned}")
    status = browser.evaluate(f"fetch({json.dumps(note_url)}, {{method: 'POST', body: new URLSearchParams({{note: 'x'}})}}).then(r => r.status)")
    assert status == 401, "a page without the token cannot write"
    request = urllib.request.Request(note_url, data=b"note=from+a+script", method="POST",
                                     headers={"Authorization": "Bearer wrong"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("a wrong token was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 401
    # Opening the printed URL keeps the token in a cookie; the page's form then writes.
    browser.navigate(f"{dashboard.base}/login?token={dashboard.token}")
    browser.navigate(f"{dashboard.base}/studies/{tuned}")
    browser.evaluate("document.querySelector('textarea[name=note]').value = 'checked in the browser'")
    browser.evaluate("document.querySelector('form[action$=\"/note\"]').submit()")
    browser.wait_for("document.querySelector('#summary') && document.querySelector('#summary').innerText.includes('checked in the browser')", timeout=10)


def test_read_only_dashboard_refuses_writes(hone, storage):
    with studies.Dashboard(hone, storage) as readonly:
        ids = readonly.study_ids()
        request = urllib.request.Request(f"{readonly.base}/studies/{ids['tuned']}/note", data=b"note=x", method="POST")
        try:
            urllib.request.urlopen(request, timeout=10)
            raise AssertionError("a read-only dashboard took a write")
        except urllib.error.HTTPError as error:
            assert error.code == 403


def test_ten_clients_for_five_seconds_get_no_error(dashboard):
    ids = dashboard.study_ids()
    paths = ["/", f"/studies/{ids['tuned']}", f"/studies/{ids['tuned']}/trials?sort=value", f"/studies/{ids['tuned']}/trials/2",
             f"/api/studies/{ids['tuned']}/changes?since=0", "/static/dashboard.js"]
    errors, latencies, lock = [], [], threading.Lock()
    stop = time.monotonic() + 5

    def client(k):
        connection = http.client.HTTPConnection("127.0.0.1", dashboard.port, timeout=10)
        n = k
        while time.monotonic() < stop:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException) as error:
                ok, response = False, error
                connection = http.client.HTTPConnection("127.0.0.1", dashboard.port, timeout=10)
            with lock:
                latencies.append(time.perf_counter() - started)
                if not ok:
                    errors.append(f"{path}: {getattr(response, 'status', response)}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    print(f"\n{len(latencies)} requests, p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms")
    assert errors == [], errors[:5]
    assert len(latencies) > 50
