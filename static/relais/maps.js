// Draws every map of Relais from the JSON "spec" that maps/rendering.py (folium) puts in the
// element's data-map-spec attribute, then loads the listings from data-map-data.
// An external file and data- attributes only, so a Content-Security-Policy without
// 'unsafe-inline' can be adopted. Text goes in with textContent, never as HTML.
(function () {
  "use strict";
  if (!window.L) { return; }

  var COVERAGE_COLOURS = [
    // [minimum number of organisations, colour]; the legend in the template uses the same.
    [4, "#0b5c8a"],
    [2, "#4f9cc9"],
    [1, "#f2b84b"],
    [0, "#a4001d"]
  ];

  function kindIcon(kind) {
    return L.divIcon({
      className: "relais-marker relais-marker--" + kind,
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -11]
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function setStatus(mapElement, text, isError) {
    var status = document.querySelector('[data-map-status-for="' + mapElement.id + '"]');
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("map-status-error", Boolean(isError));
  }

  function resultsPopup(mapElement, data, row) {
    var kind = data.kinds[row[2]];
    var popup = element("div", "map-popup");
    popup.appendChild(element("strong", "map-popup-name", row[4]));
    popup.appendChild(element("span", "map-popup-kind", kind[1]));
    var needs = data.needs.filter(function (label, index) { return row[3] & (1 << index); });
    if (needs.length) {
      var paragraph = element("p", "map-popup-needs", mapElement.dataset.labelNeeds + " ");
      needs.forEach(function (label) { paragraph.appendChild(element("span", "tag tag-need", label)); });
      popup.appendChild(paragraph);
    }
    var link = element("a", "map-popup-link", mapElement.dataset.labelOpen);
    link.href = mapElement.dataset.detailUrl.replace("__slug__", encodeURIComponent(row[5]));
    popup.appendChild(link);
    return popup;
  }

  function drawResults(map, layer, mapElement, data, fitData) {
    var icons = data.kinds.map(function (kind) { return kindIcon(kind[0]); });
    var markers = data.rows.map(function (row) {
      var marker = L.marker([row[0], row[1]], { icon: icons[row[2]], title: row[4], alt: row[4] });
      // Popups are built on first opening: nothing is created for the 10,000 others.
      marker.bindPopup(function () { return resultsPopup(mapElement, data, row); });
      return marker;
    });
    // Zoom first, then cluster: clustering at one zoom and re-clustering at another would run
    // a transition during which the clusters briefly overlap.
    if (fitData && markers.length) {
      map.fitBounds(L.latLngBounds(data.rows.map(function (row) { return [row[0], row[1]]; })), {
        padding: [40, 40], maxZoom: 13, animate: false
      });
    }
    layer.options.chunkProgress = function (processed, total) {
      if (processed === total) { mapElement.dataset.mapReady = "true"; }
    };
    layer.addLayers(markers);
    if (!markers.length) { mapElement.dataset.mapReady = "true"; }
  }

  function coverageColour(count) {
    for (var i = 0; i < COVERAGE_COLOURS.length; i += 1) {
      if (count >= COVERAGE_COLOURS[i][0]) { return COVERAGE_COLOURS[i][1]; }
    }
    return COVERAGE_COLOURS[COVERAGE_COLOURS.length - 1][1];
  }

  function drawCoverage(map, layer, mapElement, data) {
    data.rows.forEach(function (row) {
      var count = row[4];
      var template = count === 0 ? mapElement.dataset.labelNone
        : count === 1 ? mapElement.dataset.labelOne : mapElement.dataset.labelMany;
      var label = template.replace("{name}", row[0]).replace("{count}", String(count));
      var colour = coverageColour(count);
      L.circle([row[1], row[2]], {
        radius: row[3] * 1000, color: colour, weight: 1, fillColor: colour, fillOpacity: 0.55,
        className: "coverage-area coverage-area--" + (count === 0 ? "none" : "covered")
      }).bindTooltip(label).addTo(layer);
    });
    mapElement.dataset.mapReady = "true";
  }

  function loadData(map, layer, layerName, mapElement, fitData) {
    fetch(mapElement.dataset.mapData, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        if (layerName === "coverage") {
          drawCoverage(map, layer, mapElement, data);
        } else {
          drawResults(map, layer, mapElement, data, fitData);
        }
        setStatus(mapElement, "", false);
      })
      .catch(function () {
        setStatus(mapElement, mapElement.dataset.labelError, true);
        mapElement.dataset.mapReady = "error";
      });
  }

  function buildMap(mapElement) {
    var spec = JSON.parse(mapElement.dataset.mapSpec);
    var map = L.map(mapElement, spec.options);
    var bounds = spec.layers.filter(function (layer) { return layer.type === "bounds"; })[0];
    // A map without a view yet takes its bounds at once; setting a view first would animate.
    if (bounds) {
      map.fitBounds(bounds.bounds, bounds.options);
    } else {
      map.setView(spec.center, spec.options.zoom);
    }
    var dataLayer = null;
    var dataLayerName = null;
    spec.layers.forEach(function (layer) {
      if (layer.type === "tiles") {
        L.tileLayer(layer.url, layer.options).addTo(map);
      } else if (layer.type === "circle") {
        var circle = L.circle(layer.location, layer.options).addTo(map);
        if (layer.tooltip) { circle.bindTooltip(layer.tooltip); }
      } else if (layer.type === "marker") {
        var marker = L.marker(layer.location, { title: layer.tooltip, alt: layer.tooltip }).addTo(map);
        if (layer.tooltip) { marker.bindTooltip(layer.tooltip); }
      } else if (layer.type === "cluster") {
        dataLayer = L.markerClusterGroup(layer.options).addTo(map);
        dataLayerName = layer.name;
      } else if (layer.type === "group") {
        dataLayer = L.featureGroup().addTo(map);
        dataLayerName = layer.name;
      }
    });
    if (dataLayer && mapElement.dataset.mapData) {
      loadData(map, dataLayer, dataLayerName, mapElement, spec.fitData);
    } else {
      mapElement.dataset.mapReady = "true";
    }
  }

  document.querySelectorAll("[data-map-spec]").forEach(buildMap);
})();
