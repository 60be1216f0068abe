// Shows a BPMN file with the vendored bpmn-js viewer and marks where a running process stands.
// The file and the marked elements come from json_script blocks, so no inline script is needed.
(function () {
  "use strict";
  var container = document.getElementById("process-diagram");
  if (!container || !window.BpmnJS) {
    return;
  }
  var xml = JSON.parse(document.getElementById("process-xml").textContent);
  var active = JSON.parse(document.getElementById("process-active").textContent);
  var viewer = new window.BpmnJS({ container: container });
  viewer.importXML(xml).then(function () {
    var canvas = viewer.get("canvas");
    var fit = function () {
      canvas.resized();
      canvas.zoom("fit-viewport", "auto");
    };
    fit();
    // The admin's sidebar settles after this script runs; fit again whenever the box changes.
    if (window.ResizeObserver) {
      new window.ResizeObserver(fit).observe(container);
    }
    active.forEach(function (id) {
      try {
        canvas.addMarker(id, "aspa-diagram__active");
      } catch (error) {
        // An element that is not drawn (no diagram shape) has nothing to mark.
      }
    });
    container.setAttribute("data-ready", "true");
  }).catch(function (error) {
    container.textContent = container.getAttribute("data-error") + " " + error.message;
  });
})();
