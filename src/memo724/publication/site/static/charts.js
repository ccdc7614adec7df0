/* Draw the page's Vega-Lite spec with the bundled Vega; nothing is fetched. */
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var spec = JSON.parse(document.getElementById("chart-spec").textContent);
  window.vegaEmbed(holder, spec, { actions: false, renderer: "svg", mode: "vega-lite" })
    .then(function (result) {
      window.memo724Chart = result.view;
      document.body.setAttribute("data-chart", "ready");
    })
    .catch(function (error) {
      document.body.setAttribute("data-chart", "failed");
      console.error(error);
    });
})();
