// The group finder's "My town" (issue 15, "near me" without location): the last town the
// reader filtered by is kept on their device only (localStorage), and offered as a quick
// filter. Nothing is sent anywhere until they tap it; no position is ever read.
(function () {
  "use strict";
  var KEY = "neighborhood.town";
  var select = document.querySelector('.filters select[name="town"]');
  var link = document.querySelector("[data-my-town]");
  if (!select || !link) return;
  function known(town) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.value !== "" && option.value === town;
    });
  }
  var chosen = new URLSearchParams(window.location.search).get("town");
  try {
    if (chosen && known(chosen) && !document.querySelector('[role="alert"]')) {
      window.localStorage.setItem(KEY, chosen);
    }
    var town = window.localStorage.getItem(KEY);
  } catch (error) {
    return; // storage refused (private mode): no "My town", nothing else changes
  }
  if (!town || !known(town)) return;
  var url = new URL(link.href, window.location.href);
  url.searchParams.set("town", town);
  link.href = url.pathname + url.search;
  link.querySelector("[data-my-town-name]").textContent = town;
  if (chosen === town) link.setAttribute("aria-current", "true");
  link.hidden = false;
})();
