// Keep the device's token on this phone, then open the till.
"use strict";
(function () {
  const body = document.body;
  localStorage.setItem("pos_token", body.dataset.token);
  localStorage.setItem("pos_exhibitor", body.dataset.exhibitor);
  localStorage.setItem("pos_device", body.dataset.device);
  body.removeAttribute("data-token");
  location.replace("/till");
})();
