// Loaded after axe.min.js into a copy of a page mou wrote (tests/it/html_axe.rs): runs
// axe-core over the whole document with the WCAG 2.0 and 2.1 A and AA rules and writes
// the outcome into the DOM between markers, where `chromium --dump-dom` prints it.
(function () {
  "use strict";
  function report(value) {
    var out = document.createElement("script");
    out.type = "application/json";
    // No "<" inside, so the serialized DOM cannot end the element early.
    out.textContent =
      "AXE-RESULT-BEGIN" + JSON.stringify(value).replace(/</g, "\\u003c") + "AXE-RESULT-END";
    document.body.appendChild(out);
  }
  axe
    .run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    })
    .then(function (r) {
      report({
        violations: r.violations.map(function (v) {
          return {
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map(function (n) {
              return { target: n.target, html: n.html, summary: n.failureSummary };
            }),
          };
        }),
        passes: r.passes.length,
      });
    })
    .catch(function (e) {
      report({ error: String(e) });
    });
})();
