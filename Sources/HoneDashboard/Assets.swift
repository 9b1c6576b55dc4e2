/// The dashboard's stylesheet and script, served from `/static/` by the dashboard itself: no
/// CDN, nothing fetched from elsewhere, and with them the Content-Security-Policy can forbid
/// every inline script and style.
enum Assets {
  static let css = """
    body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
    header{display:flex;gap:14px;align-items:center;padding:10px 20px;background:#1d2b3a;color:#fff}
    header a{color:#cfe3ff;text-decoration:none}header .brand{font-weight:700;color:#fff;font-size:17px}
    #status{margin-left:auto;font-size:12px;color:#a9c0d6}
    main{padding:16px 20px;max-width:1500px}
    section{background:#fff;border:1px solid #e2e5ea;border-radius:6px;padding:10px 14px;margin:12px 0}
    h2{font-size:15px;margin:2px 0 8px}
    table.grid,table.kv{border-collapse:collapse;font-size:13px;background:#fff}
    table.grid td,table.grid th,table.kv td,table.kv th{border:1px solid #e2e5ea;padding:3px 8px;text-align:left;vertical-align:top}
    table.grid th{background:#eef1f5}table.grid th a{color:#1d232a;text-decoration:none}
    td.num{text-align:right;font-variant-numeric:tabular-nums}
    tr.failed td{color:#a4262c}tr.pruned td{color:#8a5a00}tr.running td{color:#1a7f37}
    .plots{display:flex;flex-wrap:wrap;gap:8px}.muted{color:#6b7580}.error{color:#a4262c;font-weight:600}
    pre{background:#0f1720;color:#dce3ea;padding:8px;max-height:420px;overflow:auto;font-size:12px}
    form.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end;margin:8px 0}
    .pager a,.pager span{margin:0 4px}svg{max-width:100%;height:auto;background:#fff}
    """

  /// The tab's icon: a descending best-so-far step line.
  static let icon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d2b3a"/>\
    <path d="M3 4h3v4h3v3h4" fill="none" stroke="#ff7f0e" stroke-width="2"/></svg>
    """

  /// Keeps a live page current: polls the page's `data-feed` with the last change counter
  /// seen (`?since=`) every second and, when the counter moved, replaces `#live` with the
  /// page's `data-part`, redrawn on the server.
  static let js = """
    "use strict";
    (function () {
      var body = document.body, feed = body.dataset.feed, part = body.dataset.part;
      var counter = body.dataset.counter, status = document.getElementById("status");
      if (!feed) { return; }
      function show(text) { if (status) { status.textContent = text; } }
      function join(url, key, value) { return url + (url.indexOf("?") < 0 ? "?" : "&") + key + "=" + encodeURIComponent(value); }
      function poll() {
        fetch(join(feed, "since", counter), { cache: "no-store" })
          .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
          .then(function (change) {
            if (String(change.counter) === String(counter)) { return null; }
            counter = change.counter;
            return fetch(part, { cache: "no-store" }).then(function (r) { return r.ok ? r.text() : null; });
          })
          .then(function (html) {
            if (html !== null) { document.getElementById("live").innerHTML = html; }
            show("live · " + new Date().toLocaleTimeString());
          })
          .catch(function () { show("reconnecting…"); })
          .finally(function () { setTimeout(poll, 1000); });
      }
      setTimeout(poll, 1000);
    })();
    """
}
