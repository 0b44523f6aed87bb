/* Every map of the site (destinations, organisations, members): each element with [data-map]
   becomes a Leaflet map. The CSP allows no inline script, so everything comes from data-*
   attributes:
   - data-markers: the id of a JSON script (json_script) listing {name, url, lat, lng, label?};
     or data-markers-url: the address of the same list as a JSON resource, fetched once (many
     markers, cached by the browser, not repeated in every page: the ambassadors' directory);
     or data-lat, data-lng and data-label for one fixed marker;
   - data-tile-url and data-attribution: a tile server (settings.MAP_TILE_URL);
   - data-outline: without a tile server, a GeoJSON file among the site's static files (the
     territory's coast and towns), drawn under the markers: no request leaves the site.
   Names are set as text, never as HTML. */
(function () {
  "use strict";

  var L = window.L;

  function readMarkers(element) {
    if (element.dataset.markers) {
      var source = document.getElementById(element.dataset.markers);
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
    return [{
      name: element.dataset.label || "",
      lat: parseFloat(element.dataset.lat),
      lng: parseFloat(element.dataset.lng)
    }];
  }

  function popupFor(marker) {
    var box = document.createElement("div");
    var link = document.createElement(marker.url ? "a" : "strong");
    if (marker.url) {
      link.href = marker.url;
    }
    link.textContent = marker.name;
    box.appendChild(link);
    if (marker.label) {
      var label = document.createElement("p");
      label.className = "map-popup__label";
      label.textContent = marker.label;
      box.appendChild(label);
    }
    return box;
  }

  function townLabel(name) {
    var label = document.createElement("span");
    label.textContent = name;
    return L.divIcon({ className: "map-town", html: label, iconSize: null });
  }

  function drawOutline(map, url) {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (outline) {
        if (!outline) {
          return;
        }
        L.geoJSON(outline, {
          interactive: false,
          filter: function (feature) {
            return feature.properties && feature.properties.kind === "land";
          },
          style: function () {
            return { className: "map-land", weight: 1.5 };
          }
        }).addTo(map).bringToBack();
        outline.features.forEach(function (feature) {
          if (feature.properties && feature.properties.kind === "town") {
            var point = feature.geometry.coordinates;
            L.marker([point[1], point[0]], {
              icon: townLabel(feature.properties.name),
              interactive: false,
              keyboard: false
            }).addTo(map);
          }
        });
      })
      .catch(function () {});
  }

  function fetchMarkers(element) {
    fetch(element.dataset.markersUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (markers) {
        initMap(element, Array.isArray(markers) ? markers : []);
      })
      .catch(function () {});
  }

  function initMap(element, fetched) {
    var markers = (fetched || readMarkers(element)).filter(function (marker) {
      return isFinite(marker.lat) && isFinite(marker.lng);
    });
    if (!L || !markers.length) {
      return;
    }
    var tileUrl = element.dataset.tileUrl || "";
    var map = L.map(element, {
      scrollWheelZoom: false,
      attributionControl: Boolean(tileUrl)
    });
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        maxZoom: 19,
        attribution: element.dataset.attribution || ""
      }).addTo(map);
    } else if (element.dataset.outline) {
      drawOutline(map, element.dataset.outline);
    }
    var icon = L.icon({
      iconUrl: element.dataset.icon,
      iconRetinaUrl: element.dataset.iconRetina,
      shadowUrl: element.dataset.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41]
    });
    var points = markers.map(function (marker) {
      var pin = L.marker([marker.lat, marker.lng], {
        icon: icon,
        title: marker.name,
        alt: marker.name,
        keyboard: Boolean(marker.url)
      }).addTo(map);
      if (marker.url || marker.label) {
        pin.bindPopup(popupFor(marker));
      }
      return [marker.lat, marker.lng];
    });
    var zoom = parseInt(element.dataset.zoom || "13", 10);
    if (points.length === 1) {
      map.setView(points[0], zoom);
    } else {
      map.fitBounds(points, { padding: [40, 40], maxZoom: zoom });
    }
    element.classList.add("map--ready");
  }

  function initAll() {
    document.querySelectorAll("[data-map]").forEach(function (element) {
      if (element.dataset.markersUrl) {
        fetchMarkers(element);
      } else {
        initMap(element);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
