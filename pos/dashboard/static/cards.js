// Pairing cards: the PDF is fetched here so the page can say it is being made (a few
// seconds for 320 booths) and when it is ready, instead of a button that seems dead.
"use strict";
const cardsForm = document.getElementById("cards-form");
const cardsStatus = document.getElementById("cards-status");

cardsForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = document.getElementById("cards");
  const started = Date.now();
  const tick = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    cardsStatus.textContent = `${cardsStatus.dataset.preparing} ${seconds} s`;
  };
  button.disabled = true;
  cardsStatus.hidden = false;
  tick();
  const timer = setInterval(tick, 500);
  try {
    const response = await fetch(cardsForm.action, { method: "POST", body: new FormData(cardsForm), credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const name = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = name ? name[1] : "pairing-cards.pdf";
    document.body.append(link);
    link.click();
    link.remove();
    cardsStatus.textContent = cardsStatus.dataset.ready;
  } catch (error) {
    cardsStatus.textContent = cardsStatus.dataset.failed;
  } finally {
    clearInterval(timer);
    button.disabled = false;
  }
});
