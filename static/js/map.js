/* Destination maps: every element with [data-map] becomes a Leaflet map with one marker.
   Data comes from data-* attributes (the CSP allows no inline script). Without a tile URL
   the map shows the marker on a plain background; the coordinates are printed beside it. */
(function () {
  "use strict";

  function initMap(element) {
    var lat = parseFloat(element.dataset.lat);
    var lng = parseFloat(element.dataset.lng);
    if (!window.L || !isFinite(lat) || !isFinite(lng)) {
      return;
    }
    var tileUrl = element.dataset.tileUrl || "";
    var map = window.L.map(element, {
      center: [lat, lng],
      zoom: 14,
      scrollWheelZoom: false,
      attributionControl: Boolean(tileUrl),
      zoomControl: Boolean(tileUrl),
      dragging: Boolean(tileUrl),
      doubleClickZoom: Boolean(tileUrl),
      keyboard: Boolean(tileUrl)
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
    window.L.marker([lat, lng], {
      icon: icon,
      title: element.dataset.label || "",
      alt: element.dataset.label || "",
      keyboard: false
    }).addTo(map);
    element.classList.add("map--ready");
  }

  function initAll() {
    document.querySelectorAll("[data-map]").forEach(initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
