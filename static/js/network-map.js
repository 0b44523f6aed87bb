/* The organisation directory's map: every element with [data-org-map] becomes a Leaflet map
   with one marker per organisation. static/js/map.js draws one fixed marker; this one draws
   many, fits them in view and links each to its page. The markers come from the JSON script
   named by data-markers (json_script: the CSP allows no inline script, and data scripts do
   not run). Names are set as text, never as HTML. */
(function () {
  "use strict";

  function readMarkers(element) {
    var source = document.getElementById(element.dataset.markers || "");
    if (!source) {
      return [];
    }
    try {
      var markers = JSON.parse(source.textContent);
      return Array.isArray(markers) ? markers : [];
    } catch (error) {
      return [];
    }
  }

  function popupFor(marker) {
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    return link;
  }

  function initMap(element) {
    var markers = readMarkers(element).filter(function (marker) {
      return isFinite(marker.lat) && isFinite(marker.lng);
    });
    if (!window.L || !markers.length) {
      return;
    }
    var tileUrl = element.dataset.tileUrl || "";
    var map = window.L.map(element, {
      scrollWheelZoom: false,
      attributionControl: Boolean(tileUrl)
    });
    if (tileUrl) {
      window.L.tileLayer(tileUrl, {
        maxZoom: 19,
        attribution: element.dataset.attribution || ""
      }).addTo(map);
    }
    var icon = window.L.icon({
      iconUrl: element.dataset.icon,
      iconRetinaUrl: element.dataset.iconRetina,
      shadowUrl: element.dataset.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41]
    });
    var points = markers.map(function (marker) {
      window.L.marker([marker.lat, marker.lng], {
        icon: icon,
        title: marker.name,
        alt: marker.name
      })
        .bindPopup(popupFor(marker))
        .addTo(map);
      return [marker.lat, marker.lng];
    });
    if (points.length === 1) {
      map.setView(points[0], 14);
    } else {
      map.fitBounds(points, { padding: [32, 32], maxZoom: 15 });
    }
    element.classList.add("map--ready");
  }

  function initAll() {
    document.querySelectorAll("[data-org-map]").forEach(initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
